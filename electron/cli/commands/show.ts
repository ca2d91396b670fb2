import {
  buildTimeline,
  keyId,
  TimelineBuilder,
  type CaptureProblem,
  type Timeline,
  payloadBytes,
  redactArgs,
  redactUrl,
  type EventRecord,
  type HeaderRecord,
  type ReadCapture,
} from '../../../shared/capture/index.js';
import type { Message } from '../../../shared/protocol/index.js';
import type { Handshake } from '../../../shared/protocol/session.js';
import { forEachRecord } from '../../engine/export/passes.js';
import { slimMessages } from '../../../shared/export/slim.js';
import { readIdentityFile } from '../../engine/capture/age.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { bytes, ms, pad, padLeft, paint, safe, safeBlock, type Paint } from '../format.js';

export const usage = `usage: mcpscope show FILE [--json] [--identity FILE]

Prints a capture as a timeline: the handshake, then one line per JSON-RPC message (time since start,
direction, kind, method, id, latency, size, flags) with lifecycle events (spawn, stderr, exit…)
between them. --json prints {handshake, messages, events} for scripts. --identity FILE opens a
capture encrypted with \`export --encrypt-to\` (age; decrypted in memory, never written to disk).`;

type Event = Exclude<EventRecord, { type: 'frame' }>;

export function eventJson(e: Event): Record<string, unknown> {
  const { ts: _ts, ...rest } = e;
  if (e.type === 'spawn') return { ...rest, args: redactArgs(e.args) };
  if (e.type === 'stderr' && e.b64 !== undefined) {
    // Keep the JSON readable: give the bytes as text with replacement characters too.
    return { ...rest, text: new TextDecoder().decode(payloadBytes(e)) };
  }
  return rest;
}

export function messageJson(m: Message): Record<string, unknown> {
  const o: Record<string, unknown> = { seq: m.seq, dir: m.dir, kind: m.kind };
  if (m.index !== undefined) o.index = m.index;
  if (m.method !== undefined) o.method = m.method;
  if (m.id !== undefined) o.id = m.id;
  if (m.kind === 'request' && m.latencyMs !== undefined) o.latencyMs = m.latencyMs;
  if (m.errorCode !== undefined) o.errorCode = m.errorCode;
  if (m.reason !== undefined) o.reason = m.reason;
  if (m.flags.length > 0) o.flags = m.flags;
  return o;
}

function redactedHeader(h: HeaderRecord): HeaderRecord {
  const { command, url } = h.source;
  return {
    ...h,
    source: {
      ...h.source,
      ...(command ? { command: redactArgs(command) } : {}),
      ...(url ? { url: redactUrl(url) } : {}),
    },
  };
}

/** What `show` says about the capture as a whole (known after a first pass). */
interface ShowSummary {
  header: HeaderRecord;
  /** Records, the header included. */
  records: number;
  problems: CaptureProblem[];
  truncatedTail?: CaptureProblem | undefined;
  closed: boolean;
}

const summaryOf = (read: ReadCapture): ShowSummary => ({
  header: read.header!,
  records: read.records.length + 1,
  problems: read.problems,
  truncatedTail: read.truncatedTail,
  closed: read.closed,
});

/**
 * `show --json`, written piece by piece: the same text as JSON.stringify(showJson, null, 2), but
 * the events are emitted as their records come by (a streamed second pass), never held.
 */
class JsonPrinter {
  private events = 0;
  constructor(
    private readonly t: Timeline,
    private readonly sum: ShowSummary,
    private readonly emit: (text: string) => void,
  ) {}

  private prop(key: string, value: unknown, last = false): void {
    if (value === undefined) return;
    this.emit(
      `  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), 2)}${last ? '' : ','}\n`,
    );
  }

