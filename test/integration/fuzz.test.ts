// The fuzzer against real processes: the fixture server with one seeded fault per oracle (each
// found and minimised), determinism, restarts after crashes, the destructive-tool guard, the
// CLI contract, and a clean run against the real server-everything.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../electron/engine/capture/writer.js';
import { dryRun, runCampaign, type CampaignOptions } from '../../electron/engine/fuzz/index.js';
import { verifyChain } from '../../shared/capture/index.js';
import type { FuzzFinding, FuzzReport } from '../../shared/fuzz/index.js';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING, ROOT, scratchDir } from '../helpers/paths.js';

const TARGET = join(ROOT, 'test', 'fixtures', 'servers', 'fuzz-target.mjs');
const dir = scratchDir('mcpscope-fuzz-');
const stdio = (...extra: string[]): CampaignOptions['target'] => ({
  transport: 'stdio',
  command: process.execPath,
  args: [TARGET, ...extra],
});

const SEEDED: [FuzzFinding['kind'], string, unknown][] = [
  ['crash', 'divide', { a: 0, b: 0 }],
  ['timeout', 'echo', { text: '' }],
  ['protocol-violation', 'count', { n: -1 }],
  ['schema-violation', 'stats', { values: [] }],
  ['error-leak', 'lookup', { query: "'" }],
  ['sensitive-output', 'config', { key: 'debug' }],
  ['accepted-invalid', 'greet', {}],
];

