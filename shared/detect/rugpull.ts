// Rug pulls: a server changes a tool after it was approved. Each definition is pinned by the
// hash of its canonical JSON — the whole definition (schemas, annotations, title), not just the
// description, because poisoning can live in any field. Pins are plain data; the engine stores
// them per server (electron/engine/scan/pins.ts). Also used within one session after list_changed.

import { canonicalJson } from '../protocol/canonical.js';
import { sha256Hex } from '../capture/hash.js';
import { itemKey, type ListKind } from '../protocol/session.js';
import { excerpt } from './mask.js';
import type { ServerMeta } from './detector.js';
import { joinPointer } from './jsonloc.js';
import { OWASP_MCP, type Finding, type RuleInfo, type TargetKind } from './types.js';

export const RUGPULL_RULES: RuleInfo[] = [
  {
    id: 'rugpull.definition-changed',
    title: 'Tool definition changed (rug pull)',
    category: 'rug-pull',
    severity: 'high',
    description:
      'A tool, prompt or resource definition differs from the one pinned earlier (a previous scan, or an earlier listing in the same session after list_changed). Any field counts: a new parameter or schema change can carry poisoning as well as a new description. Read the diff; if the change is not explained by a release you expected, disconnect and re-review the server before re-approving it (`--update-pins` pins the new state).',
    references: [
      OWASP_MCP.MCP03,
      OWASP_MCP.MCP04,
      'https://invariantlabs.ai/blog/mcp-security-notification-tool-poisoning-attacks',
    ],
  },
  {
    id: 'rugpull.instructions-changed',
    title: 'Server instructions changed',
    category: 'rug-pull',
    severity: 'high',
    description:
      "The server's `instructions` (text placed in the model's context at connection) differ from the pinned ones. Review the diff before trusting the server again.",
    references: [OWASP_MCP.MCP03, OWASP_MCP.MCP04],
  },
  {
    id: 'rugpull.item-added',
    title: 'New tool since the last pin',
    category: 'rug-pull',
    severity: 'low',
    description:
      'The server offers a tool, prompt or resource it did not offer when pinned. Review the new definition before it is used.',
    references: [OWASP_MCP.MCP04],
  },
];

export interface PinnedItem {
  hash: string;
  def: unknown;
}

export interface ServerPins {
  server: string;
  pinnedAt: string;
  instructions?: PinnedItem;
  lists: Partial<Record<ListKind, Record<string, PinnedItem>>>;
}

const HASHES = new WeakMap<object, string>();

/** sha256 of the canonical JSON; remembered per object (a listing is hashed by several steps). */
export function hashDefinition(def: unknown): string {
  if (typeof def !== 'object' || def === null) return sha256Hex(canonicalJson(def));
  let h = HASHES.get(def);
  if (h === undefined) HASHES.set(def, (h = sha256Hex(canonicalJson(def))));
  return h;
}

const KIND_OF: Record<ListKind, TargetKind> = {
  tools: 'tool',
  prompts: 'prompt',
  resources: 'resource',
  resourceTemplates: 'resource',
};

export function pinServer(meta: ServerMeta, now: string): ServerPins {
  const lists: ServerPins['lists'] = {};
  for (const kind of ['tools', 'prompts', 'resources', 'resourceTemplates'] as const) {
    const map: Record<string, PinnedItem> = {};
    for (const item of meta[kind])
      map[itemKey(kind, item)] = { hash: hashDefinition(item), def: item };
    lists[kind] = map;
  }
  const pins: ServerPins = { server: meta.name, pinnedAt: now, lists };
  if (meta.instructions !== undefined)
    pins.instructions = { hash: hashDefinition(meta.instructions), def: meta.instructions };
  return pins;
}

