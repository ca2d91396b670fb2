// Running detectors: per frame, per metadata item, across servers. Every hook runs inside
// safeCall, so a detector that throws becomes an `internal.detector-error` finding and the scan
// (or the live recording feeding it) goes on. Locations found inside a decoded string are
// rebased here onto the frame's raw text, so the UI can decorate the exact characters.

import type { Message } from '../protocol/messages.js';
import type {
  DetectContext,
  Detector,
  EndpointView,
  FrameView,
  MetaItem,
  ServerMeta,
  TextView,
} from './detector.js';
import { isObject, RAW_RANGE } from './detector.js';
import { rawRangeOf } from './jsonloc.js';
import { DETECTORS } from './registry.js';
import { comparePins, type ServerPins } from './rugpull.js';
import type { Finding, TargetKind } from './types.js';

export function safeCall(
  det: Detector,
  hook: string,
  fn: () => Finding[],
  where: Partial<Finding['target']> = {},
): Finding[] {
  try {
    return fn();
  } catch (e) {
    const err = e instanceof Error ? e.message : String(e);
    return [
      {
        rule: 'internal.detector-error',
        severity: 'info',
        title: 'A detector failed',
        message: `Detector "${det.id}" (${hook}) threw and was skipped for this input: ${err.slice(0, 300)}`,
        target: { kind: 'message', ...where },
      },
    ];
  }
}

/** Rebase a decoded-string range onto the frame's raw text (frame findings and item findings seen in a frame). */
function rebase(f: Finding, text: string, prefix = ''): Finding {
  const t = f.target;
  if (t.pointer === undefined) return f;
  const pointer = prefix + t.pointer;
  const out: Finding = { ...f, target: { ...t, pointer } };
  if (t.range) {
    const raw = rawRangeOf(text, pointer, t.range, t.key === true);
    if (raw) out.target.range = raw;
    else delete out.target.range;
  }
  if (f.related) {
    out.related = f.related.map((r) => {
      if (r.pointer === undefined || !r.range) return r;
      const p = prefix + r.pointer;
      const raw = rawRangeOf(text, p, r.range);
      return raw ? { ...r, pointer: p, range: raw } : { pointer: p, note: r.note };
    });
  }
  return out;
}

/** All frame detectors on one frame. Ranges come back as offsets in `frame.text`. */
export function detectFrame(
  frame: FrameView,
  ctx: DetectContext = {},
  detectors: readonly Detector[] = DETECTORS,
): Finding[] {
  const out: Finding[] = [];
  for (const d of detectors) {
    if (!d.frame) continue;
    const found = safeCall(d, 'frame', () => d.frame!(frame, ctx), { seq: frame.seq });
    for (const f of found)
      out.push(
        frame.text !== undefined && f.target.seq === frame.seq && !RAW_RANGE.has(f)
          ? rebase(f, frame.text)
          : f,
      );
  }
  return out;
}

/** Builds the FrameView the detectors take from the messages MessageIndex derived. */
export function frameView(
  seq: number,
  dir: FrameView['dir'],
  text: string | undefined,
  messages: Message[],
): FrameView {
  const answers = messages.map((m) =>
    m.kind === 'response' || m.kind === 'error' ? m.method : undefined,
  );
  const v: FrameView = { seq, dir, messages, answers };
  if (text !== undefined) v.text = text;
  return v;
}

/** Where an item sits in a frame: its seq, the frame text, and the pointer to the item. */
export interface ItemLocation {
  seq: number;
  text: string;
  pointer: string;
}

/** Item detectors on one tool/prompt/resource/instructions. Pointers relative to the item unless `at` is given. */
export function detectItem(
  item: MetaItem,
  ctx: DetectContext,
  at?: ItemLocation,
  detectors: readonly Detector[] = DETECTORS,
): Finding[] {
  const out: Finding[] = [];
  for (const d of detectors) {
    if (!d.item) continue;
    for (const f of safeCall(d, 'item', () => d.item!(item, ctx), {
      kind: item.kind,
      name: item.name,
    })) {
      if (!at) out.push(f);
      else out.push(rebase({ ...f, target: { ...f.target, seq: at.seq } }, at.text, at.pointer));
    }
  }
  return out;
}

