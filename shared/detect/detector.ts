// What a detector is: a small pure object listed in registry.ts. It declares its rules and
// implements any of the stateless hooks (frame, text, item, servers, endpoint) and, when it needs
// to remember things across a session, `open` (open → onRecord → finish). The runners (run.ts,
// timeline.ts) call them, rebase locations onto frames, and catch a detector that throws
// (mitmproxy's `safecall`): one bad rule never stops a scan.

import type { EventRecord, HeaderRecord } from '../capture/types.js';
import type { Direction, Message } from '../protocol/messages.js';
import type { SessionModel } from '../protocol/session.js';
import type { ServerPins } from './rugpull.js';
import type { Finding, RuleInfo, TargetKind } from './types.js';
import { isObject } from '../json.js';
export { isObject };

/** One recorded frame with what the timeline derived from it. */
export interface FrameView {
  seq: number;
  dir: Direction;
  /** Raw text (undefined when it was not UTF-8). */
  text?: string;
  /** Messages derived from this frame (one, or one per batch element). */
  messages: Message[];
  /** For answers: the method of the request they answer, per message (same order). */
  answers: (string | undefined)[];
}

/** A non-frame text: a stderr line or an HTTP header value. */
export interface TextView {
  seq?: number;
  text: string;
  /** What it is, for messages: `stderr`, `header authorization`… */
  where: string;
  dir?: Direction;
}

/** A tool, prompt, resource (or template) or the server's instructions, as the server declared it. */
export interface MetaItem {
  kind: TargetKind;
  /** Tool/prompt name, resource URI or template; the server's name for instructions. */
  name: string;
  /** The definition as received (hostile: any shape). Instructions are `{instructions: "…"}`. */
  value: Record<string, unknown>;
}

export interface ServerMeta {
  name: string;
  instructions?: string;
  tools: Record<string, unknown>[];
  prompts: Record<string, unknown>[];
  resources: Record<string, unknown>[];
  resourceTemplates: Record<string, unknown>[];
}

/** How the client reached the server (capture header, HTTP records, a live target). */
export interface EndpointView {
  /** Server URL (HTTP transports). */
  url?: string;
  transport?: string;
  /** True when any request carried credentials (Authorization, cookie, API-key header). */
  authenticated?: boolean;
  /** True when the server answered (initialize succeeded or a 2xx was recorded). */
  answered?: boolean;
  /** Record that shows it (header = 0, an HTTP record…). */
  seq?: number;
}

export interface DetectContext {
  /** The server the frame or item belongs to. */
  server?: string;
  /** Tool names per server, for cross-server references (this server's own are benign). */
  toolsByServer?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Resolve a derived message (pairing) by mid. */
  message?: (mid: number) => Message | undefined;
}

/** What a stateful detector is told about the session it is opened on. */
export interface SessionInfo {
  /** The capture's header (source: command line or URL, transport); none for a bare record feed. */
  header?: HeaderRecord;
  /** The session model the pipeline keeps (handshake, listings and their history). */
  session: SessionModel;
  /** The server's name as findings use it (final once initialize names the server). */
  server(): string;
  /** Rug-pull pins for a server of this session, when the engine has a pin store. */
  pins?(server: string): ServerPins | undefined;
}

/** One record handed to a session detector, after the pipeline derived its messages. */
export interface SessionRecord {
  record: EventRecord;
  /** Frames: the messages derived from it (the session model has already taken them). */
  messages: readonly Message[];
}

/** Per-session state of a detector: `onRecord` for every record in order, `finish` once at the end. */
export interface DetectorSession {
  onRecord?(r: SessionRecord, ctx: DetectContext): Finding[];
  finish?(ctx: DetectContext): Finding[];
}

export interface Detector {
  id: string;
  rules: RuleInfo[];
  frame?(f: FrameView, ctx: DetectContext): Finding[];
  text?(t: TextView, ctx: DetectContext): Finding[];
  /** Pointers are relative to the item's definition; the runner rebases them. */
  item?(item: MetaItem, ctx: DetectContext): Finding[];
  servers?(servers: ServerMeta[], ctx: DetectContext): Finding[];
  /** How a live target is reached (`scan` of a URL); sessions call it from their own state. */
  endpoint?(e: EndpointView, ctx: DetectContext): Finding[];
  /** Opens per-session state (rug pulls within a session, protocol lifecycle, transport). */
  open?(s: SessionInfo): DetectorSession;
}

/**
 * Findings whose range a frame detector already computed in the frame's raw text (secrets and PII
 * are matched on the raw text). The runner leaves these as they are instead of mapping a decoded
 * range back, which would rescan the frame once per finding.
 */
export const RAW_RANGE = new WeakSet<Finding>();

/** Names the target of an item finding. */
export function itemTarget(
  item: MetaItem,
  ctx: DetectContext,
  pointer?: string,
  range?: [number, number],
): Finding['target'] {
  const t: Finding['target'] = { kind: item.kind, name: item.name };
  if (ctx.server !== undefined) t.server = ctx.server;
  if (pointer !== undefined) t.pointer = pointer;
  if (range !== undefined) t.range = range;
  return t;
}
