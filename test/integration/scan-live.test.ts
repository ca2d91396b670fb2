// `mcpscope scan` against live servers: server-everything (a reference server: nothing at high
// or above), a host config with a server that cannot start, and rug pulls across scans through
// the pin store — including one that changes only an input schema.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING, ROOT, scratchDir } from '../helpers/paths.js';
import { startEverything, type Everything } from './client-harness.js';

const LEAKY = join(ROOT, 'test/fixtures/detect/leaky-server.mjs');

interface Report {
  servers: {
    name: string;
    status: string;
    error?: string;
    tools: number;
    prompts: number;
    resources: number;
  }[];
  findings: {
    rule: string;
    severity: string;
    message: string;
    target: { server?: string; kind: string; name?: string; pointer?: string };
  }[];
}
const parse = (s: string) => JSON.parse(s) as Report;
const atLeastHigh = (r: Report) =>
  r.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');

describe('scan live targets', () => {
  const dir = scratchDir('mcpscope-scan-live-');
  const env = { MCPSCOPE_HOME: join(dir, 'home') };

  it('server-everything over stdio: metadata scanned, nothing at high or above', async () => {
    const r = await runCli(
      ['scan', '--json', '--no-pins', '--', process.execPath, EVERYTHING, 'stdio'],
      { env },
    );
    expect(r.code).toBe(0);
    const out = parse(r.stdout);
    expect(out.servers[0]).toMatchObject({ status: 'ok' });
    expect(out.servers[0]!.tools).toBeGreaterThan(5);
    expect(
      out.findings.filter(
        (f) => f.severity === 'medium' || f.severity === 'high' || f.severity === 'critical',
      ),
    ).toEqual([]);
  });

  it('--config: every server is connected; one that cannot start is an error and fails the scan', async () => {
    const cfg = join(dir, 'claude_desktop_config.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        mcpServers: {
          everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
          poisoned: { command: process.execPath, args: [LEAKY], env: { POISON: '1' } },
          missing: { command: join(dir, 'no-such-server') },
          off: { command: 'whatever', disabled: true },
        },
      }),
    );
    const r = await runCli(['scan', '--json', '--no-pins', '--config', cfg], { env });
    expect(r.code).toBe(1);
    const out = parse(r.stdout);
    expect(out.servers.map((s) => [s.name, s.status])).toEqual([
      ['everything', 'ok'],
      ['poisoned', 'ok'],
      ['missing', 'error'],
    ]);
    expect(out.servers[2]!.error).toContain('command not found');
    const poison = out.findings.find(
      (f) => f.rule === 'meta.tool-poisoning' && f.target.name === 'weather',
    );
    expect(poison).toMatchObject({
      severity: 'critical',
      target: { server: 'poisoned', kind: 'tool', pointer: '/description' },
    });
    expect(poison!.message).toContain('<IMPORTANT>');
    expect(atLeastHigh(out).every((f) => f.target.server === 'poisoned')).toBe(true);
  });

  it('pins a server, then reports a rug pull that changes only an input schema', async () => {
    const home = { MCPSCOPE_HOME: join(dir, 'pins-home') };
    const first = await runCli(['scan', '--json', '--', process.execPath, LEAKY], {
      env: { ...home },
    });
    expect(first.code).toBe(0);
    expect(parse(first.stdout).findings.filter((f) => f.rule.startsWith('rugpull.'))).toEqual([]);
    const same = await runCli(['scan', '--json', '--', process.execPath, LEAKY], {
      env: { ...home },
    });
    expect(parse(same.stdout).findings.filter((f) => f.rule.startsWith('rugpull.'))).toEqual([]);

    // VARIANT=2 adds a parameter to get_config; the description is unchanged.
    // Client mode gives a stdio server a minimal environment plus what --env names.
    const changed = await runCli(
      ['scan', '--json', '--env', 'VARIANT=2', '--', process.execPath, LEAKY],
      {
        env: { ...home },
      },
    );
    expect(changed.code).toBe(1);
    const rug = parse(changed.stdout).findings.filter(
      (f) => f.rule === 'rugpull.definition-changed',
    );
    expect(rug).toHaveLength(1);
    expect(rug[0]).toMatchObject({
      severity: 'high',
      target: {
        kind: 'tool',
        name: 'get_config',
        pointer: '/inputSchema/properties/include_secrets',
      },
    });
    expect(rug[0]!.message).toContain('schema only');
    expect(rug[0]!.message).toContain('+ /inputSchema/properties/include_secrets');

    // Until the change is accepted it is reported again; --update-pins accepts it.
    const again = await runCli(
      ['scan', '--json', '--env', 'VARIANT=2', '--', process.execPath, LEAKY],
      {
        env: { ...home, VARIANT: '2' },
      },
    );
    expect(parse(again.stdout).findings.some((f) => f.rule === 'rugpull.definition-changed')).toBe(
      true,
    );
    await runCli(
      ['scan', '--json', '--update-pins', '--env', 'VARIANT=2', '--', process.execPath, LEAKY],
      {
        env: { ...home, VARIANT: '2' },
      },
    );
    const accepted = await runCli(
      ['scan', '--json', '--env', 'VARIANT=2', '--', process.execPath, LEAKY],
      {
        env: { ...home, VARIANT: '2' },
      },
    );
    expect(accepted.code).toBe(0);
    expect(parse(accepted.stdout).findings.filter((f) => f.rule.startsWith('rugpull.'))).toEqual(
      [],
    );
  });

  const running: Everything[] = [];
  afterAll(async () => {
    await Promise.all(running.map((e) => e.stop()));
  });

  it.each(['streamableHttp', 'sse'] as const)(
    'server-everything over %s (--url on loopback): scanned, no transport finding',
    async (mode) => {
      const e = await startEverything(mode);
      running.push(e);
      const t = e.target as { url: string };
      const args = [
        'scan',
        '--json',
        '--no-pins',
        '--url',
        t.url,
        ...(mode === 'sse' ? ['--sse'] : []),
      ];
      const r = await runCli(args, { env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = parse(r.stdout);
      expect(out.servers[0]).toMatchObject({ status: 'ok' });
      expect(out.servers[0]!.tools).toBeGreaterThan(5);
      expect(out.findings.filter((f) => f.rule.startsWith('transport.'))).toEqual([]);
      expect(out.findings.filter((f) => f.severity !== 'low' && f.severity !== 'info')).toEqual([]);
    },
  );

  it('--url to a port nobody listens on: status error, exit 1, message says what failed', async () => {
    const r = await runCli(
      ['scan', '--json', '--no-pins', '--timeout', '5000', '--url', 'http://127.0.0.1:9/mcp'],
      { env },
    );
    expect(r.code).toBe(1);
    const out = parse(r.stdout);
    expect(out.servers[0]).toMatchObject({ status: 'error' });
    expect(out.servers[0]!.error!.length).toBeGreaterThan(10);
  });
});
