// The Electron shell's downloads of the Export menu (shell/download-port.ts), without the binary:
// main asks the engine to redeem the ticket over the parent port, streams the file as a no-store
// attachment, and tells the engine once it is sent, which deletes the file; a used, unknown or
// unanswered ticket is a 404.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportFiles } from '../../electron/engine/app/export-files.js';
import { downloadAnswerer, downloadRequester } from '../../electron/shell/download-port.js';
import { untilGone } from '../helpers/net.js';
import { scratchDir } from '../helpers/paths.js';

function wire() {
  const dir = scratchDir('mcpscope-download-port-');
  const files = new ExportFiles(join(dir, 'exports'), dir);
  // The two sides joined as main and the utilityProcess are (asynchronously, like postMessage).
  let toMain: (m: unknown) => boolean = () => false;
  const engine = downloadAnswerer(
    (t) => files.redeem(t),
    (m) => void setImmediate(() => toMain(m)),
  );
  const main = downloadRequester((m) => void setImmediate(() => engine(m)));
  toMain = main.onMessage;
  return { files, main };
}

describe('Electron download port', () => {
  it('streams the file once as a no-store attachment, then the engine deletes it', async () => {
    const { files, main } = wire();
    const f = files.create('s.report.html', 'text/html');
    writeFileSync(f.path, '<p>report</p>');
    const ticket = files.ticket(f.id).url.slice('download/'.length);
    const r = await main.respond(ticket);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('attachment; filename="s.report.html"');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('content-length')).toBe('13');
    expect(await r.text()).toBe('<p>report</p>');
    expect(await untilGone(f.path)).toBe(true);
    const again = await main.respond(ticket);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('unknown, used or expired');
  });

  it('an unknown ticket, or an engine that does not answer, is a 404', async () => {
    const { main } = wire();
    expect((await main.respond('A'.repeat(32))).status).toBe(404);
    const mute = downloadRequester(() => undefined, 50);
    expect((await mute.respond('B'.repeat(32))).status).toBe(404);
  });

  it('ignores messages that are not its own', () => {
    const { main } = wire();
    expect(main.onMessage({ t: 'secret-reply', id: 1 })).toBe(false);
    expect(main.onMessage('x')).toBe(false);
    const engine = downloadAnswerer(
      () => undefined,
      () => undefined,
    );
    expect(engine({ t: 'port' })).toBe(false);
  });
});
