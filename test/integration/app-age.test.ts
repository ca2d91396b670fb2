// Encrypted captures in the app (issue 12): `*.age` files in the captures folder stay out of the
// library until an age identity is chosen (Settings → setAgeIdentity); a loose (0644) identity,
// a wrong one and a non-age import are refused with what to do; the chosen path survives a
// restart, the identity's keys are in no file the engine writes, forgetting it drops the sessions.
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readIdentityFile } from '../../electron/engine/capture/age.js';
import { recordEchoPings, runCli } from '../helpers/cli.js';
import { enginesPerTest } from '../helpers/engine.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-app-age-');
const home = join(dir, 'home');
const env = { MCPSCOPE_HOME: home };
const cli = (args: string[]) => runCli(args, { env, timeoutMs: 60_000 });
const alice = join(dir, 'alice.key');
const bob = join(dir, 'bob.key');
const sealed = join(dir, 'sealed.mcpscope.jsonl.age');
const engine = enginesPerTest();

beforeAll(async () => {
  const original = join(dir, 'original.mcpscope.jsonl');
  expect((await recordEchoPings(original, 5, env)).code).toBe(0);
  const a = await cli(['key', 'age-keygen', '--out', alice]);
  const recipient = /Public key: (age1\w+)/.exec(a.stderr)![1]!;
  expect((await cli(['key', 'age-keygen', '--out', bob])).code).toBe(0);
  const r = await cli([
    'export',
    original,
    '--no-redact',
    '--encrypt-to',
    recipient,
    '--out',
    sealed,
  ]);
  expect(r.code).toBe(0);
}, 120_000);

/** A data dir whose captures folder holds the sealed capture. */
function homeWithSealed(name: string): string {
  const h = join(dir, name);
  mkdirSync(join(h, 'captures'), { recursive: true });
  copyFileSync(sealed, join(h, 'captures', 'sealed.mcpscope.jsonl.age'));
  return h;
}

describe('encrypted captures in the library', () => {
  it('lists the file as locked without an identity, opens it with the right one, keeps only the path', async () => {
    const h = homeWithSealed('h1');
    const e = engine(h);
    await e.start();
    const api = e.commands;
    expect(await api.listSessions(undefined)).toHaveLength(0);
    const before = await api.getAgeIdentity(undefined);
    expect(before.locked.map((l) => l.name)).toEqual(['sealed.mcpscope.jsonl.age']);
    expect(before.locked[0]!.reason).toMatch(/choose an age identity in Settings/);

    // A wrong identity: kept as the chosen one, the file stays locked with the reason.
    const wrong = await api.setAgeIdentity({ path: bob });
    expect(wrong.opened).toBe(0);
    expect(wrong.locked[0]!.reason).toMatch(/none of the given age identities/);

    const info = await api.setAgeIdentity({ path: alice });
    expect(info.locked).toEqual([]);
    expect(info.opened).toBe(1);
    expect(info.recipients[0]).toMatch(/^age1/);
    const [s] = await api.listSessions(undefined);
    expect(s).toBeDefined();
    const { records } = await api.readRecords({ sessionId: s!.id });
    expect(records.filter((r) => r.type === 'frame').length).toBeGreaterThanOrEqual(10);

    // Only the path is saved; the key is in no file of the data dir.
    const key = readIdentityFile(alice)[0]!;
    const saved = JSON.parse(readFileSync(join(h, 'age-identity.json'), 'utf8')) as unknown;
    expect(saved).toEqual({ path: alice });
    expect(statSync(join(h, 'age-identity.json')).mode & 0o777).toBe(0o600);
    for (const f of readdirSync(h, { recursive: true }) as string[]) {
      const p = join(h, f);
      if (statSync(p).isFile()) expect(readFileSync(p, 'latin1')).not.toContain(key);
    }

    // A restart opens it again from the saved path.
    await e.dispose();
    const again = engine(h);
    await again.start();
    expect((await again.commands.listSessions(undefined)).map((x) => x.id)).toEqual([s!.id]);

    // Forgetting the identity drops the decrypted session from the library.
    const forgot = await again.commands.setAgeIdentity({ path: null });
    expect(forgot.path).toBeUndefined();
    expect(forgot.locked).toHaveLength(1);
    expect(await again.commands.listSessions(undefined)).toHaveLength(0);
  }, 60_000);

  it('refuses an identity other users can read, and a missing one, saying what to do', async () => {
    const e = engine(homeWithSealed('h2'));
    await e.start();
    const loose = join(dir, 'loose.key');
    copyFileSync(alice, loose);
    chmodSync(loose, 0o644);
    await expect(e.commands.setAgeIdentity({ path: loose })).rejects.toThrow(
      /can be read by other users \(mode 644\).*chmod 600/,
    );
    await expect(e.commands.setAgeIdentity({ path: join(dir, 'nope.key') })).rejects.toThrow(
      /no such file/,
    );
    expect((await e.commands.getAgeIdentity(undefined)).path).toBeUndefined();
  });

  it('imports an encrypted file from the UI into captures/imported and opens it', async () => {
    const h = join(dir, 'h3');
    const e = engine(h);
    await e.start();
    await e.commands.setAgeIdentity({ path: alice });
    const b64 = readFileSync(sealed).toString('base64');
    const r = await e.commands.importEncrypted({ name: 'from-auditor.age', b64 });
    expect(r.sessionId).toBeDefined();
    const stored = join(h, 'captures', 'imported', 'from-auditor.age');
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    const plain = Buffer.from('{"type":"header"}\n').toString('base64');
    await expect(e.commands.importEncrypted({ name: 'plain.age', b64: plain })).rejects.toThrow(
      /not an age-encrypted file/,
    );
  });
});
