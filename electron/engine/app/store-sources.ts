// Team stores (PostgreSQL) as library sources for the app. The connection string stays in the
// engine: in memory for this run (browser mode asks again each run), or, when the user asks to
// remember it and the shell can encrypt (Electron's safeStorage, the OS keychain), encrypted in
// <data dir>/store-sources.json. Never in plain text on disk. Sessions are listed and searched
// in the database and opened as read-only copies (origin "store") pulled into a private
// temporary folder removed when the engine stops.

import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HostApiError,
  type AddStoreSourceArgs,
  type ListStoreSessionsArgs,
  type SessionSummary,
  type StoreSessionInfo,
  type StoreSourceInfo,
} from '../../../shared/host-api.js';
import { isObject } from '../../../shared/json.js';
import { listSessions, openStore, pullCapture, safeStoreUrl, StoreError } from '../store/pg.js';
import { ensurePrivateDir } from '../fsperm.js';
import type { SessionRegistry } from './registry.js';

/** Encrypts secrets for storage on disk (Electron: safeStorage). */
export interface SecretBox {
  available(): boolean;
  encrypt(text: string): Buffer;
  decrypt(data: Buffer): string;
}

/** The shape of Electron's `safeStorage` this needs (main.ts passes the real one). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
}

/** Electron's safeStorage as a SecretBox: the thin Electron part, tested with a stand-in. */
export function safeStorageBox(s: SafeStorageLike): SecretBox {
  return {
    available: () => {
      try {
        return s.isEncryptionAvailable();
      } catch {
        return false;
      }
    },
    encrypt: (text) => s.encryptString(text),
    decrypt: (data) => s.decryptString(data),
  };
}

interface Source {
  info: StoreSourceInfo;
  url: string;
}

const FILE = 'store-sources.json';

export class StoreSources {
  private readonly sources = new Map<string, Source>();
  private cacheDir: string | undefined;
  /** Why remembered sources could not be read back, if they could not. */
  loadProblem: string | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly registry: SessionRegistry,
    private readonly box?: SecretBox,
  ) {}

  /** Reads the remembered (encrypted) sources back; needs the box. */
  load(): void {
    const path = join(this.dataDir, FILE);
    if (!this.box || !existsSync(path)) return;
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      const list = isObject(data) && Array.isArray(data.sources) ? data.sources : [];
      for (const s of list) {
        if (!isObject(s) || typeof s.secret !== 'string') continue;
        const url = this.box.decrypt(Buffer.from(s.secret, 'base64'));
        const info = { id: idOf(url), label: safeStoreUrl(url), remembered: true };
        this.sources.set(info.id, { info, url });
      }
    } catch (e) {
      this.loadProblem = `the remembered team stores could not be read: ${(e as Error).message}`;
    }
  }

  async add(a: AddStoreSourceArgs): Promise<StoreSourceInfo> {
    if (a.remember && !this.box?.available())
      throw new HostApiError(
        'bad-request',
        'this app cannot encrypt the connection string here (browser mode or no OS keychain); add the store without "remember" and give it again next time',
      );
    // Connecting first: a wrong URL or password is reported now, not when browsing.
    const c = await this.open(a.url);
    await c.end().catch(() => undefined);
    const info = { id: idOf(a.url), label: safeStoreUrl(a.url), remembered: a.remember === true };
    this.sources.set(info.id, { info, url: a.url });
    this.save();
    return info;
  }

  list(): StoreSourceInfo[] {
    return [...this.sources.values()].map((s) => s.info);
  }

  remove(id: string): boolean {
    const had = this.sources.delete(id);
    if (had) this.save();
    return had;
  }

  async sessions(a: ListStoreSessionsArgs): Promise<StoreSessionInfo[]> {
    const c = await this.open(this.get(a.sourceId).url);
    try {
      return await listSessions(c, {
        ...(a.text !== undefined ? { text: a.text.trim() } : {}),
        ...(a.server !== undefined ? { server: a.server } : {}),
        ...(a.finding !== undefined ? { finding: a.finding } : {}),
        ...(a.since !== undefined ? { since: new Date(a.since) } : {}),
        limit: a.limit ?? 500,
      });
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async openSession(sourceId: string, sessionId: string): Promise<SessionSummary> {
    if (this.registry.has(sessionId)) return this.registry.get(sessionId).summary();
    const c = await this.open(this.get(sourceId).url);
    this.cacheDir ??= mkdtempSync(join(tmpdir(), 'mcpscope-store-app-'));
    const path = join(this.cacheDir, `${sessionId}.mcpscope.jsonl`);
    try {
      await pullCapture(c, sessionId, path);
    } catch (e) {
      if (e instanceof StoreError) throw new HostApiError('not-found', e.message);
      throw e;
    } finally {
      await c.end().catch(() => undefined);
    }
    return (await this.registry.openFile(path, 'store')).summary();
  }

  dispose(): void {
    if (this.cacheDir) rmSync(this.cacheDir, { recursive: true, force: true });
    this.cacheDir = undefined;
  }

  private get(id: string): Source {
    const s = this.sources.get(id);
    if (!s)
      throw new HostApiError(
        'not-found',
        'no such team store in this run; add it again with its connection string',
      );
    return s;
  }

  private async open(url: string) {
    try {
      return await openStore(url, { connectTimeoutMs: 8000, queryTimeoutMs: 60_000 });
    } catch (e) {
      if (e instanceof StoreError) throw new HostApiError('unavailable', e.message);
      throw e;
    }
  }

  /** Only remembered sources are written, and only encrypted. */
  private save(): void {
    const remembered = [...this.sources.values()].filter((s) => s.info.remembered);
    const path = join(this.dataDir, FILE);
    if (!this.box?.available()) return;
    if (remembered.length === 0 && !existsSync(path)) return;
    ensurePrivateDir(this.dataDir, this.dataDir);
    const sources = remembered.map((s) => ({
      label: s.info.label,
      secret: this.box!.encrypt(s.url).toString('base64'),
    }));
    writeFileSync(path, `${JSON.stringify({ sources }, null, 2)}\n`, { mode: 0o600 });
  }
}

const idOf = (url: string): string =>
  `st${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
