// Network helpers for tests: a free TCP port on 127.0.0.1, one HTTP request, waiting for a file to go.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request to a server on 127.0.0.1 (Host header `127.0.0.1:PORT` unless given); the whole reply. */
export function httpRequest(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Waits (bounded: 2 s) until `path` no longer exists; whether it went. */
export async function untilGone(path: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (!existsSync(path)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
