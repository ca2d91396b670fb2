// Where a running app listens for live recorder feeds, and how recorders find it.
//
// The app writes `live.json` ({endpoint, token, pid}) into the data dir with mode 0600, so only
// the same user can read the token; a recorder that finds the file connects and proves itself with
// the token. Unix: a socket file in the data dir (or in the temp dir when the path would exceed
// the OS's ~104-byte limit). Windows: a named pipe whose name is derived from the data dir.

import { createHash } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const LIVE_PROTOCOL_VERSION = 1;
export const LIVE_INFO_FILE = 'live.json';

export interface LiveInfo {
  v: number;
  endpoint: string;
  token: string;
  pid: number;
}

export function liveInfoPath(dataDir: string): string {
  return join(dataDir, LIVE_INFO_FILE);
}

export function liveEndpoint(dataDir: string, platform = process.platform): string {
  const tag = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\mcpscope-live-${tag}`;
  const inDir = join(dataDir, 'live.sock');
  if (Buffer.byteLength(inDir) <= 100) return inDir;
  let user = 'user';
  try {
    user = String(userInfo().uid);
  } catch {
    // no passwd entry (containers): the hash still keeps data dirs apart
  }
  return join(tmpdir(), `mcpscope-${user}-${tag}.sock`);
}

/** First line a recorder sends. */
export interface LiveHello {
  t: 'hello';
  v: number;
  token: string;
  /** The capture file the recorder writes (so the app can export it). */
  path?: string;
  pid?: number;
}

export function isLiveInfo(v: unknown): v is LiveInfo {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    o.v === LIVE_PROTOCOL_VERSION &&
    typeof o.endpoint === 'string' &&
    typeof o.token === 'string' &&
    typeof o.pid === 'number'
  );
}
