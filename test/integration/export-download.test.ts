// The app's Export menu writes its output to a file in the data dir and the page downloads it
// through GET /download/TICKET (electron/server/download.ts): the ticket works once, within 60 s,
// for its one file; a wrong, used or expired ticket is a 404; the file is owner-only, streamed
// with Content-Disposition: attachment and Cache-Control: no-store, and deleted once sent. The
// ticket is not the session credential and the session credential is not a ticket.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppEngine } from '../../electron/engine/app/engine.js';
import { ExportFiles, EXPORT_FILE_TTL_MS } from '../../electron/engine/app/export-files.js';
import { exportCapture } from '../../electron/engine/export/export.js';
import { decryptFile, generateIdentity } from '../../electron/engine/capture/age.js';
import { startUiServer, type UiServer } from '../../electron/server/server.js';
import { httpRequest, untilGone } from '../helpers/net.js';
import { ROOT, scratchDir } from '../helpers/paths.js';
import { writeCapture } from '../bench/gen-capture.mjs';

const CAPTURE = join(ROOT, 'test/fixtures/export/golden.mcpscope.jsonl');

const send = (port: number, path: string, method = 'GET', host?: string) =>
  httpRequest(port, path, { method, ...(host ? { headers: { host } } : {}) });

describe('download tickets (ExportFiles + the UI server route)', () => {
  const dir = scratchDir('mcpscope-download-');
  let clock = Date.now();
  const files = new ExportFiles(join(dir, 'exports'), dir, () => clock);
  let server: UiServer;

  beforeAll(async () => {
    server = await startUiServer({
      attach: () => {
        throw new Error('no UI in this test');
      },
      download: (t) => files.redeem(t),
      rendererDir: dir,
    });
  });
  afterAll(async () => server.close());

  const written = (name: string, text: string) => {
    const f = files.create(name, 'text/html');
    writeFileSync(f.path, text, { mode: 0o600 });
    return f;
  };

  it('a ticket works once, for its own file, streamed as a no-store attachment, then the file is gone', async () => {
    const a = written('a “report”.html', '<p>A</p>');
    const b = written('b.html', '<p>B</p>');
    expect(statSync(files.dir).mode & 0o777).toBe(0o700);
    const { url, expiresInMs } = files.ticket(a.id);
    expect(url).toMatch(/^download\/[A-Za-z0-9_-]{32}$/);
    expect(expiresInMs).toBe(60_000);
    const r = await send(server.port, `/${url}`);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('<p>A</p>');
    expect(r.headers['content-disposition']).toBe(
      `attachment; filename="a__report_.html"; filename*=UTF-8''a%20%E2%80%9Creport%E2%80%9D.html`,
    );
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['content-type']).toBe('text/html');
    expect(r.headers['content-length']).toBe('8');
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(await untilGone(a.path)).toBe(true);
    // Used: the same URL is a 404 that says what to do; the other file is still there.
    const again = await send(server.port, `/${url}`);
    expect(again.status).toBe(404);
    expect(again.body.toString()).toContain('unknown, used or expired');
    expect(again.headers['cache-control']).toBe('no-store');
    expect(readFileSync(b.path, 'utf8')).toBe('<p>B</p>');
    // A downloaded file gets no new ticket.
    expect(() => files.ticket(a.id)).toThrow(/no longer kept/);
  });

  it('an expired, wrong or malformed ticket is a 404; HEAD does not spend a ticket; a foreign Host is 403', async () => {
    const f = written('c.html', '<p>C</p>');
    const late = files.ticket(f.id).url;
    clock += 61_000;
    expect((await send(server.port, `/${late}`)).status).toBe(404);
    expect(readFileSync(f.path, 'utf8')).toBe('<p>C</p>'); // an expired ticket deletes nothing
    const { url } = files.ticket(f.id);
    const wrong = url.slice(0, -1) + (url.endsWith('A') ? 'B' : 'A');
    expect((await send(server.port, `/${wrong}`)).status).toBe(404);
    expect((await send(server.port, '/download/')).status).toBe(404);
    expect((await send(server.port, '/download/../../etc/passwd')).status).toBe(404);
    const head = await send(server.port, `/${url}`, 'HEAD');
    expect(head.status).toBe(405);
    expect((await send(server.port, `/${url}`, 'GET', 'evil.example:80')).status).toBe(403);
    const ok = await send(server.port, `/${url}`);
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toBe('<p>C</p>');
  });

  it('the ticket is no session credential, and a session credential is no ticket', async () => {
    const f = written('d.html', '<p>D</p>');
    const ticket = files.ticket(f.id).url.slice('download/'.length);
    const session = server.auth.newSession();
    expect(server.auth.checkSession(ticket).ok).toBe(false);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, [
        'mcpscope',
        `mcpscope.session.${ticket}`,
      ]);
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (_q, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('error', () => resolve(-1));
    });
    expect(status).toBe(403);
    expect((await send(server.port, `/download/${session}`)).status).toBe(404);
    // The real ticket still works (nothing above spent it).
    expect((await send(server.port, `/download/${ticket}`)).status).toBe(200);
  });

  it('files never downloaded are deleted when discarded, after an hour, and at dispose', async () => {
    const d = written('e.html', 'E');
    expect(files.discard(d.id)).toBe(true);
    expect(await untilGone(d.path)).toBe(true);
    const old = written('f.html', 'F');
    clock += EXPORT_FILE_TTL_MS + 1;
    files.sweep();
    expect(await untilGone(old.path)).toBe(true);
    const last = written('g.html', 'G');
    files.dispose();
    expect(await untilGone(last.path)).toBe(true);
    expect(readdirSync(files.dir)).toEqual([]);
  });
});