  head(): void {
    this.emit('{\n');
    this.prop('header', redactedHeader(this.sum.header));
    this.prop('handshake', this.t.session.handshake);
    const msgs = this.t.index.messages;
    if (msgs.length === 0) this.emit('  "messages": [],\n');
    else {
      this.emit('  "messages": [\n');
      for (let i = 0; i < msgs.length; i++)
        this.emit(
          `    ${indent(JSON.stringify(messageJson(msgs[i]!), null, 2), 4)}${i < msgs.length - 1 ? ',' : ''}\n`,
        );
      this.emit('  ],\n');
    }
    this.emit('  "events": [');
  }

  record(r: EventRecord): void {
    if (r.type === 'frame') return;
    this.emit(
      `${this.events++ ? ',' : ''}\n    ${indent(JSON.stringify(eventJson(r), null, 2), 4)}`,
    );
  }

  tail(): void {
    this.emit(this.events ? '\n  ],\n' : '],\n');
    const l = this.t.session.lists;
    this.prop('lists', Object.fromEntries(Object.entries(l).map(([k, v]) => [k, v.items.length])));
    this.prop('problems', this.sum.problems, false);
    this.prop('truncatedTail', this.sum.truncatedTail);
    this.prop('closed', this.sum.closed, true);
    this.emit('}\n');
  }
}

/** Continuation lines of a pretty-printed value, moved right by `n` spaces. */
const indent = (text: string, n: number): string => text.replace(/\n/g, `\n${' '.repeat(n)}`);

export function showJson(read: ReadCapture): Record<string, unknown> {
  const t = buildTimeline(read);
  return {
    header: read.header && redactedHeader(read.header),
    handshake: t.session.handshake,
    messages: t.index.messages.map(messageJson),
    events: t.events.map(eventJson),
    lists: Object.fromEntries(Object.entries(t.session.lists).map(([k, v]) => [k, v.items.length])),
    problems: read.problems,
    ...(read.truncatedTail ? { truncatedTail: read.truncatedTail } : {}),
    closed: read.closed,
  };
}

function capabilityList(caps: Record<string, unknown> | undefined): string {
  if (!caps) return '—';
  const parts = Object.entries(caps).map(([k, v]) => {
    const subs =
      v && typeof v === 'object'
        ? Object.keys(v).filter((s) => (v as Record<string, unknown>)[s] === true)
        : [];
    return subs.length ? `${k}(${subs.join(',')})` : k;
  });
  return parts.length ? safe(parts.join(', ')) : 'none';
}

function handshakeLines(h: Handshake, p: Paint): string[] {
  if (h.initializeSeq === undefined)
    return [
      p.dim(
        'handshake  none recorded (the capture starts after initialize, or the client never sent it)',
      ),
    ];
  const impl = (i: Handshake['clientInfo']) =>
    i ? safe(`${i.name}${i.version ? ` ${i.version}` : ''}`) : '?';
  const asked =
    h.requestedVersion && h.requestedVersion !== h.protocolVersion
      ? ` (client asked ${safe(h.requestedVersion)})`
      : '';
  const lines = [
    p.bold('handshake'),
    `  protocol      ${h.protocolVersion ? safe(h.protocolVersion) : p.yellow('not negotiated')}${asked}`,
    `  client        ${impl(h.clientInfo)} — ${capabilityList(h.clientCapabilities)}`,
    `  server        ${impl(h.serverInfo)} — ${capabilityList(h.serverCapabilities)}`,
  ];
  if (h.error)
    lines.push(
      p.red(`  error         initialize failed: ${h.error.code} ${safe(h.error.message)}`),
    );
  if (h.instructions) {
    const text = safe(h.instructions);
    lines.push(`  instructions  ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`);
  }
  return lines;
}

const ARROW = { c2s: '→', s2c: '←' } as const;
/** Continuation lines of a multi-line event line up under its text. */
const CONT = ' '.repeat(24);

