// Protocol violations seen on the wire: frames that are not JSON-RPC, answers nobody asked for
// (including answers to notifications, which carry no id to answer), reused request ids, and
// requests before the initialize handshake (the one check that needs per-session state: `open`).

import type { DetectContext, Detector, DetectorSession, FrameView } from './detector.js';
import { excerpt } from './mask.js';
import type { Finding, RuleInfo, Severity } from './types.js';

const SPEC = 'https://modelcontextprotocol.io/specification/2025-06-18/basic';
const JSONRPC = 'https://www.jsonrpc.org/specification';

export const PROTOCOL_RULES: RuleInfo[] = [
  {
    id: 'protocol.invalid-frame',
    title: 'Invalid JSON-RPC frame',
    category: 'protocol',
    severity: 'medium',
    description:
      'A frame is not valid JSON, not UTF-8, or not a JSON-RPC 2.0 message. Peers may crash, hang or desynchronise on it; on stdio it often means the server wrote logs to stdout. Fix the sender; the reason names what was wrong.',
    references: [SPEC, JSONRPC],
  },
  {
    id: 'protocol.unpaired-response',
    title: 'Response to no pending request',
    category: 'protocol',
    severity: 'low',
    description:
      'A response or error whose id matches no outstanding request from the other side (already answered, never sent, or an attempt to answer a notification). Peers should ignore it; a server doing this is buggy or is injecting results.',
    references: [SPEC, JSONRPC],
  },
  {
    id: 'protocol.duplicate-id',
    title: 'Request id reused while pending',
    category: 'protocol',
    severity: 'medium',
    description:
      'A request reused the id of a request from the same side that was still unanswered. MCP requires unique ids per session; responses can no longer be matched reliably.',
    references: [SPEC],
  },
  {
    id: 'protocol.before-initialize',
    title: 'Request before initialization',
    category: 'protocol',
    severity: 'low',
    description:
      'A request other than ping was sent before the initialize handshake completed. The lifecycle requires initialize first.',
    references: [`${SPEC}/lifecycle`],
  },
];

const title = (id: string): string => PROTOCOL_RULES.find((r) => r.id === id)!.title;

export const protocolDetector: Detector = {
  id: 'protocol',
  rules: PROTOCOL_RULES,
  frame(f: FrameView, ctx: DetectContext) {
    const out: Finding[] = [];
    const add = (
      rule: string,
      severity: Severity,
      message: string,
      pointer?: string,
      name?: string,
    ): void => {
      const target: Finding['target'] = { kind: 'message', seq: f.seq };
      if (ctx.server !== undefined) target.server = ctx.server;
      if (pointer !== undefined) target.pointer = pointer;
      if (name !== undefined) target.name = name;
      out.push({ rule, severity, title: title(rule), message, target, dir: f.dir });
    };
    const who = f.dir === 'c2s' ? 'client' : 'server';
    for (const m of f.messages) {
      const ptr = m.index !== undefined ? `/${m.index}` : '';
      if (m.kind === 'invalid')
        add(
          'protocol.invalid-frame',
          'medium',
          `The ${who} sent an invalid frame: ${excerpt(m.reason ?? 'unknown reason', 200)}.`,
          ptr || undefined,
        );
      if (m.flags.includes('unpaired'))
        add(
          'protocol.unpaired-response',
          'low',
          `The ${who} sent a ${m.kind} with id ${excerpt(JSON.stringify(m.id ?? null), 40)} that answers no pending request.`,
          `${ptr}/id`,
        );
      if (m.flags.includes('duplicate-id'))
        add(
          'protocol.duplicate-id',
          'medium',
          `The ${who} reused id ${excerpt(JSON.stringify(m.id ?? null), 40)} for "${excerpt(m.method ?? '', 60)}" while a request with that id was pending.`,
          `${ptr}/id`,
          m.method,
        );
    }
    return out;
  },
  open(): DetectorSession {
    let initialized = false;
    return {
      onRecord({ record, messages }, ctx) {
        if (record.type !== 'frame') return [];
        const out: Finding[] = [];
        for (const m of messages) {
          if (m.kind === 'request' && m.method === 'initialize') initialized = true;
          else if (m.kind === 'request' && m.dir === 'c2s' && !initialized && m.method !== 'ping') {
            const target: Finding['target'] = { kind: 'message', seq: record.seq };
            if (ctx.server !== undefined) target.server = ctx.server;
            if (m.method !== undefined) target.name = m.method;
            out.push({
              rule: 'protocol.before-initialize',
              severity: 'low',
              title: title('protocol.before-initialize'),
              message: `The client sent "${m.method ?? ''}" before initialize.`,
              target,
              dir: m.dir,
            });
          }
        }
        return out;
      },
    };
  },
};
