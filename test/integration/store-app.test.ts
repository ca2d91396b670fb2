// The engine's team-store sources against a real PostgreSQL: remembered connection strings are
// written only encrypted (Electron safeStorage, here a stand-in with the same shape) and read back
// by the next run; without encryption (browser mode) "remember" is refused and nothing is
// written; sessions are listed with filters and opened as read-only "store" copies; the
// host-api schemas refuse bad arguments.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppEngine } from '../../electron/engine/app/engine.js';
import { safeStorageBox, type SafeStorageLike } from '../../electron/shell/secret-port.js';
import { installSigner } from '../../electron/engine/capture/key.js';
import { checkCommandArgs } from '../../shared/host-api-schemas.js';
import { HostApiError } from '../../shared/host-api.js';
import { writeFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';
import { pgMissing, startPg, type TestPg } from '../helpers/postgres.js';
import { makeCapture } from '../unit/renderer-fixtures.js';

const missing = pgMissing();
if (missing && process.env.CI === 'true')
  throw new Error(`team-store tests need PostgreSQL: ${missing}`);

/** A stand-in for Electron's safeStorage: reversible, and visibly not the plain text. */
const fakeSafeStorage = (available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (t) => Buffer.from(`enc:${Buffer.from(t).reverse().toString('base64')}`),
  decryptString: (b) => {
    const s = b.toString();
    if (!s.startsWith('enc:')) throw new Error('not encrypted by this stand-in');
    return Buffer.from(s.slice(4), 'base64').reverse().toString();
  },
});

let db: TestPg;
const dir = scratchDir();
const engines: AppEngine[] = [];
const engine = (box?: SafeStorageLike): AppEngine => {
  const e = new AppEngine({
    mode: box ? 'electron' : 'browser',
    dataDir: join(dir, 'home'),
    liveFeed: false,
    scan: false,
    ...(box ? { secretBox: safeStorageBox(box) } : {}),
  });
  engines.push(e);
  return e;
};

describe('safeStorageBox (the Electron part)', () => {
  it('passes strings through safeStorage and reports it unavailable when it throws', async () => {
    const box = safeStorageBox(fakeSafeStorage());
    expect(await box.available()).toBe(true);
    expect(await box.decrypt(await box.encrypt('postgres://u:p@h/db'))).toBe('postgres://u:p@h/db');
    const broken = safeStorageBox({
      ...fakeSafeStorage(),
      isEncryptionAvailable: () => {
        throw new Error('no keychain before app ready');
      },
    });
    expect(await broken.available()).toBe(false);
  });
});

describe.skipIf(missing !== undefined)('team-store sources in the app engine', () => {
  beforeAll(async () => {
    db = await startPg();
    const c = makeCapture('ab12000000000001', 'gamma');
    c.frame('c2s', { jsonrpc: '2.0', id: 1, method: 'ping' });
    c.frame('s2c', { jsonrpc: '2.0', id: 1, result: {} });
    c.add({ type: 'end', reason: 'done' });
    const path = join(dir, 'g.mcpscope.jsonl');
    writeFileSync(path, c.text(installSigner()));
    expect((await runCli(['push', path, '--to', db.url])).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    for (const e of engines) await e.dispose();
    db?.stop();
  });

  it('remembers a store only encrypted, and the next run reads it back', async () => {
    const url = db.url.replace('postgres@', 'postgres:s3cret-pw@');
    const first = engine(fakeSafeStorage());
    const info = await first.commands.addStoreSource({ url, remember: true });
    expect(info.label).not.toContain('s3cret-pw');
    expect(info.label).toContain('***@');
    const file = readFileSync(join(dir, 'home', 'store-sources.json'), 'utf8');
    expect(file).not.toContain('s3cret-pw');
    // Only the password-free label is readable; the connection string is encrypted.
    expect(JSON.parse(file)).toEqual({
      sources: [{ label: info.label, secret: expect.stringMatching(/^[A-Za-z0-9+/=]+$/) }],
    });
    // The next run reads the remembered stores back when it starts (through the keychain).
    const next = engine(fakeSafeStorage());
    await next.start();
    expect(await next.commands.listStoreSources(undefined)).toEqual([info]);
    const rows = await next.commands.listStoreSessions({ sourceId: info.id, text: 'GAMMA' });
    expect(rows).toEqual([expect.objectContaining({ id: 'ab12000000000001', complete: true })]);
    expect(
      await next.commands.listStoreSessions({ sourceId: info.id, finding: 'secret.jwt' }),
    ).toEqual([]);
    const s = await next.commands.openStoreSession({
      sourceId: info.id,
      sessionId: 'ab12000000000001',
    });
    expect(s).toMatchObject({ origin: 'store', frameCount: 2, closed: true });
    expect(s.integrity?.intact).toBe(true);
    expect((await next.commands.removeStoreSource({ sourceId: info.id })).removed).toBe(true);
    expect(readFileSync(join(dir, 'home', 'store-sources.json'), 'utf8')).not.toContain('enc:');
  });

  it('without encryption (browser mode) keeps the store in memory only', async () => {
    const b = engine();
    await expect(b.commands.addStoreSource({ url: db.url, remember: true })).rejects.toThrow(
      /cannot encrypt the connection string/,
    );
    const info = await b.commands.addStoreSource({ url: db.url });
    expect(info.remembered).toBe(false);
    expect(await engine().commands.listStoreSources(undefined)).toEqual([]);
    await expect(
      b.commands.openStoreSession({ sourceId: info.id, sessionId: 'ffff000000000000' }),
    ).rejects.toBeInstanceOf(HostApiError);
    await expect(b.commands.listStoreSessions({ sourceId: 'st000000000000' })).rejects.toThrow(
      /add it again/,
    );
    // Nothing of this in-memory store reached the data folder (the file holds no source).
    const path = join(dir, 'home', 'store-sources.json');
    if (existsSync(path)) expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ sources: [] });
  });

  it('checks the arguments of the store commands', () => {
    expect(() => checkCommandArgs('addStoreSource', { url: 'mysql://x' })).toThrow(
      /PostgreSQL URL/,
    );
    expect(() =>
      checkCommandArgs('openStoreSession', { sourceId: 'st1', sessionId: '../../etc' }),
    ).toThrow(/must be an id/);
    expect(() =>
      checkCommandArgs('listStoreSessions', { sourceId: 'st1', since: 'yesterday-ish' }),
    ).toThrow(/ISO 8601/);
    expect(checkCommandArgs('listStoreSessions', { sourceId: 'st1', text: 'x' })).toEqual({
      sourceId: 'st1',
      text: 'x',
    });
  });
});