function messageLine(m: Message, t0: number, p: Paint): string {
  const time = padLeft(`+${((m.ts - t0) / 1000).toFixed(3)}s`, 10);
  const kind =
    m.kind === 'error'
      ? p.red(pad(m.kind, 12))
      : m.kind === 'invalid'
        ? p.yellow(pad(m.kind, 12))
        : pad(m.kind, 12);
  const method = pad(m.method !== undefined ? safe(m.method) : '', 34);
  const id = pad(m.id === undefined ? '' : safe(JSON.stringify(m.id)), 8);
  const lat = padLeft(m.latencyMs !== undefined && m.kind === 'request' ? ms(m.latencyMs) : '', 9);
  const flags: string[] = [...m.flags];
  if (m.errorCode !== undefined) flags.push(`code ${m.errorCode}`);
  if (m.reason) flags.push(safe(m.reason));
  if (m.progressOf !== undefined) flags.push('progress');
  return `${time}  ${ARROW[m.dir]}  ${kind}  ${method} ${id} ${lat}  ${padLeft(bytes(m.size), 7)}  ${p.yellow(flags.join(' · '))}`.trimEnd();
}

function eventLine(e: Event, t0: number, p: Paint): string {
  const time = padLeft(`+${((e.ts - t0) / 1000).toFixed(3)}s`, 10);
  let what: string;
  switch (e.type) {
    case 'stderr':
      what = `stderr   ${safeBlock(new TextDecoder().decode(payloadBytes(e)), CONT)}`;
      break;
    case 'spawn':
      what = `spawn    ${safe(redactArgs([e.command, ...e.args]).join(' '))}${e.pid !== undefined ? ` (pid ${e.pid})` : ''}`;
      break;
    case 'exit':
      what = `exit     ${e.signal ? `signal ${safe(e.signal)}` : `code ${e.code}`}`;
      break;
    case 'http':
      what = `http     ${e.dir === 'c2s' ? `${safe(e.method ?? '')} ${safe(e.path ?? '')}` : `${e.status ?? ''}`} [${safe(e.stream)}]`;
      break;
    case 'error':
      return p.red(`${time}  !  error    ${safe(e.where)}: ${safeBlock(e.message, CONT)}`);
    case 'note':
      what = `note     ${safeBlock(e.text, CONT)}`;
      break;
    case 'end':
      what = `end      ${safeBlock(e.reason, CONT)}`;
      break;
    case 'sig':
      what = `signed   checkpoint by key ${safe(keyId(e.key))}`;
      break;
  }
  return p.dim(`${time}  ·  ${what}`);
}

/** What the server listed; a list the client never asked for is "not listed", not "0". */
function offered(l: ReturnType<typeof buildTimeline>['session']['lists']): string {
  const kinds = [
    ['tools', l.tools],
    ['resources', l.resources],
    ['templates', l.resourceTemplates],
    ['prompts', l.prompts],
  ] as const;
  const listed = kinds
    .filter(([, st]) => st.history.length > 0)
    .map(([n, st]) => `${st.items.length} ${n}`);
  const never = kinds.filter(([, st]) => st.history.length === 0).map(([n]) => n);
  if (listed.length === 0) return 'not known (no list request in this capture)';
  return `${listed.join(', ')}${never.length ? ` (${never.join(', ')}: not listed)` : ''}`;
}

/** `show`'s text: the summary and handshake, then one line per message or event as records come. */
class TextPrinter {
  private readonly p: Paint;
  /** The next message to print: messages are in record order. */
  private next = 0;
  constructor(
    private readonly t: Timeline,
    private readonly sum: ShowSummary,
    private readonly file: string,
    color: boolean,
    private readonly emit: (text: string) => void,
  ) {
    this.p = paint(color);
  }

