// Detection over a capture, record by record: the same code serves `mcpscope scan FILE` (whole
// file) and the app (append records as they arrive, get that record's findings back). It keeps
// its own MessageIndex + SessionModel so pairing, listings and list_changed are known.

import { frameInput } from '../capture/frames.js';
import type { ReadCapture } from '../capture/reader.js';
import type { EventRecord, HeaderRecord } from '../capture/types.js';
import { MessageIndex } from '../protocol/messages.js';
import { itemKey, LIST_KINDS, SessionModel, type ListKind } from '../protocol/session.js';
import {
  isObject,
  type DetectContext,
  type Detector,
  type MetaItem,
  type ServerMeta,
} from './detector.js';
import { joinPointer } from './jsonloc.js';
import { DETECTORS } from './registry.js';
import { compareDefinitions, hashDefinition, type PinnedItem } from './rugpull.js';
import { detectEndpoint, detectFrame, detectItem, detectText, frameView } from './run.js';
import type { Finding, TargetKind } from './types.js';
import { isAuthHeader } from '../secrets.js';

const LIST_OF: Record<string, ListKind> = {
  'tools/list': 'tools',
  'prompts/list': 'prompts',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
};
const KIND: Record<ListKind, TargetKind> = {
  tools: 'tool',
  prompts: 'prompt',
  resources: 'resource',
  resourceTemplates: 'resource',
};

export interface TimelineDetectorOptions {
  /** Name findings use for the server (default: serverInfo.name, else the capture's source). */
  server?: string;
  detectors?: readonly Detector[];
}

export class TimelineDetector {
  readonly index = new MessageIndex();
  readonly session = new SessionModel((mid) => this.index.get(mid));
  readonly findings: Finding[] = [];
  private readonly detectors: readonly Detector[];
  private readonly seen = new Set<string>();
  private lastDefs: Partial<Record<ListKind, Record<string, PinnedItem>>> = {};
  private authenticated = false;
  private httpAnswered = false;
  private initialized = false;
  private finished = false;
  /** Findings named after a fallback server name, renamed once the server introduces itself. */
  private provisional: Finding[] = [];

  constructor(
    private readonly header: HeaderRecord | undefined,
    private readonly opts: TimelineDetectorOptions = {},
  ) {
    this.detectors = opts.detectors ?? DETECTORS;
  }

  get server(): string {
    const src = this.header?.source;
    return (
      this.opts.server ??
      this.session.handshake.serverInfo?.name ??
      src?.name ??
      src?.url ??
      src?.command?.join(' ') ??
      'server'
    );
  }

  private ctx(): DetectContext {
    const own = new Set<string>();
    for (const t of this.session.lists.tools.items) if (typeof t.name === 'string') own.add(t.name);
    return {
      server: this.server,
      toolsByServer: new Map([[this.server, own]]),
      message: (mid) => this.index.get(mid),
    };
  }

  /** Add one record; returns the findings it produced (also kept in `findings`). */
  add(r: EventRecord): Finding[] {
    const found: Finding[] = [];
    if (r.type === 'frame') {
      const messages = this.index.add(frameInput(r));
      for (const m of messages) this.session.add(m);
      const view = frameView(r.seq, r.dir, r.text, messages);
      const ctx = this.ctx();
      found.push(...detectFrame(view, ctx, this.detectors));
      if (r.text !== undefined) found.push(...this.metadata(r.seq, r.text, view.messages, ctx));
      found.push(...this.lifecycle(r.seq, messages));
    } else if (r.type === 'stderr' && r.text !== undefined) {
      found.push(
        ...detectText(
          { seq: r.seq, text: r.text, where: 'server stderr' },
          this.ctx(),
          this.detectors,
        ),
      );
    } else if (r.type === 'http') {
      for (const [name, value] of Object.entries(r.headers)) {
        if (r.dir === 'c2s' && isAuthHeader(name)) this.authenticated = true;
        found.push(
          ...detectText(
            { seq: r.seq, text: value, where: `HTTP header ${name}`, dir: r.dir },
            this.ctx(),
            this.detectors,
          ),
        );
      }
      if (r.dir === 's2c' && r.status !== undefined && r.status >= 200 && r.status < 300)
        this.httpAnswered = true;
    }
    return this.keep(found);
  }

  /** Call once after the last record: findings that need the whole session (transport). */
  finish(): Finding[] {
    if (this.finished) return [];
    this.finished = true;
    const url = this.header?.source.url;
    if (!url) return [];
    const e = {
      url,
      authenticated: this.authenticated,
      answered: this.httpAnswered || this.session.handshake.serverInfo !== undefined,
      seq: 0,
    };
    if (this.header?.source.transport)
      Object.assign(e, { transport: this.header.source.transport });
    return this.keep(detectEndpoint(e, this.ctx(), this.detectors));
  }

  /** The server's metadata as last listed in this session. */
  serverMeta(): ServerMeta {
    const l = this.session.lists;
    const meta: ServerMeta = {
      name: this.server,
      tools: l.tools.items,
      prompts: l.prompts.items,
      resources: l.resources.items,
      resourceTemplates: l.resourceTemplates.items,
    };
    if (this.session.handshake.instructions !== undefined)
      meta.instructions = this.session.handshake.instructions;
    return meta;
  }

