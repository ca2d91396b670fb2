// The engine's implementation of HostApi without connections: the session library (import,
// paging, export, delete, scan), argument checks, and recorder instructions.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/index.js';
import type { EventName, HostEvents } from '../../shared/host-api.js';
import { AppEngine } from '../../electron/engine/app/engine.js';
import { recorderInstructions, shellQuote } from '../../electron/engine/app/instructions.js';
import { CaptureWriter } from '../../electron/engine/capture/writer.js';
import { ROOT, scratchDir } from '../helpers/paths.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'captures', 'v1-everything-stdio.mcpscope.jsonl');
const fixtureText = readFileSync(FIXTURE, 'utf8');
const engines: AppEngine[] = [];

async function makeEngine(dataDir = scratchDir('mcpscope-engine-')) {
  const engine = new AppEngine({ mode: 'browser', dataDir, liveFeed: false });
  engines.push(engine);
  const events: { name: EventName; payload: unknown }[] = [];
  engine.subscribe((name, payload) => events.push({ name, payload }));
  await engine.start();
  return { engine, api: engine.commands, events, dataDir };
}

/** A capture with n frames written by the real writer. */
function writeCapture(path: string, n: number): string {
  const w = new CaptureWriter({ path, source: { transport: 'stdio', command: ['srv'] } });
  for (let i = 0; i < n; i++)
    w.append({
      type: 'frame',
      dir: i % 2 ? 's2c' : 'c2s',
      channel: 'stdio',
      text:
        i % 2
          ? `{"jsonrpc":"2.0","id":${i - 1},"result":{}}`
          : `{"jsonrpc":"2.0","id":${i},"method":"ping"}`,
    });
  w.append({
    type: 'frame',
    dir: 's2c',
    channel: 'stdio',
    text: '{"jsonrpc":"2.0","id":99,"error":{"code":-1,"message":"x"}}',
  });
  w.close('done');
  return w.header.id;
}

afterEach(async () => {
  for (const e of engines.splice(0)) await e.dispose();
});

