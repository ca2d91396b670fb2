// The fuzzer against a legacy HTTP+SSE server (protocol 2024-11-05): the real server-everything
// in `sse` mode, through the built CLI with --url … --sse. Answers arrive on the event stream,
// the campaign is recorded (legacy-sse frames) and verifies; without --sse the error says to add it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../electron/engine/capture/writer.js';
import { verifyChain } from '../../shared/capture/index.js';
import type { FuzzReport } from '../../shared/fuzz/index.js';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';
import { startEverything, type Everything } from './client-harness.js';

describe('mcpscope fuzz --url … --sse (legacy HTTP+SSE)', () => {
  let server: Everything;
  let url = '';
  const dir = scratchDir('mcpscope-fuzz-sse-');
  beforeAll(async () => {
    server = await startEverything('sse');
    url = server.target.transport === 'sse' ? server.target.url : '';
  }, 30_000);
  afterAll(() => server.stop());

  it('fuzzes server-everything over its SSE stream and records the campaign', async () => {
    const capture = join(dir, 'sse.mcpscope.jsonl');
    const r = await runCli(
      [
        'fuzz',
        '--json',
        '--cases',
        '80',
        '--seed',
        '4',
        '--timeout',
        '3000',
        '--out',
        capture,
      ].concat(['--url', url, '--sse']),
      { timeoutMs: 120_000 },
    );
    expect([0, 1], r.stderr).toContain(r.code);
    const report = JSON.parse(r.stdout) as FuzzReport;
    expect(report.cases).toBe(80);
    expect(report.seed).toBe(4);
    expect(report.tools.fuzzed.length).toBeGreaterThan(3);
    expect(
      report.findings.filter((f) => f.kind === 'crash' || f.kind === 'protocol-violation'),
    ).toEqual([]);
    const text = readFileSync(capture, 'utf8');
    expect(verifyChain(text, nodeSha256).intact).toBe(true);
    // Answers came back as message events on the stream, tool results among them.
    expect(text).toContain('"channel":"legacy-sse"');
    expect(text).toMatch(
      /"channel":"legacy-sse","text":"\{\\"result\\":\{\\"content\\"|"channel":"legacy-sse".*\\"content\\"/,
    );
    expect(text).toContain('"transport":"sse"');
  }, 150_000);

  it('without --sse, the setup error says to add it (exit 2)', async () => {
    const out = join(dir, 'no-sse.mcpscope.jsonl');
    const r = await runCli(
      ['fuzz', '--cases', '5', '--timeout', '500', '--out', out, '--url', url],
      {
        timeoutMs: 60_000,
        env: { MCPSCOPE_HOME: dir },
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/add --sse/);
  }, 70_000);

  it('--sse without --url is a usage error', async () => {
    const r = await runCli(['fuzz', '--sse', '--', process.execPath, '-e', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sse apply to HTTP servers \(a URL\) only/);
  });
});
