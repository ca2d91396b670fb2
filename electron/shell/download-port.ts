// Downloads of the Export menu in the Electron shell. The page opens `download/TICKET` on our own
// scheme (mcpscope://app), which main serves; the ticket (single use, 60 s, one file: see
// engine/app/export-files.ts) is redeemed by the engine, which runs in a utilityProcess, so main
// asks it over the parent port, streams the file it names from disk as an attachment (Electron
// then asks the user where to save it), and tells the engine when it is sent so the file is
// deleted. Pure message logic, tested without the Electron binary.

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { isObject } from '../../shared/json.js';
import type { DownloadGrant } from '../engine/app/export-files.js';
import { contentDisposition } from '../server/download.js';

export const DOWNLOAD_PATH_PREFIX = '/download/';

export interface DownloadRequest {
  t: 'download';
  id: number;
  ticket: string;
}

export interface GrantedFile {
  path: string;
  fileName: string;
  mimeType: string;
  size: number;
}

export interface DownloadReply {
  t: 'download-reply';
  id: number;
  file?: GrantedFile;
}

export interface DownloadDone {
  t: 'download-done';
  id: number;
}

/** The engine side: answers requests with `redeem`, deletes a file when main says it was sent. */
export function downloadAnswerer(
  redeem: (ticket: string) => DownloadGrant | undefined,
  post: (m: DownloadReply) => void,
): (m: unknown) => boolean {
  const granted = new Map<number, DownloadGrant>();
  return (m) => {
    if (!isObject(m) || typeof m.id !== 'number') return false;
    if (m.t === 'download-done') {
      granted.get(m.id)?.done();
      granted.delete(m.id);
      return true;
    }
    if (m.t !== 'download') return false;
    const grant = typeof m.ticket === 'string' ? redeem(m.ticket) : undefined;
    if (!grant) {
      post({ t: 'download-reply', id: m.id });
      return true;
    }
    granted.set(m.id, grant);
    const { path, fileName, mimeType, size } = grant;
    post({ t: 'download-reply', id: m.id, file: { path, fileName, mimeType, size } });
    return true;
  };
}

function refused(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** The main side: `respond(ticket)` is the protocol handler's answer for download/TICKET. */
export function downloadRequester(
  post: (m: DownloadRequest | DownloadDone) => void,
  timeoutMs = 10_000,
): { respond: (ticket: string) => Promise<Response>; onMessage: (m: unknown) => boolean } {
  let next = 1;
  const pending = new Map<number, (f: GrantedFile | undefined) => void>();
  const ask = (ticket: string) =>
    new Promise<{ id: number; file: GrantedFile | undefined }>((resolve) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({ id, file: undefined });
      }, timeoutMs);
      pending.set(id, (file) => {
        clearTimeout(timer);
        resolve({ id, file });
      });
      post({ t: 'download', id, ticket });
    });
  const respond = async (ticket: string): Promise<Response> => {
    const { id, file } = await ask(ticket);
    if (!file)
      return refused(
        404,
        'this download link is unknown, used or expired (each works once, within 60 s): press Download in the Export dialog again',
      );
    let told = false;
    const done = (): void => {
      if (told) return;
      told = true;
      post({ t: 'download-done', id });
    };
    const stream = createReadStream(file.path);
    stream.once('close', done);
    stream.once('error', done);
    return new Response(Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>, {
      status: 200,
      headers: {
        'content-type': file.mimeType,
        'content-length': String(file.size),
        'content-disposition': contentDisposition(file.fileName),
        'cache-control': 'no-store',
      },
    });
  };
  const onMessage = (m: unknown): boolean => {
    if (!isObject(m) || m.t !== 'download-reply' || typeof m.id !== 'number') return false;
    const p = pending.get(m.id);
    pending.delete(m.id);
    const f = m.file;
    const ok =
      isObject(f) &&
      typeof f.path === 'string' &&
      typeof f.fileName === 'string' &&
      typeof f.mimeType === 'string' &&
      typeof f.size === 'number';
    p?.(ok ? (f as unknown as GrantedFile) : undefined);
    return true;
  };
  return { respond, onMessage };
}