  head(): void {
    const { p, t, sum } = this;
    const h = sum.header;
    // Redacted again on display: a capture written by an older mcpscope (or by hand) may hold secrets.
    const src = h.source.command
      ? `stdio: ${redactArgs(h.source.command).join(' ')}`
      : h.source.url
        ? `${h.source.transport}: ${redactUrl(h.source.url)}`
        : h.source.transport;
    const lines: string[] = [
      `${p.bold('capture')}    ${safe(this.file)}`,
      `  format v${h.version}, ${safe(h.tool)}, created ${safe(h.created)}, ${safe(src)}`,
      `  ${sum.records} records, ${t.index.messages.length} messages, ${sum.closed ? 'closed cleanly' : p.yellow('not closed (recorder interrupted?)')}`,
    ];
    for (const pr of sum.problems) lines.push(p.yellow(`  line ${pr.line}: ${safe(pr.message)}`));
    if (sum.truncatedTail)
      lines.push(p.yellow(`  line ${sum.truncatedTail.line}: ${sum.truncatedTail.message}`));
    lines.push(...handshakeLines(t.session.handshake, p));
    lines.push(`  offered       ${offered(t.session.lists)}`);
    lines.push('');
    lines.push(
      p.dim(
        `${padLeft('time', 10)}  ·  ${pad('kind', 12)}  ${pad('method', 34)} ${pad('id', 8)} ${padLeft('latency', 9)}  ${padLeft('size', 7)}  flags`,
      ),
    );
    this.emit(`${lines.join('\n')}\n`);
  }

  record(r: EventRecord): void {
    const { t, p } = this;
    if (r.type !== 'frame') {
      this.emit(`${eventLine(r, t.startTs, p)}\n`);
      return;
    }
    const msgs = t.index.messages;
    while (this.next < msgs.length && msgs[this.next]!.seq < r.seq) this.next++;
    while (this.next < msgs.length && msgs[this.next]!.seq === r.seq)
      this.emit(`${messageLine(msgs[this.next++]!, t.startTs, p)}\n`);
  }
}

export function showText(read: ReadCapture, file: string, color: boolean): string {
  const out: string[] = [];
  const printer = new TextPrinter(buildTimeline(read), summaryOf(read), file, color, (x) =>
    out.push(x),
  );
  printer.head();
  for (const r of read.records) printer.record(r);
  return out.join('');
}

/**
 * `show FILE`, streamed in two passes: the first builds the timeline (messages without their
 * bodies, the session model; no events, no records), the second prints each record as it comes.
 * Memory grows with the number of messages, never with the file's bytes.
 */
async function showFile(
  file: string,
  identities: string[],
  json: boolean,
  color: boolean,
  out: (text: string) => void,
): Promise<void> {
  const timeline = new TimelineBuilder(0, false);
  const src = { file, ...(identities.length ? { identities } : {}) };
  let records = 0;
  const first = await forEachRecord(src, (r) => {
    records++;
    const from = timeline.index.messages.length;
    timeline.add(r);
    slimMessages(timeline.index, from);
  });
  timeline.startTs = first.header.ts;
  const sum: ShowSummary = {
    header: first.header,
    records: records + 1,
    problems: first.problems,
    truncatedTail: first.truncatedTail,
    closed: first.closed,
  };
  const pending: string[] = [];
  let size = 0;
  const emit = (x: string) => {
    pending.push(x);
    size += x.length;
    if (size >= 1 << 20) flush();
  };
  const flush = () => {
    if (pending.length) out(pending.join(''));
    pending.length = 0;
    size = 0;
  };
  const printer = json
    ? new JsonPrinter(timeline, sum, emit)
    : new TextPrinter(timeline, sum, file, color, emit);
  printer.head();
  await forEachRecord(src, (r) => printer.record(r));
  if (printer instanceof JsonPrinter) printer.tail();
  flush();
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{
    json?: boolean;
    help?: boolean;
    identity?: string[];
  }>(
    argv,
    {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      identity: { type: 'string', short: 'i', multiple: true },
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`show takes exactly one capture file.\n\n${usage}`);
  const file = positionals[0]!;
  const identities = (values.identity ?? []).flatMap((p) => readIdentityFile(p));
  await showFile(file, identities, values.json === true, io.color, (x) => io.out(x));
  return 0;
}
