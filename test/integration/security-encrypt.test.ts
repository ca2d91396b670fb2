// Encryption at rest: `export --encrypt-to` writes an age file that verify/show/scan open with
// --identity, decrypted in memory; a missing or wrong identity is a clear error with exit 4.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppEngine } from '../../electron/engine/app/engine.js';
import { readIdentityFile } from '../../electron/engine/capture/age.js';
import { recordEchoPings, runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-sec-encrypt-');
const home = join(dir, 'home');
const env = { MCPSCOPE_HOME: home };
const cli = (args: string[]) => runCli(args, { env, timeoutMs: 60_000 });
const original = join(dir, 'original.mcpscope.jsonl');
const alice = join(dir, 'alice.key');
const bob = join(dir, 'bob.key');
let aliceRecipient = '';
let bobRecipient = '';

beforeAll(async () => {
  const r = await recordEchoPings(original, 20, env);
  expect(r.code).toBe(0);
  const a = await cli(['key', 'age-keygen', '--out', alice]);
  expect(a.code).toBe(0);
  aliceRecipient = /Public key: (age1\w+)/.exec(a.stderr)![1]!;
  const b = await cli(['key', 'age-keygen', '--out', bob]);
  bobRecipient = /Public key: (age1\w+)/.exec(b.stderr)![1]!;
}, 90_000);

describe('key age-keygen', () => {
  it('writes a 0600 identity in age-keygen format and never overwrites it', async () => {
    expect(statSync(alice).mode & 0o777).toBe(0o600);
    const text = readFileSync(alice, 'utf8');
    expect(text).toMatch(/^# public key: age1\w+$/m);
    expect(text).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]+$/m);
    const again = await cli(['key', 'age-keygen', '--out', alice]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('never overwrites');
    expect(readFileSync(alice, 'utf8')).toBe(text);
  });
});

describe('export --encrypt-to', () => {
  it('writes an age file that verify --identity finds intact; no plaintext file is written', async () => {
    const before = new Set(readdirSync(dir));
    const out = join(dir, 'sealed.age');
    const r = await cli([
      'export',
      original,
      '--no-redact',
      '--encrypt-to',
      aliceRecipient,
      '--out',
      out,
    ]);
    expect(r.stderr).toContain('encrypted with age to 1 recipient');
    expect(r.code).toBe(0);
    const after = readdirSync(dir).filter((n) => !before.has(n));
    expect(after).toEqual(['sealed.age']); // only the encrypted output appeared
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 22).toString('latin1')).toBe('age-encryption.org/v1\n');
    expect(bytes.includes(Buffer.from('"method":"ping"'))).toBe(false);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const v = await cli(['verify', out, '--identity', alice]);
    expect(v.stdout).toContain('intact:');
    expect(v.code).toBe(0);
    // The decrypted capture is the original byte for byte: same final hash.
    const plain = await cli(['verify', original]);
    const hash = (s: string) => /final hash {2}([0-9a-f]{64})/.exec(s)![1];
    expect(hash(v.stdout)).toBe(hash(plain.stdout));
  });

  it('redacted by default, to several recipients (flag and recipients file); each identity opens it', async () => {
    const recipientsFile = join(dir, 'recipients.txt');
    writeFileSync(recipientsFile, `# team\n${bobRecipient}\n`);
    const out = join(dir, 'team.age');
    const r = await cli([
      'export',
      original,
      '--encrypt-to',
      aliceRecipient,
      '--encrypt-to',
      recipientsFile,
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('to 2 recipients');
    for (const id of [alice, bob]) {
      const v = await cli(['verify', out, '--identity', id]);
      expect(v.code).toBe(0);
      expect(v.stdout).toContain('intact:');
    }
    const show = await cli(['show', '--json', out, '--identity', bob]);
    expect(show.code).toBe(0);
    expect((JSON.parse(show.stdout) as { messages: unknown[] }).messages).toHaveLength(40);
    const scan = await cli(['scan', '--json', out, '--identity', alice]);
    expect(scan.code).toBe(0);
    expect((JSON.parse(scan.stdout) as { servers: unknown[] }).servers).toHaveLength(1);
  });

  it('a missing or wrong identity is a clear error with exit 4; show and scan refuse too', async () => {
    const out = join(dir, 'alice-only.age');
    expect(
      (await cli(['export', original, '--encrypt-to', aliceRecipient, '--out', out])).code,
    ).toBe(0);
    const none = await cli(['verify', out]);
    expect(none.code).toBe(4);
    expect(none.stderr).toContain('encrypted with age; pass --identity FILE');
    const wrong = await cli(['verify', out, '--identity', bob]);
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('none of the given age identities can open this capture');
    const show = await cli(['show', out]);
    expect(show.code).toBe(2);
    expect(show.stderr).toContain('pass --identity FILE');
    const scan = await cli(['scan', out, '--identity', bob]);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toContain('none of the given age identities');
  });

  it('a damaged encrypted file is reported as such, not as a capture problem', async () => {
    const out = join(dir, 'damaged.age');
    expect(
      (await cli(['export', original, '--encrypt-to', aliceRecipient, '--out', out])).code,
    ).toBe(0);
    const b = readFileSync(out);
    b[b.length - 20] = b[b.length - 20]! ^ 0xff;
    writeFileSync(out, b);
    const v = await cli(['verify', out, '--identity', alice]);
    expect(v.code).toBe(4);
    expect(v.stderr).toContain('altered or cut');
  });

  it('bad recipients and identity files say what to do', async () => {
    const r = await cli([
      'export',
      original,
      '--encrypt-to',
      'age1nope',
      '--out',
      join(dir, 'x.age'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a valid age X25519 recipient');
    const notKey = join(dir, 'notkey.txt');
    writeFileSync(notKey, 'hello\n');
    const v = await cli(['verify', original, '--identity', notKey]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('not an age identity file');
  });
});

describe('the app opens an encrypted capture (ui FILE --identity)', () => {
  it('with the identity: decrypted in memory, records and integrity as the original', async () => {
    const out = join(dir, 'for-app.age');
    expect(
      (await cli(['export', original, '--no-redact', '--encrypt-to', aliceRecipient, '--out', out]))
        .code,
    ).toBe(0);
    const engine = new AppEngine({
      mode: 'browser',
      dataDir: join(dir, 'app-home'),
      liveFeed: false,
      scan: false,
    });
    try {
      await engine.openFiles([out], { identities: readIdentityFile(alice) });
      const id = engine.openSessions[0]!;
      const s = await engine.commands.getSession({ sessionId: id });
      expect(s.integrity?.intact).toBe(true);
      expect(s.frameCount).toBe(40);
      const page = await engine.commands.readRecords({ sessionId: id, limit: 1000 });
      expect(page.records.some((r) => r.type === 'frame' && r.text?.includes('"ping"'))).toBe(true);
      expect((await engine.commands.verifySession({ sessionId: id })).intact).toBe(true);
    } finally {
      await engine.dispose();
    }
  });

  it('ui without the identity, or with a wrong one, exits 2 before listening, saying what to pass', async () => {
    const out = join(dir, 'for-ui.age');
    expect(
      (await cli(['export', original, '--encrypt-to', aliceRecipient, '--out', out])).code,
    ).toBe(0);
    const none = await cli(['ui', '--no-open', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('pass --identity FILE');
    expect(none.stdout).toBe('');
    const wrong = await cli(['ui', '--no-open', out, '--identity', bob]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('none of the given age identities');
  });
});
