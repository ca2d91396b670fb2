// Detection over a capture, record by record: the same code serves `mcpscope scan FILE` (whole
// file) and the app (append records as they arrive, get that record's findings back). It keeps
// its own MessageIndex + SessionModel so pairing, listings and list_changed are known, and opens
// every detector that keeps per-session state (open → onRecord → finish): rug pulls, the
// protocol lifecycle and transport checks are ordinary detectors, not special cases here.

import type { ReadCapture } from '../capture/reader.js';
import type { EventRecord, FrameRecord, HeaderRecord } from '../capture/types.js';
import { MessageIndex, type FrameInput, type Message } from '../protocol/messages.js';
import { itemKey, SessionModel, type ListKind } from '../protocol/session.js';
import {
  isObject,
  type DetectContext,
  type Detector,
  type DetectorSession,
  type MetaItem,
  type ServerMeta,
} from './detector.js';
import { joinPointer } from './jsonloc.js';
import { DETECTORS } from './registry.js';
import { hashDefinition, type ServerPins } from './rugpull.js';
import { detectFrame, detectItem, detectText, frameView, safeCall } from './run.js';
import type { Finding, TargetKind } from './types.js';

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
  /** Rug-pull pins by server name (the engine's pin store); none: in-session comparison only. */
  pins?: (server: string) => ServerPins | undefined;
}

/**
 * The message index input for a frame. Detection never reads message sizes, so the UTF-8 length
 * (a pass over every character: 6% of a scan) is not computed; `size` is the text's length.
 */
function detectionInput(r: FrameRecord): FrameInput {
  const f: FrameInput = {
    seq: r.seq,
    ts: r.ts,
    dir: r.dir,
    size: r.truncated ?? r.text?.length ?? 0,
    channel: r.channel,
  };
  if (r.text !== undefined) f.text = r.text;
  if (r.truncated !== undefined) f.truncated = r.truncated;
  return f;
}

export class TimelineDetector {
  readonly index = new MessageIndex();
  readonly session = new SessionModel((mid) => this.index.get(mid));
  readonly findings: Finding[] = [];
  private readonly detectors: readonly Detector[];
  private readonly seen = new Set<string>();
  /** Item definitions already run through the item detectors (same definition, same tool names). */
  private readonly itemsDone = new Set<string>();
  private readonly sessions: { d: Detector; s: DetectorSession }[] = [];
  private finished = false;
  /** Findings named after a fallback server name, renamed once the server introduces itself. */
  private provisional: Finding[] = [];

  constructor(
    private readonly header: HeaderRecord | undefined,
    private readonly opts: TimelineDetectorOptions = {},
  ) {
    this.detectors = opts.detectors ?? DETECTORS;
    const info = {
      session: this.session,
      server: () => this.server,
      ...(header ? { header } : {}),
      ...(opts.pins ? { pins: opts.pins } : {}),
    };
    for (const d of this.detectors) {
      if (!d.open) continue;
      let s: DetectorSession | undefined;
      const failed = safeCall(d, 'open', () => ((s = d.open!(info)), []));
      if (s) this.sessions.push({ d, s });
      else this.findings.push(...failed);
    }
  }

  /** Every open detector session's `onRecord` (or `finish`), each inside safeCall. */
  private sessionHook(
    hook: 'onRecord' | 'finish',
    record: EventRecord | undefined,
    messages: readonly Message[],
    ctx: DetectContext,
  ): Finding[] {
    const out: Finding[] = [];
    for (const { d, s } of this.sessions) {
      const where = record ? { seq: record.seq } : { kind: 'server' as const };
      if (hook === 'onRecord' && s.onRecord && record)
        out.push(...safeCall(d, 'onRecord', () => s.onRecord!({ record, messages }, ctx), where));
      else if (hook === 'finish' && s.finish)
        out.push(...safeCall(d, 'finish', () => s.finish!(ctx), where));
    }
    return out;
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

  private ctxMemo: { server: string; tools: unknown[]; ctx: DetectContext } | undefined;

  /** The context detectors get; rebuilt only when the server's name or its tool list changes. */
  private ctx(): DetectContext {
    const server = this.server;
    const tools = this.session.lists.tools.items;
    const memo = this.ctxMemo;
    if (memo && memo.server === server && memo.tools === tools) return memo.ctx;
    const own = new Set<string>();
    for (const t of tools) if (typeof t.name === 'string') own.add(t.name);
    const ctx: DetectContext = {
      server,
      toolsByServer: new Map([[server, own]]),
      message: (mid) => this.index.get(mid),
    };
    this.ctxMemo = { server, tools, ctx };
    return ctx;
  }

  /** Add one record; returns the findings it produced (also kept in `findings`). */
  add(r: EventRecord): Finding[] {
    const found: Finding[] = [];
    let messages: Message[] = [];
    let ctx: DetectContext;
    if (r.type === 'frame') {
      messages = this.index.add(detectionInput(r));
      for (const m of messages) this.session.add(m);
      const view = frameView(r.seq, r.dir, r.text, messages);
      ctx = this.ctx();
      found.push(...detectFrame(view, ctx, this.detectors));
      if (r.text !== undefined) found.push(...this.metadata(r.seq, r.text, view.messages, ctx));
    } else if (r.type === 'stderr' && r.text !== undefined) {
      ctx = this.ctx();
      found.push(
        ...detectText({ seq: r.seq, text: r.text, where: 'server stderr' }, ctx, this.detectors),
      );
    } else if (r.type === 'http') {
      ctx = this.ctx();
      for (const [name, value] of Object.entries(r.headers))
        found.push(
          ...detectText(
            { seq: r.seq, text: value, where: `HTTP header ${name}`, dir: r.dir },
            ctx,
            this.detectors,
          ),
        );
    }
    // A listing may have just changed the tool names: session detectors see the current context.
    if (this.sessions.length > 0)
      found.push(...this.sessionHook('onRecord', r, messages, this.ctx()));
    return this.keep(found);
  }

  /** Call once after the last record: findings that need the whole session (transport). */
  finish(): Finding[] {
    if (this.finished) return [];
    this.finished = true;
    return this.keep(this.sessionHook('finish', undefined, [], this.ctx()));
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
      const names = [...pageTools].sort().join('\n');
      items.forEach((v, i) => {
        if (!isObject(v)) return;
        // The same definition listed again (clients re-list on every list_changed or before
        // calls): its findings would be the same and `keep` would drop them, so it is not
        // analysed again. The key includes the server and the tool names it is read against.
        const done = `${list}\n${this.server}\n${hashDefinition(v)}\n${names}`;
        if (this.itemsDone.has(done)) return;
        this.itemsDone.add(done);
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
