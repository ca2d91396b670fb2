// CLI output is for reading: real line breaks in results and errors, control characters still
// escaped, one "MCP error N:" prefix, a stdio server that logs to stdout named at once with its
// lines quoted, and an --out that cannot be written refused before anything starts.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING, scratchDir } from '../helpers/paths.js';

const work = scratchDir('mcpscope-cli-text-');
const noisy = join(work, 'noisy.mjs');
const banner = join(work, 'banner.mjs');
writeFileSync(
  noisy,
  "console.log('Server starting on stdio...');\nconsole.log('Listening for \\x1b[31mrequests\\x1b[0m');\nsetInterval(() => {}, 1000);\n",
);
// A banner on stdout, then a working server: still connects (the grace period).
writeFileSync(
  banner,
  `console.log('hello from a chatty server');\nprocess.argv = [process.argv[0], process.argv[1], 'stdio'];\nawait import(${JSON.stringify(EVERYTHING)});\n`,
);
const server = ['--', process.execPath, EVERYTHING, 'stdio'];

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mcpscope client commands print text for reading', () => {
  it('read keeps the line breaks of a text resource (no literal \\n)', async () => {
    const r = await runCli(['read', 'demo://resource/static/document/architecture.md', ...server]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(10);
    expect(r.stdout).not.toContain('\\n');
    expect(r.stdout).toContain('# Everything Server');
  });

  it('call prints a text result with its newlines and control characters escaped', async () => {
    const r = await runCli([
      'call',
      'echo',
      '--args',
      JSON.stringify({ message: 'line one\nline two\u0007\u202e' }),
      ...server,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Echo: line one\nline two\\x07\\u202e');
  });

  it('an error answered by the server carries one "MCP error -32602:" prefix', async () => {
    const read = await runCli(['read', 'demo://nope', ...server]);
    expect(read.code).toBe(1);
    expect(read.stderr).toMatch(/MCP error -32602: Resource demo:\/\/nope not found/);
    expect(read.stderr).not.toMatch(/MCP error -32602: MCP error/);
    const prompt = await runCli(['prompt', 'args-prompt', ...server]);
    expect(prompt.code).toBe(1);
    expect(prompt.stderr).toMatch(/^mcpscope prompt: MCP error -32602: Invalid arguments/m);
    expect(prompt.stderr).not.toMatch(/MCP error -32602: MCP error/);
  });

  it('a stdio server that logs to stdout fails fast, quoting its lines with escapes', async () => {
    const t0 = Date.now();
    const r = await runCli(
      ['call', 'echo', '--args', '{"message":"x"}', '--', process.execPath, noisy],
      { timeoutMs: 30_000 },
    );
    expect(r.code).toBe(1);
    // Far below the 60 s initialize timeout (the grace is 2 s; the rest is process start-up on a busy machine).
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.stderr).toContain('wrote 2 lines to stdout that are not JSON-RPC');
    expect(r.stderr).toContain('must write its logs to stderr');
    expect(r.stderr).toContain('\n  > Server starting on stdio...\n');
    expect(r.stderr).toContain('Listening for \\x1b[31mrequests\\x1b[0m');
    expect(r.stderr).not.toContain('\u001b');
  });

  it('a banner on stdout before a working server still connects', async () => {
    const r = await runCli([
      'call',
      'echo',
      '--args',
      '{"message":"after the banner"}',
      '--',
      process.execPath,
      banner,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Echo: after the banner');
  });

  it('an --out that cannot be written is refused before the server starts (exit 2)', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli([
      'call',
      'echo',
      '--out',
      join(file, 'x.mcpscope.jsonl'),
      '--args',
      '{"message":"x"}',
      ...server,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--out: .*a-file is a file, not a folder\. Choose a path you can write/,
    );
    const dir = join(work, 'a-dir');
    mkdirSync(dir);
    const d = await runCli([
      'read',
      'demo://resource/static/document/architecture.md',
      '--out',
      dir,
      ...server,
    ]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/a-dir is a folder; give a file name/);
  });
});
