// The library of sessions the app knows: capture files in the captures folder, captures the user
// imported, client connections of this app and live recorder feeds. In memory, backed by files
// under dataDir(). Live records are pushed to the UI in batches (one event per session per
// ~10 ms), never one event per record.

import { readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative, isAbsolute } from 'node:path';
import {
  CAPTURE_EXTENSION,
  CaptureFormatError,
  readCapture,
  verifyChain,
  type ChainReport,
  type EventRecord,
  type HeaderRecord,
  type ReadCapture,
  type Transport,
} from '../../../shared/capture/index.js';
import { HostApiError, type HostEventSink, type SessionOrigin } from '../../../shared/host-api.js';
import { loadCaptureFile, readCaptureText, verifyFile } from '../capture/load.js';
import type { ReadOptions } from '../capture/lines.js';
import {
  IndexCounter,
  readHeaderLine,
  readSidecar,
  sidecarPath,
  sidecarState,
  writeSidecar,
} from '../capture/sidecar.js';
import { nodeSha256 } from '../capture/writer.js';
import { loadBounded, Session } from './session.js';
import { ensurePrivateDir, tightenFile } from '../fsperm.js';
import { importedPath } from './imported-path.js';

export interface RegistryOptions {
  capturesDir: string;
  emit: HostEventSink;
  /** Coalescing window for live record events (default 10 ms, well inside the 100 ms goal). */
  batchMs?: number;
  /** At most this many files are loaded by a scan, newest first (default 200). */
  maxScan?: number;
  /** Closed file-backed sessions kept in memory beyond this many records are unloaded, least recently used first (default 2,000,000). */
  maxResidentRecords?: number;
}

