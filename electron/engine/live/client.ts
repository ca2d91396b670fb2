// Recorder side of the live feed: if an app is running (live.json in the data dir), stream every
// record the CaptureWriter writes to it. Recording must never wait for, or fail because of, the
// app: writes are asynchronous, the socket never keeps the recorder alive on its own, and if the
// app is slow (more than MAX_BACKLOG bytes unsent) or gone, the feed stops and only the file
// remains — the capture file is the source of truth, the feed is a convenience.

import { readFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { encodeLine } from '../../../shared/capture/index.js';
import { nodeSha256, type CaptureWriter } from '../capture/writer.js';
import { dataDir as defaultDataDir } from '../paths.js';
import { isLiveInfo, liveInfoPath, LIVE_PROTOCOL_VERSION, type LiveHello, type LiveInfo } from './endpoint.js';

const MAX_BACKLOG = 16 * 1024 * 1024;

export interface LiveFeedHandle {
  /** Why the feed stopped, if it did. */
  readonly stopped: string | undefined;
  stop(reason?: string): void;
}

export interface AttachOptions {
  dataDir?: string;
  /** Told once when the feed stops early (diagnostics; never on stdout). */
  onStop?: (reason: string) => void;
}

function readLiveInfo(dir: string): LiveInfo | undefined {
  let text: string;
  try {
    text = readFileSync(liveInfoPath(dir), 'utf8');
  } catch {
    return undefined; // no app running: the common case, and free
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

/** Attach a live feed to a writer; returns undefined when no app is running. */
export function attachLiveFeed(writer: CaptureWriter, opts: AttachOptions = {}): LiveFeedHandle | undefined {
  const info = readLiveInfo(opts.dataDir ?? defaultDataDir());
  if (!info) return undefined;

  let socket: Socket;
  try {
    socket = createConnection(info.endpoint);
  } catch {
    return undefined;
  }
  socket.unref();
  socket.setNoDelay?.(true);

  let stopped: string | undefined;
  let queue: string[] = [];
  let scheduled = false;
  let unsubscribe: () => void = () => undefined;

  const stop = (reason: string): void => {
    if (stopped) return;
    stopped = reason;
    unsubscribe();
    queue = [];
    socket.destroy();
    opts.onStop?.(reason);
  };

  const flush = (): void => {
    scheduled = false;
    if (stopped || queue.length === 0) return;
    const text = queue.join('');
    queue = [];
    if (socket.writableLength + text.length > MAX_BACKLOG) {
      stop('the app is not keeping up; the live view stops here (the capture file is complete)');
      return;
    }
    socket.write(text);
  };

  socket.on('error', (e) => stop(`live feed unavailable: ${e.message}`));
  socket.on('close', () => stop('the app closed the live feed'));

  const hello: LiveHello = { t: 'hello', v: LIVE_PROTOCOL_VERSION, token: info.token, path: writer.path, pid: process.pid };
  // The header was written before we subscribed; its line is reproducible (it chains from "").
  queue.push(`${JSON.stringify(hello)}\n`, `${encodeLine(writer.header, '', nodeSha256).line}\n`);
  unsubscribe = writer.subscribe((record, line) => {
    if (stopped) return;
    queue.push(`${line}\n`);
    if (record.type === 'end') {
      flush();
      // Let the last bytes leave, but never hold the recorder more than a second for it.
      socket.ref();
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
      unsubscribe();
      return;
    }
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
  flush();

  return {
    get stopped() {
      return stopped;
    },
    stop: (reason = 'stopped') => stop(reason),
  };
}
