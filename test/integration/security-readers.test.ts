// Hostile captures: prototype-named record types and methods, escapes in every printed field,
// secrets in recorded command lines. The readers report problems; they never crash (exit 70).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { headerRecord, rpc, writeChained } from '../helpers/capture-file.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-sec-readers-');
// ESC, BEL, a C1 control, U+2028/2029 and a bidi override: none may reach the terminal raw.
// eslint-disable-next-line no-control-regex
const RAW = /[\u001b\u0007\u0085\u009b\u2028\u2029\u202e]/;

function hostile(path: string): void {
  writeChained(path, [
    headerRecord(),
    { ts: 2, type: 'constructor' },
    {
      ts: 3,
      type: 'frame',
      dir: 'c2s',
      channel: 'stdio',
      text: rpc({ id: 1, method: 'constructor' }),
    },
    {
      ts: 4,
      type: 'frame',
      dir: 'c2s',
      channel: 'stdio',
      text: rpc({ id: 2, method: 'toString' }),
    },
    {
      ts: 5,
      type: 'frame',
      dir: 'c2s',
      channel: 'stdio',
      text: rpc({ id: 3, method: '__proto__', params: {} }),
    },
    {
      ts: 6,
      type: 'frame',
      dir: 's2c',
      channel: 'stdio',
      text: rpc({ id: 3, result: { __proto__: 1 } }),
    },
    { ts: 7, type: 'toString' },
    { ts: 8, type: '__proto__', text: 'x' },
    { ts: 9, type: 'hasOwnProperty' },
    {
      ts: 10,
      type: 'http',
      dir: 'c2s',
      stream: 's\u2029',
      method: 'G\u001b[2JET\u0007',
      headers: {},
    },
    { ts: 11, type: 'exit', code: null, signal: 'SIG\u0085\u009b31m\u2028TERM\u202e' },
    { ts: 12, type: 'note', text: 'a\u2028b' },
    { ts: 13, type: 'end', reason: 'done' },
  ]);
}

describe('readers and hostile captures', () => {
  const file = join(dir, 'hostile.mcpscope.jsonl');
  hostile(file);

  it('show reports prototype-named record types as problems and exits 0', async () => {
    const r = await runCli(['show', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('line 2: unknown record type "constructor"');
    expect(r.stdout).toContain('line 7: unknown record type "toString"');
    expect(r.stdout).toContain('line 8: unknown record type "__proto__"');
    expect(r.stdout).toMatch(/request\s+constructor/);
    expect(r.stdout).toMatch(/request\s+toString/);
    expect(r.stdout).toMatch(/response\s+__proto__/);
  });

  it('show prints no raw ESC, BEL, C1, bidi or U+2028/2029', async () => {
    const r = await runCli(['show', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain('G\\x1b[2JET\\x07');
    expect(r.stdout).toContain('signal SIG\\x85\\x9b31m\\u2028TERM\\u202e');
    expect(r.stdout).toContain('a\\u2028b');
  });

  it('show --json and scan read it too', async () => {
    const j = await runCli(['show', file, '--json']);
    expect(j.code).toBe(0);
    const parsed = JSON.parse(j.stdout) as { messages: { method?: string }[]; problems: unknown[] };
    expect(parsed.messages.map((m) => m.method)).toEqual([
      'constructor',
      'toString',
      '__proto__',
      '__proto__',
    ]);
    expect(parsed.problems).toHaveLength(4);
    const s = await runCli(['scan', '--json', file]);
    expect(s.stderr).not.toContain('unexpected error');
    expect([0, 1]).toContain(s.code);
    expect(JSON.parse(s.stdout)).toHaveProperty('findings');
  });
});

describe('secrets in recorded command lines', () => {
  const command = [
    'npx',
    'mcp-remote',
    'https://api.example',
    '--header',
    'Authorization: Bearer sk-live-HEADER1',
    '-H',
    'X-Api-Key: KEY2SECRET',
    '-HAuthorization:Bearer ATTACHED3',
    'Bearer BARE4SECRET',
    '--token=TOKEN5SECRET',
    'https://bob:pa/ss6SECRET@host.example/x',
    '--header=Cookie: s=COOKIE7',
  ];
  const secrets = [
    'HEADER1',
    'KEY2SECRET',
    'ATTACHED3',
    'BARE4SECRET',
    'TOKEN5SECRET',
    'pa/ss6SECRET',
    'ss6SECRET',
    'COOKIE7',
  ];

  it('are redacted in the header written by record', async () => {
    const out = join(dir, 'secret.mcpscope.jsonl');
    const r = await runCli([
      'record',
      '--out',
      out,
      '--',
      process.execPath,
      '-e',
      'process.exit(0)',
      ...command,
    ]);
    expect(r.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(out, 'utf8');
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).toContain('Authorization: [REDACTED]');
    for (const s of secrets) expect(r.stderr).not.toContain(s);
  });

  it('are redacted by show even when an old capture holds them', async () => {
    const f = join(dir, 'old.mcpscope.jsonl');
    writeChained(f, [
      headerRecord({ source: { transport: 'stdio', command } }),
      { ts: 2, type: 'spawn', command: 'npx', args: command.slice(1) },
      { ts: 3, type: 'end', reason: 'x' },
    ]);
    for (const args of [
      ['show', f],
      ['show', '--json', f],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      for (const s of secrets) expect(r.stdout).not.toContain(s);
    }
  });
});
