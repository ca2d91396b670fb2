// A capture over 512 MiB (the largest string V8 can hold) is verified in bounded memory and shown.
// Generated in a temp folder (~600 MB) and deleted afterwards.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signerFromSecret } from '../../shared/capture/index.js';
import { runCli, runNode } from '../helpers/cli.js';
import { writeLargeCapture } from '../helpers/capture-file.js';
import { CLI, scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-sec-large-');
const home = join(dir, 'home');
const env = { MCPSCOPE_HOME: home };
const file = join(dir, 'large.mcpscope.jsonl');
const FRAMES = 600;

beforeAll(async () => {
  expect((await runCli(['key', 'export'], { env })).code).toBe(0);
  const key = JSON.parse(readFileSync(join(home, 'keys', 'signing-ed25519.json'), 'utf8')) as {
    secretKey: string;
  };
  const signer = signerFromSecret(key.secretKey);
  writeLargeCapture(file, FRAMES, signer);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the CLI with a small V8 heap: holding the file (or one string of it) would crash it. */
function cliWithHeap(
  args: string[],
  heapMb: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNode([`--max-old-space-size=${heapMb}`, CLI, ...args], { ...env, NO_COLOR: '1' });
}

describe('a capture over 512 MiB', () => {
  it('is really over 512 MiB', () => {
    expect(statSync(file).size).toBeGreaterThan(590 * 1024 * 1024);
  });

  it('verifies with a 96 MB heap', async () => {
    const r = await cliWithHeap(['verify', file], 96);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      `${FRAMES + 2} records, hash chain and signatures verified, complete`,
    );
    expect(r.code).toBe(0);
  }, 120_000);

  it('is shown, every message listed', async () => {
    const r = await runCli(['show', '--json', file], { env, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { messages: unknown[]; closed: boolean; problems: unknown[] };
    expect(j.messages).toHaveLength(FRAMES);
    expect(j.closed).toBe(true);
    expect(j.problems).toEqual([]);
  }, 150_000);
});
