// Serves the built renderer (renderer/dist) read-only: no directory listings, no path escapes,
// a strict CSP on HTML. When the renderer is not built, a small page says how to build it.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** renderer/dist, found from the source tree (electron/server) or the build (dist/electron/server). */
export function defaultRendererDir(): string {
  const candidates = ['../../renderer/dist', '../../../renderer/dist'].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  return (
    candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[candidates.length - 1]!
  );
}

export interface StaticFile {
  status: number;
  type: string;
  body: Buffer;
  html: boolean;
}

const NOT_BUILT = `<!doctype html><html><head><meta charset="utf-8"><title>mcpscope</title></head>
<body><h1>mcpscope</h1><p>The UI is not built yet. Run <code>npm run build</code> in the mcpscope checkout, then start <code>mcpscope ui</code> again.</p></body></html>`;

export function resolveStatic(root: string, pathname: string): StaticFile {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400, type: TYPES['.txt']!, body: Buffer.from('bad path\n'), html: false };
  }
  if (decoded.includes('\0'))
    return { status: 400, type: TYPES['.txt']!, body: Buffer.from('bad path\n'), html: false };
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const file = resolve(base, normalize(rel));
  if (file !== base && !file.startsWith(base + sep))
    return { status: 404, type: TYPES['.txt']!, body: Buffer.from('not found\n'), html: false };
  let ok: boolean;
  try {
    ok = statSync(file).isFile();
  } catch {
    ok = false;
  }
  if (!ok) {
    if (rel === 'index.html')
      return { status: 200, type: TYPES['.html']!, body: Buffer.from(NOT_BUILT), html: true };
    return { status: 404, type: TYPES['.txt']!, body: Buffer.from('not found\n'), html: false };
  }
  const ext = extname(file).toLowerCase();
  return {
    status: 200,
    type: TYPES[ext] ?? 'application/octet-stream',
    body: readFileSync(file),
    html: ext === '.html',
  };
}