describe('session library', () => {
  it('imports capture text: summary, stored copy, event, and the same capture twice is one session', async () => {
    const { api, events, dataDir } = await makeEngine();
    const s = await api.importCapture({ name: 'everything.mcpscope.jsonl', text: fixtureText });
    const read = readCapture(fixtureText);
    expect(s).toMatchObject({
      id: read.header!.id,
      origin: 'imported',
      live: false,
      transport: 'stdio',
      closed: true,
      recordCount: read.records.length + 1,
    });
    expect(s.frameCount).toBe(read.records.filter((r) => r.type === 'frame').length);
    expect(s.server?.name).toBeTruthy();
    expect(s.path).toBe(join(dataDir, 'captures', 'imported', 'everything.mcpscope.jsonl'));
    expect(readFileSync(s.path!, 'utf8')).toBe(fixtureText);
    expect(
      events.some(
        (e) => e.name === 'onSession' && (e.payload as HostEvents['onSession']).id === s.id,
      ),
    ).toBe(true);
    expect(s.integrity).toMatchObject({ intact: true, checked: read.records.length + 1 });
    const again = await api.importCapture({ name: 'other-name.jsonl', text: fixtureText });
    expect(again.id).toBe(s.id);
    expect(await api.listSessions(undefined)).toHaveLength(1);
  });

  it('counts errors and pages records from a seq', async () => {
    const { engine, api } = await makeEngine();
    const dir = scratchDir();
    const id = writeCapture(join(dir, 'x.mcpscope.jsonl'), 20);
    await engine.registry.openFile(join(dir, 'x.mcpscope.jsonl'));
    const s = await api.getSession({ sessionId: id });
    expect(s).toMatchObject({ frameCount: 21, errorCount: 1, recordCount: 23 });
    const p1 = await api.readRecords({ sessionId: id, limit: 10 });
    expect(p1.records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(p1).toMatchObject({ nextSeq: 11, done: false });
    const p2 = await api.readRecords({ sessionId: id, fromSeq: p1.nextSeq, limit: 1000 });
    expect(p2.records[0]!.seq).toBe(11);
    expect(p2).toMatchObject({ nextSeq: 23, done: true });
    const p3 = await api.readRecords({ sessionId: id, fromSeq: 23 });
    expect(p3).toMatchObject({ records: [], nextSeq: 23, done: true });
    expect(p1.header.id).toBe(id);
  });

  it('checks integrity on open and on demand: an edited record is named by seq', async () => {
    const { engine, api } = await makeEngine();
    const path = join(scratchDir(), 'x.mcpscope.jsonl');
    const id = writeCapture(path, 6);
    await engine.registry.openFile(path);
    expect((await api.getSession({ sessionId: id })).integrity?.intact).toBe(true);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/("seq":3,.*?)ping/, '$1pong'));
    const report = await api.verifySession({ sessionId: id });
    expect(report.intact).toBe(false);
    expect(report.firstBad?.seq).toBe(3);
    expect((await api.getSession({ sessionId: id })).integrity?.intact).toBe(false);
  });

  it('exports the capture byte for byte', async () => {
    const { api } = await makeEngine();
    const s = await api.importCapture({ name: 'a.jsonl', text: fixtureText });
    expect(await api.exportCapture({ sessionId: s.id })).toEqual({
      fileName: 'a.mcpscope.jsonl',
      text: fixtureText,
    });
  });

  it('delete removes the stored copy, but never a file outside the captures folder', async () => {
    const { engine, api, events } = await makeEngine();
    const imported = await api.importCapture({ name: 'a.jsonl', text: fixtureText });
    expect(await api.deleteSession({ sessionId: imported.id })).toEqual({ deleted: true });
    expect(existsSync(imported.path!)).toBe(false);
    expect(events.some((e) => e.name === 'onSessionRemoved')).toBe(true);
    expect(await api.deleteSession({ sessionId: imported.id })).toEqual({ deleted: false });

    const outside = join(scratchDir(), 'mine.mcpscope.jsonl');
    const id = writeCapture(outside, 2);
    await engine.registry.openFile(outside);
    expect(await api.deleteSession({ sessionId: id })).toEqual({ deleted: true });
    expect(existsSync(outside)).toBe(true);
    await expect(api.getSession({ sessionId: id })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('start() lists the captures folder, newest first, and skips files that are not captures', async () => {
    const dataDir = scratchDir();
    mkdirSync(join(dataDir, 'captures'), { recursive: true });
    const a = writeCapture(join(dataDir, 'captures', 'a.mcpscope.jsonl'), 2);
    const b = writeCapture(join(dataDir, 'captures', 'b.mcpscope.jsonl'), 4);
    writeFileSync(join(dataDir, 'captures', 'junk.mcpscope.jsonl'), 'hello\n');
    const { api } = await makeEngine(dataDir);
    const list = await api.listSessions(undefined);
    expect(list.map((s) => s.id).sort()).toEqual([a, b].sort());
    expect(list.every((s) => s.origin === 'file')).toBe(true);
    expect(await api.rescanCaptures(undefined)).toEqual({ added: 0 });
    const c = writeCapture(join(dataDir, 'captures', 'c.mcpscope.jsonl'), 1);
    expect(await api.rescanCaptures(undefined)).toEqual({ added: 1 });
    expect((await api.getSession({ sessionId: c })).origin).toBe('file');
  });

  it('keeps memory bounded: closed sessions are unloaded and read again from their file on demand', async () => {
    const dataDir = scratchDir();
    const engine = new AppEngine({
      mode: 'browser',
      dataDir,
      liveFeed: false,
      maxResidentRecords: 30,
    });
    engines.push(engine);
    await engine.start();
    const dir = scratchDir();
    const first = writeCapture(join(dir, 'a.mcpscope.jsonl'), 20);
    const second = writeCapture(join(dir, 'b.mcpscope.jsonl'), 20);
    await engine.registry.openFile(join(dir, 'a.mcpscope.jsonl'));
    await engine.registry.openFile(join(dir, 'b.mcpscope.jsonl'));
    expect(engine.registry.get(first).loaded).toBe(false);
    expect(engine.registry.get(second).loaded).toBe(true);
    expect((await engine.commands.getSession({ sessionId: first })).frameCount).toBe(21); // the summary survives
    const { records } = await engine.commands.readRecords({ sessionId: first, limit: 100 });
    expect(records).toHaveLength(22);
    expect(engine.registry.get(first).loaded).toBe(true);
    expect(engine.registry.get(second).loaded).toBe(false);
  });

  it('appInfo names the data dir and the mode', async () => {
    const { api, dataDir } = await makeEngine();
    expect(await api.appInfo(undefined)).toMatchObject({
      mode: 'browser',
      dataDir,
      capturesDir: join(dataDir, 'captures'),
    });
  });
});

describe('argument checks', () => {
  it('refuse wrong shapes with a message naming the field', async () => {
    const { api } = await makeEngine();
    const call = (name: keyof typeof api, args: unknown) =>
      (api[name] as (a: unknown) => Promise<unknown>)(args);
    await expect(call('getSession', undefined)).rejects.toMatchObject({
      code: 'bad-request',
      message: 'getSession: expects one argument object',
    });
    await expect(call('readRecords', { sessionId: 'x', limit: 0 })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('"limit"'),
    });
    await expect(call('importCapture', { name: 'x', text: 7 })).rejects.toMatchObject({
      code: 'bad-request',
    });
    await expect(
      call('importCapture', { name: 'x', text: '{"format":"other"}\n' }),
    ).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('not an mcpscope capture'),
    });
    await expect(call('connect', { transport: 'ftp', url: 'ftp://x' })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('"transport"'),
    });
    await expect(
      call('connect', { transport: 'streamable-http', url: 'file:///etc/passwd' }),
    ).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('http') });
    await expect(
      call('connect', { transport: 'stdio', command: 'x', env: { A: 1 } }),
    ).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('"env"') });
    await expect(call('answerServerRequest', { id: 'nope', result: {} })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});

