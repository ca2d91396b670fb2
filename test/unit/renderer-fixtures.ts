// Fixture factories for the renderer's unit tests: real capture text (hash-chained with the
// shared codec, exactly as the engine writes it) and a store wired to in-memory fakes.

import { encodeLine } from '../../shared/capture/codec.js';
import { sha256Hex } from '../../shared/capture/hash.js';
import { CAPTURE_FORMAT, CAPTURE_VERSION, type EventRecord, type HeaderRecord, type NewRecord } from '../../shared/capture/types.js';
import type { LibraryRow } from '../../renderer/src/db/db.js';
import { inProcessDetection } from '../../renderer/src/detect/service.js';
import { createAppStore, type AppStore } from '../../renderer/src/store/index.js';
import type { LibraryPort } from '../../renderer/src/store/types.js';

export interface CaptureBuilder {
  header: HeaderRecord;
  records: EventRecord[];
  add(r: NewRecord): EventRecord;
  frame(dir: 'c2s' | 's2c', value: unknown, dtMs?: number): EventRecord;
  text(): string;
}

export function makeCapture(id = 'cafe0001', name = 'fixture'): CaptureBuilder {
  const header: HeaderRecord = {
    seq: 0,
    ts: 1_700_000_000_000,
    type: 'header',
    format: CAPTURE_FORMAT,
    version: CAPTURE_VERSION,
    tool: 'mcpscope/test',
    created: new Date(1_700_000_000_000).toISOString(),
    id,
    source: { transport: 'stdio', command: ['node', 'server.js'], name },
  };
  let ts = header.ts;
  const records: EventRecord[] = [];
  const b: CaptureBuilder = {
    header,
    records,
    add(r) {
      ts = r.ts ?? ts + 1;
      const { ts: _ts, ...rest } = r;
      // seq first, as the writer puts it (verify reads the leading seq).
      const full = { seq: records.length + 1, ts, ...rest } as EventRecord;
      records.push(full);
      return full;
    },
    frame(dir, value, dtMs = 1) {
      return b.add({ type: 'frame', dir, channel: 'stdio', text: typeof value === 'string' ? value : JSON.stringify(value), ts: ts + dtMs });
    },
    text() {
      let prev = '';
      const lines: string[] = [];
      for (const r of [header, ...records]) {
        const { line, hash } = encodeLine(r, prev, sha256Hex);
        prev = hash;
        lines.push(line);
      }
      return `${lines.join('\n')}\n`;
    },
  };
  return b;
}

/** A short session: handshake, tools/list, an echo call, an error, a pending request. */
export function makeSession(id = 'cafe0001'): CaptureBuilder {
  const c = makeCapture(id);
  c.frame('c2s', { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } } });
  c.frame('s2c', { jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'fixture-server', version: '2' } } }, 5);
  c.frame('c2s', { jsonrpc: '2.0', method: 'notifications/initialized' });
  c.frame('c2s', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
  c.frame('s2c', { jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] } });
  c.frame('c2s', { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message: 'Hello' } } });
  c.frame('s2c', { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'Echo: Hello' }] } }, 700);
  c.frame('c2s', { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'add', arguments: {} } });
  c.frame('s2c', { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'bad args' } });
  c.add({ type: 'stderr', text: 'server says hi' });
  c.frame('c2s', { jsonrpc: '2.0', id: 4, method: 'ping' });
  return c;
}

export class MemoryLibrary implements LibraryPort {
  rows = new Map<string, LibraryRow>();
  texts = new Map<string, string>();
  list = async (): Promise<LibraryRow[]> => [...this.rows.values()];
  saveLocal = async (row: LibraryRow, text: string): Promise<void> => {
    this.rows.set(row.id, row);
    this.texts.set(row.id, text);
  };
  loadLocal = async (id: string): Promise<string | undefined> => this.texts.get(id);
  remove = async (id: string): Promise<void> => {
    this.rows.delete(id);
    this.texts.delete(id);
  };
  cacheHost = async (): Promise<void> => undefined;
  updateRow = async (row: LibraryRow): Promise<void> => {
    this.rows.set(row.id, row);
  };
}

export interface TestStore {
  store: AppStore;
  library: MemoryLibrary;
  /** Scheduled flushes not run yet (the app runs them on requestAnimationFrame). */
  scheduled: (() => void)[];
  runFrame(): void;
}

export function makeStore(): TestStore {
  const library = new MemoryLibrary();
  const scheduled: (() => void)[] = [];
  let now = 1000;
  // Detection in-process (synchronous): the same engine the app runs in its worker.
  const store = createAppStore({ host: null, library, schedule: (fn) => scheduled.push(fn), detection: inProcessDetection(), now: () => now++ });
  return {
    store,
    library,
    scheduled,
    runFrame() {
      for (const fn of scheduled.splice(0)) fn();
    },

  };
}

export const file = (name: string, text: string) => ({ name, text: async () => text });
