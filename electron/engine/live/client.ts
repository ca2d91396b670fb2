// Recorder side of the live feed: while an app is running (live.json in the data dir), stream the
// capture to it — first the file as written so far, then every record as the CaptureWriter writes
// it. A recorder started before the app joins when the app appears (live.json is checked every
// POLL_MS), and rejoins an app that restarted; the app drops records it already has (by seq).
//
// Recording must never wait for, or fail because of, the app: all socket I/O is asynchronous, the
// socket never keeps the recorder alive on its own (except up to 1 s to flush the last record),
// nothing is buffered while no app listens, and an app that stops reading (more than MAX_BACKLOG
// bytes unsent) ends the feed for good. The capture file is the source of truth.

import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import type { CaptureWriter } from '../capture/writer.js';
import { dataDir as defaultDataDir } from '../paths.js';
import {
  isLiveInfo,
  liveInfoPath,
  LIVE_PROTOCOL_VERSION,
  type LiveHello,
  type LiveInfo,
} from './endpoint.js';

const MAX_BACKLOG = 16 * 1024 * 1024;
const POLL_MS = 2000;

export type LiveFeedState = 'idle' | 'streaming' | 'stopped';

export interface LiveFeedHandle {
  /** idle: no app (polling); streaming: connected; stopped: for good. */
  readonly state: LiveFeedState;
  /** Why the feed stopped for good, if it did. */
  readonly stopped: string | undefined;
  stop(reason?: string): void;
}

export interface AttachOptions {
  dataDir?: string;
  /** Polling interval for a running app (default 2 s). */
  pollMs?: number;
  /** Told when the feed stops for good (diagnostics; never on stdout). */
  onStop?: (reason: string) => void;
}

function readLiveInfo(dir: string): LiveInfo | undefined {
  let text: string;
  try {
    text = readFileSync(liveInfoPath(dir), 'utf8');
  } catch {
    return undefined; // no app running: the common case, and cheap
  }
  try {
    const v: unknown = JSON.parse(text);
    if (!isLiveInfo(v)) return undefined;
    try {
      process.kill(v.pid, 0); // stale file of a crashed app?
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
    }
    return v;
  } catch {
    return undefined;
  }
}

/** Attach a live feed to a writer. Costs nothing measurable while no app runs. */
export function attachLiveFeed(writer: CaptureWriter, opts: AttachOptions = {}): LiveFeedHandle {
  const dir = opts.dataDir ?? defaultDataDir();
  let state: LiveFeedState = 'idle';
  let stoppedReason: string | undefined;
  let socket: Socket | undefined;
  /** Lines written since the history snapshot, waiting for the history to be sent. */
  let queue: string[] = [];
  let queued = 0;
  let historySent = false;
  let scheduled = false;
  let ended = false;
  let poll: ReturnType<typeof setInterval> | undefined;

  const stopPolling = (): void => {
    if (poll) clearInterval(poll);
    poll = undefined;
  };

  const drop = (): void => {
    const s = socket;
    socket = undefined;
    queue = [];
    queued = 0;
    historySent = false;
    s?.destroy();
  };

  const stop = (reason: string): void => {
    if (state === 'stopped') return;
    state = 'stopped';
    stoppedReason = reason;
    stopPolling();
    unsubscribe();
    drop();
    opts.onStop?.(reason);
  };

  /** The app went away: wait for the next one (the file is replayed to it). */
  const lost = (): void => {
    if (state !== 'streaming') return;
    drop();
    state = 'idle';
    if (ended) stop('recording ended');
    else startPolling();
  };

  const finish = (): void => {
    // The end record is out: let the last bytes leave, but never hold the recorder over 1 s.
    const s = socket;
    if (!s) return stop('recording ended');
    state = 'stopped';
    stoppedReason = 'recording ended';
    stopPolling();
    unsubscribe();
    s.ref();
    s.end();
    setTimeout(() => s.destroy(), 1000).unref();
  };

  const flush = (): void => {
    scheduled = false;
    if (state !== 'streaming' || !socket || !historySent) return;
    if (queue.length > 0) {
      const text = queue.join('');
      queue = [];
      queued = 0;
      if (socket.writableLength + text.length > MAX_BACKLOG) {
        stop('the app is not keeping up; its live view stops here (the capture file is complete)');
        return;
      }
      socket.write(text);
    }
    if (ended) finish();
  };

  const connect = (): void => {
    if (state !== 'idle' || writer.error) return;
    const info = readLiveInfo(dir);
    if (!info) return;
    let size: number;
    try {
      // Everything up to here is complete lines (the writer writes synchronously on this thread).
      size = statSync(writer.path).size;
    } catch {
      return;
    }
    let s: Socket;
    try {
      s = createConnection(info.endpoint);
    } catch {
      return;
    }
    stopPolling();
    state = 'streaming';
    socket = s;
    s.unref();
    s.on('error', () => (socket === s ? lost() : undefined));
    s.on('close', () => (socket === s ? lost() : undefined));
    const hello: LiveHello = {
      t: 'hello',
      v: LIVE_PROTOCOL_VERSION,
      token: info.token,
      path: writer.path,
      pid: process.pid,
    };
    s.write(`${JSON.stringify(hello)}\n`);
    // The history (header first) streams with backpressure; live lines queue behind it.
    const history = createReadStream(writer.path, { start: 0, end: Math.max(0, size - 1) });
    history.on('error', () => (socket === s ? lost() : undefined));
    history.on('end', () => {
      if (socket !== s) return;
      historySent = true;
      flush();
    });
    history.pipe(s, { end: false });
  };

  const startPolling = (): void => {
    if (poll || state !== 'idle') return;
    poll = setInterval(connect, opts.pollMs ?? POLL_MS);
    poll.unref();
  };

  const unsubscribe = writer.subscribe((record, line) => {
    if (record.type === 'end') ended = true;
    if (state === 'streaming') {
      queue.push(`${line}\n`);
      queued += line.length + 1;
      if (queued > MAX_BACKLOG)
        return stop(
          'the app is not keeping up; its live view stops here (the capture file is complete)',
        );
      if (ended) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    } else if (ended && state === 'idle') {
      stop('recording ended');
    }
  });

  connect();
  if (state === 'idle') startPolling();

  return {
    get state() {
      return state;
    },
    get stopped() {
      return stoppedReason;
    },
    stop: (reason = 'stopped') => stop(reason),
  };
}