describe('recorder instructions', () => {
  const mcpscope = ['/usr/bin/node', '/opt/mcp scope/bin/mcpscope.js'];
  it('stdio: the wrapper argv, a quoted command line and the host config entry', () => {
    const r = recorderInstructions(
      {
        transport: 'stdio',
        name: 'fs',
        command: 'npx',
        args: ['-y', 'server', "it's"],
        env: { TOKEN: 'x' },
      },
      mcpscope,
      {},
    );
    expect(r.argv).toEqual([...mcpscope, 'record', '--', 'npx', '-y', 'server', "it's"]);
    expect(r.commandLine).toBe(
      `/usr/bin/node '/opt/mcp scope/bin/mcpscope.js' record -- npx -y server 'it'\\''s'`,
    );
    expect(r.hostConfig).toEqual({
      mcpServers: { fs: { command: '/usr/bin/node', args: r.argv.slice(1), env: { TOKEN: 'x' } } },
    });
  });
  it('http: the proxy command and the local URL, path and query kept', () => {
    const r = recorderInstructions(
      { transport: 'http', target: 'https://api.example.com/mcp?x=1', listen: '127.0.0.1:9000' },
      mcpscope,
      {},
    );
    expect(r.proxyUrl).toBe('http://127.0.0.1:9000/mcp?x=1');
    expect(r.argv).toEqual([
      ...mcpscope,
      'record',
      '--target',
      'https://api.example.com/mcp?x=1',
      '--listen',
      '127.0.0.1:9000',
    ]);
    expect(r.hostConfig).toEqual({
      mcpServers: { 'api.example.com': { url: 'http://127.0.0.1:9000/mcp?x=1' } },
    });
    expect(() =>
      recorderInstructions(
        { transport: 'http', target: 'https://a/', listen: 'x; rm -rf /' },
        mcpscope,
      ),
    ).toThrow(/HOST:PORT/);
  });
  it('inside Electron, the binary is told to run as Node', () => {
    const r = recorderInstructions(
      { transport: 'stdio', command: 'srv' },
      ['/opt/mcpscope/mcpscope', '/opt/mcpscope/resources/app.asar/bin/mcpscope.js'],
      { ELECTRON_RUN_AS_NODE: '1' },
    );
    expect(r.hostConfig).toEqual({
      mcpServers: {
        srv: {
          command: '/opt/mcpscope/mcpscope',
          args: r.argv.slice(1),
          env: { ELECTRON_RUN_AS_NODE: '1' },
        },
      },
    });
    expect(r.commandLine.startsWith('ELECTRON_RUN_AS_NODE=1 /opt/mcpscope/mcpscope ')).toBe(true);
  });

  it('quotes for Windows too', () => {
    expect(shellQuote('a b', 'win32')).toBe('"a b"');
    expect(shellQuote('say "hi"', 'win32')).toBe('"say \\"hi\\""');
    expect(shellQuote('plain', 'win32')).toBe('plain');
  });
});