/** Readable differences between two JSON values: one line per changed leaf, with its pointer. */
export function diffJson(a: unknown, b: unknown, ptr = '', out: string[] = [], max = 40): string[] {
  if (out.length >= max) return out;
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const p = joinPointer(ptr, k);
      if (!(k in a)) out.push(`+ ${p}: ${excerpt(canonicalJson(b[k]), 200)}`);
      else if (!(k in b)) out.push(`- ${p}: ${excerpt(canonicalJson(a[k]), 200)}`);
      else diffJson(a[k], b[k], p, out, max);
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diffJson(x, b[i], joinPointer(ptr, i), out, max));
    return out;
  }
  if (canonicalJson(a) !== canonicalJson(b))
    out.push(
      `~ ${ptr || '/'}: ${excerpt(canonicalJson(a), 160)} → ${excerpt(canonicalJson(b), 160)}`,
    );
  return out;
}

function firstPointer(diff: string[]): string | undefined {
  const m = /^[+~-] (\/[^:]*):/.exec(diff[0] ?? '');
  return m ? m[1] : undefined;
}

export interface ChangeContext {
  server?: string;
  /** Where the new definition was seen (the listing's response frame). */
  seq?: number;
  /** Pointer prefix of each item in that frame (e.g. `/result/tools/3`), by kind and key. */
  pointerOf?: (kind: ListKind, key: string) => string | undefined;
  /** Wording for the message: "since the pin of 2026-…" or "within this session". */
  since: string;
}

/** Findings for every definition that differs between `before` and `after`. */
export function compareDefinitions(
  kind: ListKind,
  before: Record<string, PinnedItem>,
  after: Record<string, unknown>[],
  ctx: ChangeContext,
  reportAdded: boolean,
): Finding[] {
  const out: Finding[] = [];
  for (const item of after) {
    const key = itemKey(kind, item);
    const old = before[key];
    const base = ctx.pointerOf?.(kind, key) ?? '';
    const target: Finding['target'] = { kind: KIND_OF[kind], name: key };
    if (ctx.server !== undefined) target.server = ctx.server;
    if (ctx.seq !== undefined) target.seq = ctx.seq;
    if (!old) {
      if (reportAdded) {
        out.push({
          rule: 'rugpull.item-added',
          severity: 'low',
          title: RUGPULL_RULES[2]!.title,
          message: `${KIND_OF[kind]} "${excerpt(key, 80)}" is new ${ctx.since}.`,
          target: { ...target, pointer: base || '/' },
        });
      }
      continue;
    }
    if (old.hash === hashDefinition(item)) continue;
    const diff = diffJson(old.def, item);
    const inner = firstPointer(diff);
    target.pointer = `${base}${inner ?? ''}` || '/';
    const onlySchema = diff.every((d) => /^[+~-] \/(?:inputSchema|outputSchema|arguments)/.test(d));
    out.push({
      rule: 'rugpull.definition-changed',
      severity: 'high',
      title: RUGPULL_RULES[0]!.title,
      message: `${KIND_OF[kind]} "${excerpt(key, 80)}" changed ${ctx.since}${onlySchema ? ' (schema only: the description is unchanged)' : ''}:\n${diff.join('\n')}`,
      target,
      evidence: diff.slice(0, 6).join('\n'),
    });
  }
  return out;
}

/** Compare a server's current metadata with its pins. */
export function comparePins(pins: ServerPins, meta: ServerMeta): Finding[] {
  const ctx: ChangeContext = {
    server: meta.name,
    since: `since it was pinned on ${pins.pinnedAt}`,
  };
  const out: Finding[] = [];
  for (const kind of ['tools', 'prompts', 'resources', 'resourceTemplates'] as const) {
    const before = pins.lists[kind];
    if (before) out.push(...compareDefinitions(kind, before, meta[kind], ctx, true));
  }
  const a = pins.instructions?.def;
  if (
    pins.instructions &&
    (meta.instructions === undefined ||
      pins.instructions.hash !== hashDefinition(meta.instructions))
  ) {
    out.push({
      rule: 'rugpull.instructions-changed',
      severity: 'high',
      title: RUGPULL_RULES[1]!.title,
      message: `Server instructions changed ${ctx.since}:\n- ${excerpt(String(a), 400)}\n+ ${excerpt(String(meta.instructions ?? '(none)'), 400)}`,
      target: { server: meta.name, kind: 'server', name: meta.name, pointer: '/instructions' },
    });
  }
  return out;
}