  private keep(found: Finding[]): Finding[] {
    const known = this.opts.server !== undefined || this.session.handshake.serverInfo !== undefined;
    if (known && this.provisional.length > 0) {
      // stderr and early frames arrive before initialize names the server: rename them now.
      for (const f of this.provisional) f.target.server = this.server;
      this.provisional = [];
    }
    const out: Finding[] = [];
    for (const f of found) {
      // The same definition listed again (after list_changed, or on every reconnect) is reported once.
      if (
        f.target.kind !== 'message' &&
        f.target.seq !== undefined &&
        !f.rule.startsWith('rugpull.')
      ) {
        const pointer = (f.target.pointer ?? '').replace(
          /^(?:\/\d+)?\/result\/(?:tools|prompts|resources|resourceTemplates)\/\d+/,
          '',
        );
        const key = `${f.rule}|${f.target.kind}|${f.target.name ?? ''}|${pointer}|${f.message}`;
        if (this.seen.has(key)) continue;
        this.seen.add(key);
      }
      out.push(f);
    }
    if (!known) this.provisional.push(...out.filter((f) => f.target.server !== undefined));
    this.findings.push(...out);
    return out;
  }

  private metadata(
    seq: number,
    text: string,
    messages: ReturnType<MessageIndex['add']>,
    ctx: DetectContext,
  ): Finding[] {
    const out: Finding[] = [];
    for (const m of messages) {
      if (m.kind !== 'response' || m.dir !== 's2c' || !isObject(m.parsed.result)) continue;
      const base = `${m.index !== undefined ? `/${m.index}` : ''}/result`;
      const result = m.parsed.result;
      if (m.method === 'initialize') {
        if (typeof result.instructions === 'string') {
          const item: MetaItem = {
            kind: 'server',
            name: this.server,
            value: { instructions: result.instructions },
          };
          out.push(
            ...detectItem(
              item,
              { ...ctx, server: this.server },
              { seq, text, pointer: base },
              this.detectors,
            ),
          );
        }
        continue;
      }
      const list =
        m.method !== undefined && Object.hasOwn(LIST_OF, m.method) ? LIST_OF[m.method] : undefined;
      if (!list || !Array.isArray(result[list])) continue;
      const items = result[list] as unknown[];
      const pageTools = new Set(ctx.toolsByServer?.get(this.server) ?? []);
      if (list === 'tools')
        for (const t of items) if (isObject(t) && typeof t.name === 'string') pageTools.add(t.name);
      const itemCtx: DetectContext = { ...ctx, toolsByServer: new Map([[this.server, pageTools]]) };
      items.forEach((v, i) => {
        if (!isObject(v)) return;
        const item: MetaItem = { kind: KIND[list], name: itemKey(list, v), value: v };
        out.push(
          ...detectItem(
            item,
            itemCtx,
            { seq, text, pointer: joinPointer(joinPointer(base, list), i) },
            this.detectors,
          ),
        );
      });
    }
    // A listing completed by this frame that differs from the previous one: in-session rug pull.
    for (const list of LIST_KINDS) {
      const state = this.session.lists[list];
      const last = state.history[state.history.length - 1];
      if (!last || last.seq !== seq) continue;
      const before = this.lastDefs[list];
      if (before && last.changed.length > 0) {
        const pointerOf = (kind: ListKind, key: string): string | undefined => {
          for (const m of messages) {
            const arr = isObject(m.parsed.result) ? m.parsed.result[kind] : undefined;
            if (!Array.isArray(arr)) continue;
            const i = arr.findIndex((x) => isObject(x) && itemKey(kind, x) === key);
            if (i >= 0) return `${m.index !== undefined ? `/${m.index}` : ''}/result/${kind}/${i}`;
          }
          return undefined;
        };
        const changed = state.items.filter((x) => last.changed.includes(itemKey(list, x)));
        out.push(
          ...compareDefinitions(
            list,
            before,
            changed,
            {
              server: this.server,
              seq,
              pointerOf,
              since: 'within this session (the server re-listed it after list_changed)',
            },
            false,
          ),
        );
      }
      this.lastDefs[list] = Object.fromEntries(
        state.items.map((x) => [itemKey(list, x), { hash: hashDefinition(x), def: x }]),
      );
    }
    return out;
  }

  private lifecycle(seq: number, messages: ReturnType<MessageIndex['add']>): Finding[] {
    const out: Finding[] = [];
    for (const m of messages) {
      if (m.kind === 'request' && m.method === 'initialize') this.initialized = true;
      else if (
        m.kind === 'request' &&
        m.dir === 'c2s' &&
        !this.initialized &&
        m.method !== 'ping'
      ) {
        const target: Finding['target'] = { kind: 'message', seq, server: this.server };
        if (m.method !== undefined) target.name = m.method;
        out.push({
          rule: 'protocol.before-initialize',
          severity: 'low',
          title: 'Request before initialization',
          message: `The client sent "${m.method ?? ''}" before initialize.`,
          target,
          dir: m.dir,
        });
      }
    }
    return out;
  }
}

export interface CaptureScan {
  findings: Finding[];
  server: ServerMeta;
  /** Bytes of frame and stderr text scanned. */
  scannedChars: number;
}

/** Detect over a whole capture. */
export function detectTimeline(read: ReadCapture, opts: TimelineDetectorOptions = {}): CaptureScan {
  const d = new TimelineDetector(read.header, opts);
  let chars = 0;
  for (const r of read.records) {
    d.add(r);
    if ((r.type === 'frame' || r.type === 'stderr') && r.text !== undefined) chars += r.text.length;
  }
  d.finish();
  return { findings: d.findings, server: d.serverMeta(), scannedChars: chars };
}