interface ScanFile {
  path: string;
  mtime: number;
  size: number;
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Files opened with at least this many records are unloaded after their summary is counted. */
const UNLOAD_RECORDS = 200_000;

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Map<string, EventRecord[]>();
  /** age identities of encrypted captures opened with them (memory only), by session id. */
  private readonly keys = new Map<string, ReadOptions>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: RegistryOptions) {}

  list(): Session[] {
    return [...this.sessions.values()].sort((a, b) => b.header.ts - a.header.ts);
  }

  get(id: string): Session {
    const s = this.sessions.get(id);
    if (!s)
      throw new HostApiError(
        'not-found',
        `no session ${JSON.stringify(id)}: it was deleted or never existed; refresh the library`,
      );
    return s;
  }

  /** A session with its records in memory (read again from its file, streamed, if they were unloaded). */
  async loaded(id: string): Promise<Session> {
    const s = this.get(id);
    s.lastUsed = Date.now();
    if (!s.loaded && s.path) {
      try {
        s.reload((await loadCaptureFile(s.path, this.keys.get(id))).records);
      } catch (e) {
        throw new HostApiError(
          'unavailable',
          `cannot read this session's capture again: ${(e as Error).message}`,
        );
      }
      this.trim(s);
    }
    return s;
  }

  /** Keep memory bounded: unload closed, file-backed sessions, least recently used first. */
  private trim(keep?: Session): void {
    const max = this.opts.maxResidentRecords ?? 2_000_000;
    let total = 0;
    for (const s of this.sessions.values()) total += s.records.length;
    if (total <= max) return;
    const candidates = [...this.sessions.values()]
      .filter((s) => s !== keep && s.loaded && !s.live && s.path)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const s of candidates) {
      if (total <= max) break;
      total -= s.records.length;
      s.unload();
    }
  }

  /** How to read a session's file again (the age identities it was opened with, if any). */
  readOptions(id: string): ReadOptions {
    return this.keys.get(id) ?? {};
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  /** Add a fully read capture. A capture already known (same header id) is returned as is. */
  addRead(read: ReadCapture, origin: SessionOrigin, path?: string): Session {
    if (!read.header) throw new HostApiError('bad-request', 'the capture has no header line');
    const known = this.sessions.get(read.header.id);
    if (known) return known;
    const s = new Session({
      origin,
      header: read.header,
      live: false,
      ...(path ? { path } : {}),
      problems: read.problems.length + (read.truncatedTail ? 1 : 0),
    });
    s.add(read.records);
    this.sessions.set(s.id, s);
    this.trim(s);
    this.opts.emit('onSession', s.summary());
    return s;
  }

  /**
   * Open a capture file the user named (`mcpscope ui FILE`): it stays where it is. Read and
   * verified in one streamed pass, line by line (never the whole file as one string); an
   * age-encrypted capture is decrypted in memory with `opts.identities`.
   */
  async openFile(
    path: string,
    origin: SessionOrigin = 'imported',
    opts: ReadOptions = {},
  ): Promise<Session> {
    // Past UNLOAD_RECORDS only the summary is counted and the session starts unloaded.
    let loaded;
    try {
      loaded = await loadBounded(path, opts, UNLOAD_RECORDS);
    } catch (e) {
      if (e instanceof HostApiError) throw e;
      throw new HostApiError('bad-request', (e as Error).message);
    }
    const { read, state } = loaded;
    // A large file of our own folder gets its sidecar now, so the next start lists it unparsed.
    if (loaded.index && isInside(this.opts.capturesDir, path)) writeSidecar(path, loaded.index);
    const problems = read.problems.length + (read.truncatedTail ? 1 : 0);
    let s: Session;
    if (!state) s = this.addRead(read, origin, path);
    else {
      const header = read.header!;
      const known = this.sessions.get(header.id);
      s =
        known ??
        new Session({
          origin,
          header,
          live: false,
          path,
          problems,
          state,
        });
      if (!known) this.sessions.set(s.id, s);
    }
    if (opts.identities?.length) this.keys.set(s.id, opts);
    this.setIntegrity(s, loaded.integrity);
    return s;
  }

  /** Integrity check on open: the hash chain of the bytes as they are on disk. */
  private check(s: Session, text: string): void {
    this.setIntegrity(s, verifyChain(text, nodeSha256));
  }

  private setIntegrity(s: Session, report: ChainReport): void {
    s.integrity = report;
    this.opts.emit('onSession', s.summary());
  }

  /** Verify a session's file now (streamed). */
  async verify(id: string): Promise<NonNullable<Session['integrity']>> {
    const s = this.get(id);
    if (!s.path)
      throw new HostApiError('unavailable', 'this session has no capture file to verify');
    let report: ChainReport;
    try {
      report = await verifyFile(s.path, this.keys.get(id));
    } catch (e) {
      throw new HostApiError('unavailable', (e as Error).message);
    }
    this.setIntegrity(s, report);
    return s.integrity!;
  }

  /** Import capture text from the UI: stored as a copy under captures/imported/. */
  importText(name: string, text: string): Session {
    const read = this.parse(text, name);
    const known = read.header ? this.sessions.get(read.header.id) : undefined;
    if (known) return known;
    const dir = join(this.opts.capturesDir, 'imported');
    ensurePrivateDir(dir, this.opts.capturesDir);
    const path = importedPath(dir, name, CAPTURE_EXTENSION);
    writeFileSync(path, text, { mode: 0o600 });
    tightenFile(path);
    const s = this.addRead(read, 'imported', path);
    this.check(s, text);
    return s;
  }

  private parse(text: string, what: string): ReadCapture {
    try {
      return readCapture(text);
    } catch (e) {
      if (e instanceof CaptureFormatError)
        throw new HostApiError('bad-request', `${basename(what)}: ${e.message}`);
      throw e;
    }
  }

  /**
   * Load the captures folder (and captures/imported), newest first, skipping known ids. A capture
   * with a fresh sidecar index is listed from its header line and the sidecar (its records are
   * read when it is opened); any other is parsed in full, streamed, and gets a sidecar.
   */
  async scan(): Promise<number> {
    const files: ScanFile[] = [];
    for (const dir of [this.opts.capturesDir, join(this.opts.capturesDir, 'imported')]) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue; // no captures yet
      }
      for (const n of names) {
        if (!n.endsWith(CAPTURE_EXTENSION)) continue;
        const path = join(dir, n);
        try {
          const st = statSync(path);
          // A capture another local user planted is not ours to load.
          if (process.getuid && st.uid !== process.getuid()) continue;
          files.push({ path, mtime: st.mtimeMs, size: st.size });
        } catch {
          // vanished between readdir and stat
        }
      }
    }
    files.sort((a, b) => b.mtime - a.mtime);
    let added = 0;
    const known = new Set([...this.sessions.values()].map((s) => s.path));
    for (const f of files.slice(0, this.opts.maxScan ?? 200)) {
      if (known.has(f.path)) continue;
      const origin = f.path.includes(`${join('captures', 'imported')}`) ? 'imported' : 'file';
      try {
        if (this.fromSidecar(f, origin) ?? (await this.fromParse(f, origin))) added++;
      } catch {
        // Not a capture (or unreadable): the library lists only what it can open.
      }
    }
    return added;
  }

  /** True: added; false: already known; undefined: no usable sidecar (parse instead). */
  private fromSidecar(f: ScanFile, origin: SessionOrigin): boolean | undefined {
    let header;
    try {
      header = readHeaderLine(f.path);
    } catch {
      return undefined; // not a plain header line (e.g. an encrypted capture): the full reader decides
    }
    if (this.sessions.has(header.id)) return false;
    const index = readSidecar(f.path, { size: f.size, mtimeMs: f.mtime }, header.id);
    if (!index) return undefined;
    const s = new Session({
      origin,
      header,
      live: false,
      path: f.path,
      problems: index.problems,
      state: sidecarState(index),
    });
    this.sessions.set(s.id, s);
    this.opts.emit('onSession', s.summary());
    return true;
  }

  /** The full, streamed parse; then the sidecar, if the file did not change meanwhile. */
  private async fromParse(f: ScanFile, origin: SessionOrigin): Promise<boolean> {
    const read = await loadCaptureFile(f.path);
    if (!read.header || this.sessions.has(read.header.id)) return false;
    this.addRead(read, origin, f.path);
    const index = new IndexCounter(read.header);
    for (const r of read.records) index.count(r);
    index.problems = read.problems.length + (read.truncatedTail ? 1 : 0);
    try {
      const now = statSync(f.path);
      if (now.size === f.size && now.mtimeMs === f.mtime)
        writeSidecar(f.path, index, { size: f.size, mtimeMs: f.mtime });
    } catch {
      // Gone meanwhile: nothing to cache.
    }
    return true;
  }

  /** A session whose records will arrive live (client connection, recorder feed). */
  startLive(
    header: HeaderRecord,
    origin: SessionOrigin,
    extra: { path?: string; connectionId?: string; transport?: Transport } = {},
  ): Session {
    const known = this.sessions.get(header.id);
    if (known) {
      known.live = true;
      if (extra.connectionId) known.connectionId = extra.connectionId;
      if (extra.transport) known.transport = extra.transport;
      this.opts.emit('onSession', known.summary());
      return known;
    }
    const s = new Session({ origin, header, live: true, ...extra });
    this.sessions.set(s.id, s);
    this.opts.emit('onSession', s.summary());
    return s;
  }

  appendLive(id: string, records: EventRecord[]): void {
    const s = this.sessions.get(id);
    if (!s) return; // deleted while live: drop
    const fresh = s.add(records);
    if (fresh.length === 0) return;
    const q = this.pending.get(id);
    if (q) q.push(...fresh);
    else this.pending.set(id, fresh);
    this.timer ??= setTimeout(() => this.flush(), this.opts.batchMs ?? 10);
  }

  endLive(id: string): void {
    const s = this.sessions.get(id);
    if (!s || !s.live) return;
    this.flush();
    s.live = false;
    this.opts.emit('onSession', s.summary());
  }

  /** Push pending live records now (also called by the timer). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [sessionId, records] of batches) {
      this.opts.emit('onRecords', { sessionId, records });
      const s = this.sessions.get(sessionId);
      if (s) this.opts.emit('onSession', s.summary());
    }
  }

  /** Forget a session; its file is deleted only when it lives in the captures folder. */
  delete(id: string): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    if (s.live)
      throw new HostApiError(
        'bad-request',
        'this session is still live: disconnect it (or stop its recorder) before deleting it',
      );
    this.sessions.delete(id);
    this.pending.delete(id);
    this.keys.delete(id);
    if (s.path && isInside(this.opts.capturesDir, s.path)) {
      try {
        unlinkSync(s.path);
      } catch {
        // Already gone: the library entry is what the user asked to remove.
      }
      try {
        unlinkSync(sidecarPath(s.path));
      } catch {
        // No sidecar (or already gone): it was only a cache.
      }
    }
    this.opts.emit('onSessionRemoved', { sessionId: id });
    return true;
  }

  /** Drop the sessions of files that were deleted (retention); live sessions stay. */
  forgetPaths(paths: ReadonlySet<string>): void {
    for (const s of [...this.sessions.values()]) {
      if (s.live || !s.path || !paths.has(s.path)) continue;
      this.sessions.delete(s.id);
      this.pending.delete(s.id);
      this.keys.delete(s.id);
      this.opts.emit('onSessionRemoved', { sessionId: s.id });
    }
  }

  exportText(id: string): { fileName: string; text: string } {
    const s = this.get(id);
    if (!s.path)
      throw new HostApiError(
        'unavailable',
        'this session has no capture file (its recorder did not say where it writes); export it from the machine that recorded it',
      );
    let text: string;
    try {
      text = readCaptureText(s.path);
    } catch (e) {
      throw new HostApiError('unavailable', (e as Error).message);
    }
    return { fileName: basename(s.path), text };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
