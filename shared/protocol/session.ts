// The session model: what the handshake negotiated and what the server offered, with history.
// Built incrementally from derived messages (see messages.ts).

import { canonicalJson } from './canonical.js';
import type { Message } from './messages.js';
import { isObject } from '../json.js';

export interface Implementation {
  name: string;
  version?: string;
  title?: string;
}

export interface Handshake {
  /** Version the client asked for in `initialize`. */
  requestedVersion?: string;
  /** Version the server answered with: the negotiated one. */
  protocolVersion?: string;
  clientInfo?: Implementation;
  serverInfo?: Implementation;
  clientCapabilities?: Record<string, unknown>;
  serverCapabilities?: Record<string, unknown>;
  instructions?: string;
  initializeSeq?: number;
  initializeResultSeq?: number;
  initializedSeq?: number;
  /** Set when `initialize` was answered with an error. */
  error?: { code: number; message: string };
}

export const LIST_KINDS = ['tools', 'resources', 'resourceTemplates', 'prompts'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

const LIST_METHODS: Record<string, ListKind> = {
  'tools/list': 'tools',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
  'prompts/list': 'prompts',
};

/** The key that names an item in each list. */
export function itemKey(kind: ListKind, item: Record<string, unknown>): string {
  const k =
    kind === 'resources' ? item.uri : kind === 'resourceTemplates' ? item.uriTemplate : item.name;
  return typeof k === 'string' ? k : canonicalJson(k);
}

export interface ListChange {
  /** seq of the response frame that completed the list. */
  seq: number;
  ts: number;
  added: string[];
  removed: string[];
  changed: string[];
}

export interface ListState {
  items: Record<string, unknown>[];
  /** Every complete listing that differed from the one before it (the first listing included). */
  history: ListChange[];
}

function implementation(v: unknown): Implementation | undefined {
  if (!isObject(v) || typeof v.name !== 'string') return undefined;
  const out: Implementation = { name: v.name };
  if (typeof v.version === 'string') out.version = v.version;
  if (typeof v.title === 'string') out.title = v.title;
  return out;
}

export class SessionModel {
  readonly handshake: Handshake = {};
  readonly lists: Record<ListKind, ListState> = {
    tools: { items: [], history: [] },
    resources: { items: [], history: [] },
    resourceTemplates: { items: [], history: [] },
    prompts: { items: [], history: [] },
  };
  /** Pages being gathered, per list, until a page arrives without `nextCursor`. */
  private partial = new Map<ListKind, Record<string, unknown>[]>();

  constructor(private readonly lookup: (mid: number) => Message | undefined) {}

  add(msg: Message): void {
    const p = msg.parsed;
    if (p.kind === 'request' && p.method === 'initialize' && msg.dir === 'c2s') {
      const params = isObject(p.params) ? p.params : {};
      if (typeof params.protocolVersion === 'string')
        this.handshake.requestedVersion = params.protocolVersion;
      const info = implementation(params.clientInfo);
      if (info) this.handshake.clientInfo = info;
      if (isObject(params.capabilities)) this.handshake.clientCapabilities = params.capabilities;
      this.handshake.initializeSeq = msg.seq;
      return;
    }
    if (p.kind === 'notification' && p.method === 'notifications/initialized') {
      this.handshake.initializedSeq = msg.seq;
      return;
    }
    if ((p.kind === 'response' || p.kind === 'error') && msg.pair !== undefined) {
      const req = this.lookup(msg.pair);
      if (!req) return;
      if (req.method === 'initialize' && req.dir === 'c2s') this.onInitializeResult(msg);
      else if (req.method !== undefined && req.dir === 'c2s' && p.kind === 'response') {
        const kind = Object.hasOwn(LIST_METHODS, req.method) ? LIST_METHODS[req.method] : undefined;
        if (kind) this.onListPage(kind, req, msg);
      }
    }
  }

  private onInitializeResult(msg: Message): void {
    const p = msg.parsed;
    this.handshake.initializeResultSeq = msg.seq;
    if (p.kind === 'error' && p.error) {
      this.handshake.error = { code: p.error.code, message: p.error.message };
      return;
    }
    const r = isObject(p.result) ? p.result : {};
    if (typeof r.protocolVersion === 'string') this.handshake.protocolVersion = r.protocolVersion;
    const info = implementation(r.serverInfo);
    if (info) this.handshake.serverInfo = info;
    if (isObject(r.capabilities)) this.handshake.serverCapabilities = r.capabilities;
    if (typeof r.instructions === 'string') this.handshake.instructions = r.instructions;
  }

  private onListPage(kind: ListKind, req: Message, res: Message): void {
    const params = isObject(req.parsed.params) ? req.parsed.params : {};
    const result = isObject(res.parsed.result) ? res.parsed.result : {};
    const page = Array.isArray(result[kind]) ? (result[kind] as unknown[]).filter(isObject) : [];
    // A request without a cursor starts a fresh listing; one with a cursor continues it.
    const acc = params.cursor === undefined ? [] : (this.partial.get(kind) ?? []);
    acc.push(...page);
    if (typeof result.nextCursor === 'string' && result.nextCursor !== '') {
      this.partial.set(kind, acc);
      return;
    }
    this.partial.delete(kind);
    this.complete(kind, acc, res);
  }

  private complete(kind: ListKind, items: Record<string, unknown>[], res: Message): void {
    const state = this.lists[kind];
    const before = new Map(state.items.map((i) => [itemKey(kind, i), canonicalJson(i)]));
    const after = new Map(items.map((i) => [itemKey(kind, i), canonicalJson(i)]));
    const added = [...after.keys()].filter((k) => !before.has(k));
    const removed = [...before.keys()].filter((k) => !after.has(k));
    const changed = [...after.keys()].filter(
      (k) => before.has(k) && before.get(k) !== after.get(k),
    );
    state.items = items;
    if (state.history.length === 0 || added.length + removed.length + changed.length > 0) {
      state.history.push({ seq: res.seq, ts: res.ts, added, removed, changed });
    }
  }
}
