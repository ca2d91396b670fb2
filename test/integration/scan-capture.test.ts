// `mcpscope scan FILE`: a real recorded session (the real CLI client against a real SDK server
// that leaks a key) yields findings that point at the frame, with masked evidence, in text,
// JSON and SARIF; --fail-on decides the exit code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/index.js';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING, ROOT, scratchDir } from '../helpers/paths.js';
import { validateSarif } from './scan-sarif-schema.js';

const LEAKY = join(ROOT, 'test/fixtures/detect/leaky-server.mjs');

interface JsonFinding {
  rule: string;
  severity: string;
  message: string;
  evidence?: string;
  target: {
    seq?: number;
    pointer?: string;
    range?: [number, number];
    kind: string;
    server?: string;
    capture?: string;
  };
}

describe('scan a capture', () => {
  const dir = scratchDir('mcpscope-scan-');
  const capture = join(dir, 'leak.mcpscope.jsonl');
  const home = join(dir, 'home');

  beforeAll(async () => {
    const r = await runCli(
      ['call', '--out', capture, 'get_config', '--', process.execPath, LEAKY],
      { env: { MCPSCOPE_HOME: home } },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('points at the frame that leaked the key, with masked evidence', async () => {
    const r = await runCli(['scan', '--json', capture], { env: { MCPSCOPE_HOME: home } });
    expect(r.code).toBe(1); // default --fail-on high
    const out = JSON.parse(r.stdout) as {
      servers: { name: string; status: string; tools: number }[];
      findings: JsonFinding[];
    };
    // `call` does not list tools, so the capture knows of none.
    expect(out.servers).toEqual([
      { name: 'leaky', status: 'ok', tools: 0, prompts: 0, resources: 0 },
    ]);

    const read = readCapture(readFileSync(capture, 'utf8'));
    const callResult = read.records.find(
      (x) => x.type === 'frame' && x.dir === 's2c' && x.text?.includes('db_url'),
    );
    expect(callResult).toBeDefined();
    const frameText = (callResult as { text: string }).text;

    const conn = out.findings.find((f) => f.rule === 'secret.connection-string');
    expect(conn).toMatchObject({
      severity: 'critical',
      target: { kind: 'message', seq: callResult!.seq, pointer: '/result/content/0/text' },
    });
    // The range is in the frame's raw text and covers the URL with its password.
    expect(frameText.slice(...conn!.target.range!)).toBe(
      'postgres://svc:Tr0ub4dor-x9Q@db.internal:5432',
    );
    const aws = out.findings.find(
      (f) => f.rule === 'secret.provider-token' && f.message.includes('AWS'),
    );
    expect(aws?.target.seq).toBe(callResult!.seq);
    for (const f of out.findings) {
      // No finding carries a whole secret.
      expect(JSON.stringify(f)).not.toContain('Tr0ub4dor');
      expect(JSON.stringify(f)).not.toContain('AKIAZ7Q2M4XVB9TNK3LP');
      expect(JSON.stringify(f)).not.toContain('cY6pD1sF5hJ0gZ8aE2uK');
    }
    expect(conn!.evidence).toMatch(/^post…\[\d+ chars masked\]$/);

    // The token the server wrote on stderr is found on its stderr record.
    const stderr = read.records.find((x) => x.type === 'stderr' && x.text?.includes('token'));
    const gh = out.findings.find(
      (f) => f.target.seq === stderr?.seq && f.rule.startsWith('secret.'),
    );
    expect(gh).toBeDefined();
  });

  it('prints a readable report and honours --fail-on', async () => {
    const text = await runCli(['scan', capture], { env: { MCPSCOPE_HOME: home } });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('CRITICAL');
    expect(text.stdout).toContain('secret.connection-string');
    expect(text.stdout).toMatch(/seq \d+ \(tools\/call\), at \/result\/content\/0\/text/);
    expect(text.stdout).not.toContain('Tr0ub4dor');
    // Nothing is critical-and-above except the connection string; raising the bar past it passes.
    const critical = await runCli(['scan', '--fail-on', 'critical', capture], {
      env: { MCPSCOPE_HOME: home },
    });
    expect(critical.code).toBe(1);
    const clean = await runCli([
      'scan',
      '--json',
      '--fail-on',
      'critical',
      join(ROOT, 'test/fixtures/detect/clean.mcpscope.jsonl'),
    ]);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect((JSON.parse(clean.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('writes SARIF 2.1.0 that validates against the schema', async () => {
    const r = await runCli(['scan', '--sarif', capture], { env: { MCPSCOPE_HOME: home } });
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation?: { region?: { startLine: number } } }[];
        }[];
      }[];
    };
    expect(validateSarif(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    const result = log.runs[0]!.results.find((x) => x.ruleId === 'secret.connection-string');
    // The region is the capture line of the frame record.
    const line = result!.locations[0]!.physicalLocation!.region!.startLine;
    expect(readFileSync(capture, 'utf8').split('\n')[line - 1]).toContain('db_url');
  });

  it('works the same on a session recorded by the stdio MITM recorder', async () => {
    const rec = join(dir, 'mitm.mcpscope.jsonl');
    const lines = [
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 't', version: '1' },
        },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_config', arguments: {} },
      },
    ]
      .map((m) => `${JSON.stringify(m)}\n`)
      .join('');
    const recorded = await runCli(['record', '--out', rec, '--', process.execPath, LEAKY], {
      input: lines,
      env: { MCPSCOPE_HOME: home },
    });
    expect(recorded.stdout).toContain('db_url');
    const r = await runCli(['scan', '--json', rec], { env: { MCPSCOPE_HOME: home } });
    const out = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    const read = readCapture(readFileSync(rec, 'utf8'));
    const leak = read.records.find(
      (x) => x.type === 'frame' && x.dir === 's2c' && x.text?.includes('db_url'),
    )!;
    expect(out.findings.find((f) => f.rule === 'secret.connection-string')?.target).toMatchObject({
      seq: leak.seq,
      server: 'leaky',
      pointer: '/result/content/0/text',
    });
    expect(r.stdout).not.toContain('Tr0ub4dor');
  });

  it('several captures: cross-server rules run over the servers they show', async () => {
    const a = join(dir, 'leaky-inspect.mcpscope.jsonl');
    const b = join(dir, 'everything-inspect.mcpscope.jsonl');
    expect(
      (
        await runCli(['inspect', '--out', a, '--', process.execPath, LEAKY], {
          env: { MCPSCOPE_HOME: home },
        })
      ).code,
    ).toBe(0);
    expect(
      (
        await runCli(['inspect', '--out', b, '--', process.execPath, EVERYTHING, 'stdio'], {
          env: { MCPSCOPE_HOME: home },
        })
      ).code,
    ).toBe(0);
    const r = await runCli(['scan', '--json', a, b], { env: { MCPSCOPE_HOME: home } });
    const out = JSON.parse(r.stdout) as { servers: { name: string }[]; findings: JsonFinding[] };
    expect(out.servers.map((s) => s.name)).toEqual(['leaky', 'mcp-servers/everything']);
    const dup = out.findings.filter((f) => f.rule === 'shadow.duplicate-name');
    expect(dup).toHaveLength(1);
    expect(dup[0]!.message).toContain('"echo" is offered by 2 servers');
    // Each alone has no such finding.
    const alone = JSON.parse(
      (await runCli(['scan', '--json', a], { env: { MCPSCOPE_HOME: home } })).stdout,
    ) as { findings: JsonFinding[] };
    expect(alone.findings.filter((f) => f.rule.startsWith('shadow.'))).toEqual([]);
  });

  it('usage errors exit 2 and say what to do', async () => {
    const none = await runCli(['scan']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('what to scan?');
    const bad = await runCli(['scan', '--fail-on', 'urgent', capture]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected one of info, low, medium, high, critical');
    const both = await runCli(['scan', '--json', '--sarif', capture]);
    expect(both.code).toBe(2);
    const missing = await runCli(['scan', join(dir, 'nope.mcpscope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});
