// App side of the live feed: a local socket (named pipe on Windows) that running recorders
// connect to. A connection must first send a hello line with the token from live.json (readable
// only by the user who started the app), then its capture's lines exactly as written: header
// first, then one record per line. Records are checked like any capture line before use.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { readHeader, type EventRecord, type HeaderRecord } from '../../../shared/capture/index.js';
import { recordProblem } from '../../../shared/capture/validate.js';
import { ensurePrivateDir } from '../fsperm.js';
import {
  liveEndpoint,
  liveInfoPath,
  LIVE_PROTOCOL_VERSION,
  type LiveHello,
  type LiveInfo,
} from './endpoint.js';
import { isObject } from '../../../shared/json.js';

export interface LiveFeedCallbacks {
  /** A recorder announced its capture; return the session id records go to. */
  onStart(header: HeaderRecord, hello: LiveHello): string;
  onRecords(sessionId: string, records: EventRecord[]): void;
  onEnd(sessionId: string): void;
}

export interface LiveFeedServerOptions {
  dataDir: string;
  callbacks: LiveFeedCallbacks;
  /** Longest accepted line (a record with a huge frame), default 256 MiB. */
  maxLineBytes?: number;
  /** Time allowed for the hello line, default 5 s. */
  helloTimeoutMs?: number;
}

function canConnect(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(endpoint);
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    setTimeout(() => done(false), 1000).unref();
  });
}

export class LiveFeedServer {
  readonly endpoint: string;
  readonly token = randomBytes(32).toString('base64url');
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly opts: LiveFeedServerOptions) {
    this.endpoint = liveEndpoint(opts.dataDir);
  }

  /** Listen and publish live.json. Rejects when another running app already owns the feed. */
  async start(): Promise<void> {
    ensurePrivateDir(this.opts.dataDir, this.opts.dataDir);
    const server = createServer((s) => this.accept(s));
    const listen = (): Promise<void> =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.endpoint, () => {
          server.off('error', reject);
          resolve();
        });
      });
    try {
      await listen();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || process.platform === 'win32')
        throw e;
      if (await canConnect(this.endpoint))
        throw new Error(
          `another mcpscope app already receives live sessions (${this.endpoint}); close it to receive them here`,
          { cause: e },
        );
      unlinkSync(this.endpoint); // left behind by an app that crashed
      await listen();
    }
    server.unref();
    this.server = server;
    const info: LiveInfo = {
      v: LIVE_PROTOCOL_VERSION,
      endpoint: this.endpoint,
      token: this.token,
      pid: process.pid,
    };
    const path = liveInfoPath(this.opts.dataDir);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
    renameSync(tmp, path);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const path = liveInfoPath(this.opts.dataDir);
    try {
      const cur = JSON.parse(readFileSync(path, 'utf8')) as Partial<LiveInfo>;
      if (cur.token === this.token) unlinkSync(path); // only our own file
    } catch {
      // already gone
    }
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const max = this.opts.maxLineBytes ?? 256 * 1024 * 1024;
    let chunks: Buffer[] = [];
    let buffered = 0;
    let stage: 'hello' | 'header' | 'records' = 'hello';
    let hello: LiveHello | undefined;
    let sessionId: string | undefined;
    const helloTimer = setTimeout(() => socket.destroy(), this.opts.helloTimeoutMs ?? 5000);
    helloTimer.unref();

    const fail = (): void => {
      socket.destroy();
    };

    const handle = (line: string, batch: EventRecord[]): boolean => {
      if (stage === 'hello') {
        let v: unknown;
        try {
          v = JSON.parse(line);
        } catch {
          return false;
        }
        if (
          !isObject(v) ||
          v.t !== 'hello' ||
          v.v !== LIVE_PROTOCOL_VERSION ||
          typeof v.token !== 'string'
        )
          return false;
        const a = Buffer.from(v.token);
        const b = Buffer.from(this.token);
        if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
        clearTimeout(helloTimer);
        hello = {
          t: 'hello',
          v: LIVE_PROTOCOL_VERSION,
          token: '',
          ...(typeof v.path === 'string' ? { path: v.path } : {}),
          ...(typeof v.pid === 'number' ? { pid: v.pid } : {}),
        };
        stage = 'header';
        return true;
      }
      if (stage === 'header') {
        let header: HeaderRecord;
        try {
          header = readHeader(line);
        } catch {
          return false;
        }
        sessionId = this.opts.callbacks.onStart(header, hello!);
        stage = 'records';
        return true;
      }
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        return true; // a damaged line is skipped, like the tolerant reader does
      }
      if (!isObject(v)) return true;
      const { hash: _hash, ...rec } = v;
      if (recordProblem(rec) || rec.type === 'header') return true;
      batch.push(rec as unknown as EventRecord);
      return true;
    };

    socket.on('data', (chunk: Buffer) => {
      const batch: EventRecord[] = [];
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        chunks.push(chunk.subarray(start, nl));
        const line = Buffer.concat(chunks).toString('utf8');
        chunks = [];
        buffered = 0;
        start = nl + 1;
        if (!handle(line, batch)) return fail();
        // Before the hello, one line is all a peer gets.
        if (stage === 'hello') return fail();
      }
      if (start < chunk.length) {
        chunks.push(chunk.subarray(start));
        buffered += chunk.length - start;
        if (buffered > max || (stage === 'hello' && buffered > 4096)) return fail();
      }
      if (batch.length > 0 && sessionId) this.opts.callbacks.onRecords(sessionId, batch);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(helloTimer);
      this.sockets.delete(socket);
      if (sessionId) this.opts.callbacks.onEnd(sessionId);
    });
  }
}