describe('the engine: exportAs writes a file, exportDownload gives its single-use URL', () => {
  const dir = scratchDir('mcpscope-download-engine-');
  const engine = new AppEngine({ mode: 'browser', dataDir: join(dir, 'home'), liveFeed: false });
  let server: UiServer;

  beforeAll(async () => {
    await engine.openFiles([CAPTURE]);
    server = await startUiServer({
      attach: (l) => engine.attach(l),
      download: (t) => engine.exportFiles.redeem(t),
      rendererDir: dir,
    });
  });
  afterAll(async () => {
    await server.close();
    await engine.dispose();
  });

  it('the download is the export byte for byte; the output never comes through the host-api', async () => {
    const sessionId = engine.openSessions[0]!;
    const r = await engine.commands.exportAs({ sessionId, format: 'md' });
    expect(Object.keys(r)).not.toContain('text');
    expect(r.fileName).toBe('golden.report.md');
    expect(r.downloadId).toMatch(/^[0-9a-f]{32}$/);
    const path = join(engine.exportFiles.dir, `${r.downloadId!}.export`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const { url } = await engine.commands.exportDownload({ downloadId: r.downloadId! });
    const got = await send(server.port, `/${url}`);
    expect(got.status).toBe(200);
    expect(got.headers['content-disposition']).toContain('filename="golden.report.md"');
    const plain = join(dir, 'plain.md');
    await exportCapture({ file: CAPTURE, format: 'md', out: plain });
    const norm = (s: string) => s.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME');
    expect(norm(got.body.toString())).toBe(norm(readFileSync(plain, 'utf8')));
    expect(got.body.length).toBe(r.bytes);
    expect(await untilGone(path)).toBe(true);
    await expect(engine.commands.exportDownload({ downloadId: r.downloadId! })).rejects.toThrow(
      /no longer kept/,
    );
  });

  it('encrypted: only the age file is written and downloaded; a discarded export is deleted', async () => {
    const sessionId = engine.openSessions[0]!;
    const { identity, recipient } = await generateIdentity();
    const r = await engine.commands.exportAs({ sessionId, format: 'html', encryptTo: [recipient] });
    expect(r.fileName).toBe('golden.report.html.age');
    expect(r.encryptedTo).toBe(1);
    const path = join(engine.exportFiles.dir, `${r.downloadId!}.export`);
    expect(readFileSync(path).subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1');
    const { url } = await engine.commands.exportDownload({ downloadId: r.downloadId! });
    const got = await send(server.port, `/${url}`);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    const sealed = join(dir, 'got.age');
    writeFileSync(sealed, got.body);
    const parts: Uint8Array[] = [];
    for await (const c of decryptFile(sealed, [identity])) parts.push(c);
    expect(Buffer.concat(parts).toString('utf8')).toContain('<!doctype html>');

    const other = await engine.commands.exportAs({ sessionId, format: 'sarif' });
    const otherPath = join(engine.exportFiles.dir, `${other.downloadId!}.export`);
    expect(statSync(otherPath).size).toBe(other.bytes);
    expect(await engine.commands.exportDiscard({ downloadId: other.downloadId! })).toEqual({
      deleted: true,
    });
    expect(await untilGone(otherPath)).toBe(true);
  });

  it('the progress line: exportProgress reports the running export by its jobId, then not', async () => {
    const big = join(dir, 'progress.mcpscope.jsonl');
    await writeCapture(big, { frames: 40_000 });
    await engine.openFiles([big]);
    const sessionId = engine.openSessions.at(-1)!;
    const jobId = 'progress-1';
    let done = false;
    const running = engine.commands.exportAs({ sessionId, format: 'md', jobId }).finally(() => {
      done = true;
    });
    const seen: { pass?: string; records?: number }[] = [];
    const deadline = Date.now() + 120_000;
    while (!done && Date.now() < deadline) {
      const p = await engine.commands.exportProgress({ jobId });
      if (p.running && p.records) seen.push(p);
      await new Promise((r) => setTimeout(r, 10));
    }
    const r = await running;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p.pass === 'scanning' || p.pass === 'writing')).toBe(true);
    expect(seen.at(-1)!.records).toBeGreaterThanOrEqual(10_000);
    expect(await engine.commands.exportProgress({ jobId })).toEqual({ running: false });
    expect(await engine.commands.exportDiscard({ downloadId: r.downloadId! })).toEqual({
      deleted: true,
    });
  }, 180_000);
});
