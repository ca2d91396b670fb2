// Client mode starts stdio servers with a minimal environment (HOME, PATH… like the SDK's default)
// plus what the user sets: a server being inspected or scanned does not get the user's tokens.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-sec-env-');
const dump = join(dir, 'dump.mjs');
writeFileSync(
  dump,
  "import { writeFileSync } from 'node:fs'; writeFileSync(process.argv[2], JSON.stringify(process.env)); process.exit(0);\n",
);

async function envSeen(extra: string[]): Promise<Record<string, string>> {
  const out = join(dir, `env-${extra.join('_').replace(/\W/g, '')}.json`);
  await runCli(
    ['inspect', '--json', '--timeout', '5000', ...extra, '--', process.execPath, dump, out],
    { env: { GITHUB_TOKEN: 'ghp_secretvalue123', MY_API_KEY: 'sk-live-abc' }, timeoutMs: 60_000 },
  );
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
}

describe('stdio servers in client mode', () => {
  it("get a minimal environment plus --env, not the user's tokens", async () => {
    const env = await envSeen(['--env', 'ONLY_THIS=1']);
    expect(env.GITHUB_TOKEN).toBeUndefined();
    expect(env.MY_API_KEY).toBeUndefined();
    expect(env.ONLY_THIS).toBe('1');
    expect(env.PATH).toBeTruthy();
  }, 60_000);

  it('--inherit-env passes everything', async () => {
    const env = await envSeen(['--inherit-env']);
    expect(env.GITHUB_TOKEN).toBe('ghp_secretvalue123');
  }, 60_000);
});
