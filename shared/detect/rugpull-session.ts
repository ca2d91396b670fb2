// Rug pulls as a session detector: every completed listing (tools, prompts, resources, templates)
// is compared with the previous listing of the same session (a re-listing after list_changed that
// differs) and, for the first listing, with the engine's pins for this server (what `mcpscope scan`
// pinned earlier), the same comparison a live scan makes. Instructions are compared with the pins
// when initialize answers. The pure comparison lives in rugpull.ts.

import { isObject, type Detector, type DetectorSession, type SessionInfo } from './detector.js';
import type { Message } from '../protocol/messages.js';
import { itemKey, LIST_KINDS, type ListKind } from '../protocol/session.js';
import {
  compareDefinitions,
  hashDefinition,
  RUGPULL_RULES,
  type PinnedItem,
  type ServerPins,
} from './rugpull.js';
import { excerpt } from './mask.js';
import type { Finding } from './types.js';

/** Where item `key` of list `kind` sits in the frame that completed the listing. */
function pointerIn(messages: readonly Message[], kind: ListKind, key: string): string | undefined {
  for (const m of messages) {
    const arr = isObject(m.parsed.result) ? m.parsed.result[kind] : undefined;
    if (!Array.isArray(arr)) continue;
    const i = arr.findIndex((x) => isObject(x) && itemKey(kind, x) === key);
    if (i >= 0) return `${m.index !== undefined ? `/${m.index}` : ''}/result/${kind}/${i}`;
  }
  return undefined;
}

export function openRugpullSession(s: SessionInfo): DetectorSession {
  const lastDefs: Partial<Record<ListKind, Record<string, PinnedItem>>> = {};
  let pins: ServerPins | undefined | null = null; // null: not looked up yet
  const pinsNow = (): ServerPins | undefined => {
    if (pins !== null) return pins;
    pins = undefined; // looked up once: a store that throws (corrupt file) is reported once
    pins = s.pins?.(s.server());
    return pins;
  };
  return {
    onRecord({ record, messages }, ctx) {
      if (record.type !== 'frame') return [];
      const seq = record.seq;
      const out: Finding[] = [];
      for (const m of messages) {
        if (m.kind !== 'response' || m.dir !== 's2c' || m.method !== 'initialize') continue;
        const p = pinsNow();
        const now = s.session.handshake.instructions;
        if (!p?.instructions || (now !== undefined && p.instructions.hash === hashDefinition(now)))
          continue;
        const target: Finding['target'] = { kind: 'server', name: s.server(), seq };
        if (ctx.server !== undefined) target.server = ctx.server;
        target.pointer = `${m.index !== undefined ? `/${m.index}` : ''}/result/instructions`;
        out.push({
          rule: 'rugpull.instructions-changed',
          severity: 'high',
          title: RUGPULL_RULES[1]!.title,
          message: `Server instructions changed since it was pinned on ${p.pinnedAt}:\n- ${excerpt(String(p.instructions.def), 400)}\n+ ${excerpt(String(now ?? '(none)'), 400)}`,
          target,
        });
      }
      // A listing completed by this frame: compare with the previous one, or with the pins.
      for (const list of LIST_KINDS) {
        const state = s.session.lists[list];
        const last = state.history[state.history.length - 1];
        if (!last || last.seq !== seq) continue;
        const before = lastDefs[list];
        const pointerOf = (kind: ListKind, key: string) => pointerIn(messages, kind, key);
        if (before && last.changed.length > 0) {
          const changed = state.items.filter((x) => last.changed.includes(itemKey(list, x)));
          out.push(
            ...compareDefinitions(
              list,
              before,
              changed,
              {
                server: s.server(),
                seq,
                pointerOf,
                since: 'within this session (the server re-listed it after list_changed)',
              },
              false,
            ),
          );
        } else if (!before) {
          const pinned = pinsNow();
          const was = pinned?.lists[list];
          if (pinned && was)
            out.push(
              ...compareDefinitions(
                list,
                was,
                state.items,
                {
                  server: s.server(),
                  seq,
                  pointerOf,
                  since: `since it was pinned on ${pinned.pinnedAt}`,
                },
                true,
              ),
            );
        }
        lastDefs[list] = Object.fromEntries(
          state.items.map((x) => [itemKey(list, x), { hash: hashDefinition(x), def: x }]),
        );
      }
      return out;
    },
  };
}

export const rugpullDetector: Detector = {
  id: 'rugpull',
  rules: RUGPULL_RULES,
  open: openRugpullSession,
};