export function detectText(
  t: TextView,
  ctx: DetectContext = {},
  detectors: readonly Detector[] = DETECTORS,
): Finding[] {
  return detectors.flatMap((d) =>
    d.text
      ? safeCall(d, 'text', () => d.text!(t, ctx), t.seq !== undefined ? { seq: t.seq } : {})
      : [],
  );
}

export function detectEndpoint(
  e: EndpointView,
  ctx: DetectContext = {},
  detectors: readonly Detector[] = DETECTORS,
): Finding[] {
  return detectors.flatMap((d) =>
    d.endpoint ? safeCall(d, 'endpoint', () => d.endpoint!(e, ctx), { kind: 'server' }) : [],
  );
}

const KIND: Record<'tools' | 'prompts' | 'resources' | 'resourceTemplates', TargetKind> = {
  tools: 'tool',
  prompts: 'prompt',
  resources: 'resource',
  resourceTemplates: 'resource',
};

/** The items of a server to scan: instructions, tools, prompts, resources, templates. */
export function itemsOf(
  meta: ServerMeta,
): { item: MetaItem; list?: keyof typeof KIND; index?: number }[] {
  const out: { item: MetaItem; list?: keyof typeof KIND; index?: number }[] = [];
  if (typeof meta.instructions === 'string')
    out.push({
      item: { kind: 'server', name: meta.name, value: { instructions: meta.instructions } },
    });
  for (const list of ['tools', 'prompts', 'resources', 'resourceTemplates'] as const) {
    meta[list].forEach((v, index) => {
      if (!isObject(v)) return;
      const key =
        list === 'resources' ? v.uri : list === 'resourceTemplates' ? v.uriTemplate : v.name;
      out.push({
        item: { kind: KIND[list], name: typeof key === 'string' ? key : `#${index}`, value: v },
        list,
        index,
      });
    });
  }
  return out;
}

export function toolsByServer(servers: ServerMeta[]): Map<string, Set<string>> {
  return new Map(
    servers.map((s) => [
      s.name,
      new Set(
        s.tools
          .map((t) => (isObject(t) && typeof t.name === 'string' ? t.name : ''))
          .filter(Boolean),
      ),
    ]),
  );
}

/** Only the cross-server rules (duplicate and look-alike names), for servers already scanned one by one. */
export function detectAcrossServers(
  servers: ServerMeta[],
  detectors: readonly Detector[] = DETECTORS,
): Finding[] {
  const byServer = toolsByServer(servers);
  return detectors.flatMap((d) =>
    d.servers
      ? safeCall(d, 'servers', () => d.servers!(servers, { toolsByServer: byServer }), {
          kind: 'server',
        })
      : [],
  );
}

/**
 * Scan servers' metadata (from a live connection or a config): every item of every server,
 * cross-server names, and pins when given (rug pulls since the last scan). Pointers are relative
 * to each item's definition (`/inputSchema/properties/x/description`).
 */
export function detectServers(
  servers: ServerMeta[],
  opts: { pins?: ReadonlyMap<string, ServerPins>; detectors?: readonly Detector[] } = {},
): Finding[] {
  const detectors = opts.detectors ?? DETECTORS;
  const byServer = toolsByServer(servers);
  const out: Finding[] = [];
  for (const meta of servers) {
    const ctx: DetectContext = { server: meta.name, toolsByServer: byServer };
    for (const { item } of itemsOf(meta)) out.push(...detectItem(item, ctx, undefined, detectors));
    const pins = opts.pins?.get(meta.name);
    if (pins) out.push(...comparePins(pins, meta));
  }
  for (const d of detectors)
    if (d.servers)
      out.push(
        ...safeCall(d, 'servers', () => d.servers!(servers, { toolsByServer: byServer }), {
          kind: 'server',
        }),
      );
  return out;
}
