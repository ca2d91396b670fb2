// GET /download/TICKET: the file of one export of the app's Export menu (engine/app/export-files.ts).
// A plain link cannot send the session credential, so the URL carries a download ticket instead:
// random, single use, valid for 60 s, bound to that one file, so the URL in browser history grants
// nothing afterwards. The file is streamed from disk (never held whole), sent as an attachment
// that no cache keeps, and deleted once it has been sent (or the transfer broke off).

import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const DOWNLOAD_PREFIX = '/download/';

/** What the engine grants for a ticket (see ExportFiles.redeem). */
export interface DownloadFile {
  path: string;
  fileName: string;
  mimeType: string;
  size: number;
  done(): void;
}

export type RedeemDownload = (ticket: string) => DownloadFile | undefined;

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || 'export';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function refuse(res: ServerResponse, status: number, text: string, extra: object = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(`${text}\n`);
}

export function serveDownload(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  redeem: RedeemDownload | undefined,
): void {
  // Only GET spends a ticket (a HEAD or a prefetch must not use it up).
  if (req.method !== 'GET') return refuse(res, 405, 'downloads are GET only', { allow: 'GET' });
  const grant = redeem?.(pathname.slice(DOWNLOAD_PREFIX.length));
  if (!grant)
    return refuse(
      res,
      404,
      'this download link is unknown, used or expired (each works once, within 60 s): press Download in the Export dialog again',
    );
  let finished = false;
  const stream = createReadStream(grant.path);
  const end = (): void => {
    if (finished) return;
    finished = true;
    stream.destroy();
    grant.done();
  };
  stream.once('error', (e) => {
    if (!res.headersSent) refuse(res, 500, `cannot read the export: ${e.message}`);
    else res.destroy();
    end();
  });
  res.once('close', end);
  res.writeHead(200, {
    'content-type': grant.mimeType,
    'content-length': String(grant.size),
    'content-disposition': contentDisposition(grant.fileName),
    'cache-control': 'no-store',
  });
  stream.pipe(res);
}