describe('fuzz campaign against the seeded fixture', () => {
  let report: FuzzReport;
  const live: FuzzFinding[] = [];
  const capture = join(dir, 'campaign.mcpscope.jsonl');

  it('finds every seeded fault with a minimal input, and goes on after crashes', async () => {
    report = await runCampaign({
      target: stdio(),
      seed: 7,
      cases: 1200,
      timeoutMs: 1000,
      capturePath: capture,
      onFinding: (f) => live.push(f),
    });
    for (const [kind, tool, minimal] of SEEDED) {
      const f = report.findings.find((x) => x.kind === kind && x.tool === tool);
      expect(f, `${kind} in ${tool}`).toBeDefined();
      expect(f!.minimized, `${kind} in ${tool}`).toEqual(minimal);
      expect(f!.seed).toBe(7);
      expect(f!.reproduce).toBe(
        `mcpscope call ${tool} --args '${JSON.stringify(minimal).replace(/'/g, `'\\''`)}' -- ${process.execPath} ${TARGET}`,
      );
      expect(JSON.parse(f!.line)).toEqual({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: tool, arguments: minimal },
      });
    }
    // Crashes restarted the server and the campaign still ran every case.
    expect(report.restarts).toBeGreaterThan(0);
    expect(report.cases).toBe(1200);
    const crash = report.findings.find((f) => f.kind === 'crash')!;
    expect(report.findings.some((f) => f.case > crash.case)).toBe(true);
    expect(live.length).toBeGreaterThanOrEqual(SEEDED.length);
  }, 240_000);

  it('skips the destructive tool and records the campaign as a verifiable capture', () => {
    expect(report.tools.skipped).toEqual([
      { name: 'wipe', reason: expect.stringMatching(/destructiveHint/) },
    ]);
    const text = readFileSync(capture, 'utf8');
    expect(text).not.toContain('"name":"wipe","arguments"');
    expect(text).not.toContain('\\"name\\":\\"wipe\\",\\"arguments\\"');
    expect(verifyChain(text, nodeSha256).intact).toBe(true);
    expect(text.match(/"type":"spawn"/g)!.length).toBe(report.restarts + 1);
    expect(text).toContain('fuzz finding: crash (divide');
  });

  it('fuzzes the destructive tool only with includeDestructive', async () => {
    const r = await runCampaign({
      target: stdio(),
      seed: 1,
      cases: 6,
      timeoutMs: 1000,
      tools: ['wipe'],
      includeDestructive: true,
      families: ['tools'],
    });
    expect(r.findings.map((f) => [f.kind, f.tool])).toEqual([['crash', 'wipe']]);
  });
});

describe('determinism', () => {
  it('the same seed gives the same campaign and the same findings', async () => {
    const opts: CampaignOptions = {
      target: stdio(),
      seed: 99,
      cases: 300,
      timeoutMs: 1000,
      tools: ['divide', 'stats', 'greet', 'config'],
    };
    const [a, b, c] = [
      await dryRun(opts),
      await dryRun(opts),
      await dryRun({ ...opts, seed: 100 }),
    ];
    expect(a.cases).toEqual(b.cases);
    expect(a.cases).not.toEqual(c.cases);
    const summary = (r: FuzzReport) =>
      r.findings.map((f) => [f.kind, f.tool ?? f.method, f.case, f.minimized]);
    const [r1, r2] = [await runCampaign(opts), await runCampaign(opts)];
    expect(summary(r1)).toEqual(summary(r2));
    expect(r1.findings.length).toBeGreaterThanOrEqual(3);
  }, 120_000);
});

describe('mcpscope fuzz (CLI)', () => {
  it('--json prints the documented shape and exits 1 on findings', async () => {
    const r = await runCli(
      [
        'fuzz',
        '--json',
        '--cases',
        '200',
        '--seed',
        '3',
        '--timeout',
        '1000',
        '--tools',
        'config',
        '--out',
        join(dir, 'cli.mcpscope.jsonl'),
        '--',
        process.execPath,
        TARGET,
      ],
      { timeoutMs: 60_000 },
    );
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as FuzzReport;
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['cases', 'durationMs', 'seed', 'findings']),
    );
    expect(out.seed).toBe(3);
    expect(out.findings.find((f) => f.kind === 'sensitive-output')).toMatchObject({
      tool: 'config',
      minimized: { key: 'debug' },
    });
  }, 60_000);

  it('exits 0 on a clean server, 2 on usage errors; --dry-run sends no tool call', async () => {
    const clean = await runCli(
      [
        'fuzz',
        '--cases',
        '300',
        '--seed',
        '5',
        '--out',
        join(dir, 'clean.mcpscope.jsonl'),
        '--',
        process.execPath,
        TARGET,
        '--clean',
      ],
      { timeoutMs: 60_000 },
    );
    expect(clean.stdout).toContain('0 findings');
    expect(clean.code).toBe(0);
    expect((await runCli(['fuzz', '--cases', 'many', '--', 'x'])).code).toBe(2);
    const noTarget = await runCli(['fuzz']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toMatch(/which server/);
    const unknownTool = await runCli(['fuzz', '--tools', 'nope', '--', process.execPath, TARGET]);
    expect(unknownTool.code).toBe(2);
    expect(unknownTool.stderr).toMatch(/no tool named "nope"/);
    const dry = await runCli([
      'fuzz',
      '--dry-run',
      '--cases',
      '5',
      '--seed',
      '1',
      '--',
      process.execPath,
      TARGET,
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('skipped tool wipe');
    expect(dry.stdout).toContain('5 cases for seed 1');
  }, 90_000);
});

describe('server-everything', () => {
  it('a campaign completes with no crash and no protocol violation', async () => {
    const r = await runCampaign({
      target: { transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
      seed: 3,
      cases: 400,
      timeoutMs: 3000,
      capturePath: join(dir, 'everything.mcpscope.jsonl'),
    });
    expect(r.cases).toBe(400);
    expect(r.restarts).toBe(0);
    expect(r.tools.fuzzed.length).toBeGreaterThan(3);
    expect(r.findings.filter((f) => f.kind === 'crash' || f.kind === 'protocol-violation')).toEqual(
      [],
    );
    expect(
      verifyChain(readFileSync(join(dir, 'everything.mcpscope.jsonl'), 'utf8'), nodeSha256).intact,
    ).toBe(true);
  }, 120_000);
});
