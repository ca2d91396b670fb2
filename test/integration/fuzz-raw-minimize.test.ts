// Protocol-level and framing-level findings are shrunk like tool findings: against the fixture's
// two raw faults (a non-empty batch crashes it; a line that is not UTF-8 makes it print plain
// text on stdout) each finding carries the smallest line / bytes that still trigger the same
// oracle, the seed, the exact line, and a reproducer that really reproduces it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../electron/engine/fuzz/index.js';
import type { FuzzFinding, FuzzReport } from '../../shared/fuzz/index.js';
import { ROOT } from '../helpers/paths.js';

const TARGET = join(ROOT, 'test', 'fixtures', 'servers', 'fuzz-target.mjs');

describe('minimising protocol and framing findings', () => {
  let report: FuzzReport;
  const find = (kind: FuzzFinding['kind'], method: string): FuzzFinding => {
    const f = report.findings.find((x) => x.kind === kind && x.method === method);
    expect(
      f,
      `${kind} ${method}: ${JSON.stringify(report.findings.map((x) => x.method))}`,
    ).toBeDefined();
    return f!;
  };

  it('runs a protocol + framing campaign', async () => {
    report = await runCampaign({
      target: { transport: 'stdio', command: process.execPath, args: [TARGET] },
      seed: 11,
      cases: 120,
      timeoutMs: 1000,
      families: ['protocol', 'framing'],
    });
    expect(report.cases).toBe(120);
  }, 120_000);

  it('shrinks the batch crash to the smallest line that still crashes', () => {
    const f = find('crash', 'protocol:batch');
    expect(f.seed).toBe(11);
    // The case sent two pings in a batch; one empty object in a batch is all it takes.
    expect((f.input as string[])[0]).toMatch(/^\[\{"jsonrpc":"2\.0","id":\d+,"method":"ping"\},/);
    expect(f.minimized).toEqual(['[{}]']);
    expect(f.line).toBe('[{}]');
    expect(f.reproduce).toContain(`'[{}]' | ${process.execPath} ${TARGET}`);
  });

  it('shrinks the invalid UTF-8 finding to two bytes, escaped', () => {
    const f = find('protocol-violation', 'framing:invalid-utf8');
    expect(f.evidence).toMatch(/not JSON/);
    // One byte that is not UTF-8, and the newline that ends the line.
    expect(f.minimized).toMatch(/^\\x(ff|fe|c3)\\n$/);
    expect(f.line).toBe(f.minimized);
    expect(f.reproduce).toMatch(/printf '\\3(77|76|03)\\012'/);
  });

  it('the framing reproducer reproduces the fault with the real server', () => {
    const f = find('protocol-violation', 'framing:invalid-utf8');
    // The command is `{ printf …; printf …; } | node fixture`: stdin closes, the server exits 0.
    const out = execFileSync('/bin/sh', ['-c', f.reproduce], { encoding: 'utf8', timeout: 10_000 });
    expect(out).toContain('warning: request is not valid UTF-8');
  });

  it('the protocol reproducer reproduces the crash', () => {
    const f = find('crash', 'protocol:batch');
    let code = 0;
    try {
      execFileSync('/bin/sh', ['-c', f.reproduce], { encoding: 'utf8', timeout: 10_000 });
    } catch (e) {
      code = (e as { status: number }).status;
    }
    expect(code).toBe(71);
  });
});
