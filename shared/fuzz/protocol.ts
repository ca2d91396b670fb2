// Protocol-level mutations (JSON-RPC envelope, ids, methods, params, batches, cancellation) and
// framing-level mutations for stdio (bytes: invalid UTF-8, split frames, late newlines, CRLF,
// oversize lines). Each case says which ids a conforming server must answer and which it may.
// Ids are derived from the case index, so a campaign is the same for the same seed.

import { idKey } from '../protocol/jsonrpc.js';
import type { FramingCase, ProtocolCase } from './types.js';

type Built = { lines: string[]; must: unknown[]; may: unknown[] };
const j = (v: unknown): string => JSON.stringify(v);
const req = (id: unknown, method: string, params?: unknown): string =>
  j(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
const keys = (ids: unknown[]): string[] => ids.map((i) => idKey(i as string | number | null));

/** Base id of a protocol/framing case: far from the small numbers tool cases use. */
export const caseId = (index: number, k = 0): number => 1_000_000 + index * 4 + k;

const PROTOCOL: [string, (id: number, n: number, tool: string | undefined) => Built][] = [
  ['missing-jsonrpc', (id) => ({ lines: [j({ id, method: 'ping' })], must: [], may: [id] })],
  [
    'wrong-jsonrpc',
    (id) => ({ lines: [j({ jsonrpc: '1.0', id, method: 'ping' })], must: [], may: [id] }),
  ],
  ['string-id', (id) => ({ lines: [req(`s-${id}`, 'ping')], must: [`s-${id}`], may: [] })],
  ['negative-id', (id) => ({ lines: [req(-id, 'ping')], must: [-id], may: [] })],
  ['float-id', (id) => ({ lines: [req(id + 0.5, 'ping')], must: [], may: [id + 0.5] })],
  ['null-id', () => ({ lines: [req(null, 'ping')], must: [], may: [null] })],
  ['object-id', () => ({ lines: [req({ x: 1 }, 'ping')], must: [], may: [null] })],
  ['duplicate-id', (id) => ({ lines: [req(id, 'ping'), req(id, 'ping')], must: [id], may: [] })],
  [
    'unknown-method',
    (id, n) => ({
      lines: [
        req(
          id,
          [
            'fuzz/unknown',
            '__proto__',
            'constructor',
            'toString',
            'tools/CALL',
            '',
            'hasOwnProperty',
          ][n % 7]!,
        ),
      ],
      must: [id],
      may: [],
    }),
  ],
  ['params-array', (id) => ({ lines: [req(id, 'tools/list', [])], must: [id], may: [] })],
  [
    'params-string',
    (id) => ({
      lines: [j({ jsonrpc: '2.0', id, method: 'tools/list', params: 'x' })],
      must: [],
      may: [id, null],
    }),
  ],
  [
    'tool-name-number',
    (id) => ({ lines: [req(id, 'tools/call', { name: 123, arguments: {} })], must: [id], may: [] }),
  ],
  [
    'arguments-not-object',
    (id, n, tool) => ({
      lines: [req(id, 'tools/call', { name: tool ?? 'x', arguments: ['s', 1, null, []][n % 4] })],
      must: [id],
      may: [],
    }),
  ],
  [
    'unknown-tool',
    (id) => ({
      lines: [req(id, 'tools/call', { name: '__proto__', arguments: {} })],
      must: [id],
      may: [],
    }),
  ],
  [
    'cursor-number',
    (id) => ({ lines: [req(id, 'tools/list', { cursor: 12345 })], must: [id], may: [] }),
  ],
  [
    'resource-uri-object',
    (id) => ({
      lines: [req(id, 'resources/read', { uri: { href: 'file:///etc/passwd' } })],
      must: [id],
      may: [],
    }),
  ],
  [
    'batch',
    (id) => ({
      lines: [
        j([
          { jsonrpc: '2.0', id, method: 'ping' },
          { jsonrpc: '2.0', id: id + 1, method: 'ping' },
        ]),
      ],
      must: [],
      may: [id, id + 1, null],
    }),
  ],
  ['empty-batch', () => ({ lines: ['[]'], must: [], may: [null] })],
  [
    'cancel-race',
    (id, _n, tool) => ({
      lines: [
        req(id, 'tools/call', { name: tool ?? 'x', arguments: {} }),
        j({
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: id, reason: 'fuzz' },
        }),
      ],
      must: [],
      may: [id],
    }),
  ],
  [
    'cancel-unknown',
    (id) => ({
      lines: [
        j({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id + 3 } }),
      ],
      must: [],
      may: [],
    }),
  ],
  [
    'notification-ping',
    () => ({ lines: [j({ jsonrpc: '2.0', method: 'ping' })], must: [], may: [] }),
  ],
  [
    'deep-nesting',
    (id, n) => ({
      lines: [
        `{"jsonrpc":"2.0","id":${id},"method":"ping","params":{"a":${'['.repeat(1000 + (n % 4000))}${']'.repeat(1000 + (n % 4000))}}}`,
      ],
      must: [],
      may: [id, null],
    }),
  ],
  [
    'huge-number',
    (id) => ({
      lines: [
        `{"jsonrpc":"2.0","id":${id},"method":"ping","params":{"x":1e400,"y":-0,"z":123456789012345678901234567890}}`,
      ],
      must: [],
      may: [id],
    }),
  ],
  [
    'reinitialize',
    (id) => ({
      lines: [
        req(id, 'initialize', {
          protocolVersion: '1999-01-01',
          capabilities: {},
          clientInfo: { name: 'mcpscope-fuzz', version: '0' },
        }),
      ],
      must: [],
      may: [id],
    }),
  ],
  [
    'not-json',
    (_id, n) => ({
      lines: [['{', '{"jsonrpc":"2.0",', 'null', '"ping"', '{"jsonrpc":"2.0","id":1,}'][n % 5]!],
      must: [],
      may: [null],
    }),
  ],
];

export const PROTOCOL_MUTATIONS: readonly string[] = PROTOCOL.map(([name]) => name);

export function protocolCase(index: number, n: number, tool: string | undefined): ProtocolCase {
  const [mutation, build] = PROTOCOL[n % PROTOCOL.length]!;
  const b = build(caseId(index), Math.floor(n / PROTOCOL.length), tool);
  return {
    family: 'protocol',
    index,
    mutation,
    lines: b.lines,
    mustAnswer: keys(b.must),
    mayAnswer: keys(b.may),
  };
}

const enc = new TextEncoder();
/** A "binary string": one char per byte (UTF-8 encoded), so big frames stay cheap to hold. */
export function bytes(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(s)) return s;
  let out = '';
  for (const b of enc.encode(s)) out += String.fromCharCode(b);
  return out;
}
const raw = (...codes: number[]): string => String.fromCharCode(...codes);

const FRAMING: [
  string,
  (id: number, n: number) => { chunks: string[]; must: unknown[]; may: unknown[] },
][] = [
  [
    'invalid-utf8',
    (id) => ({
      chunks: [
        `{"jsonrpc":"2.0","id":${id},"method":"ping","params":{"x":"${raw(0xff, 0xfe, 0xc3)}"}}\n`,
      ],
      must: [],
      may: [id, null],
    }),
  ],
  [
    'split-frame',
    (id, n) => {
      const b = bytes(`${req(id, 'ping')}\n`);
      const cut = 1 + (n % (b.length - 2));
      return { chunks: [b.slice(0, cut), b.slice(cut)], must: [id], may: [] };
    },
  ],
  [
    'late-newline',
    (id) => ({ chunks: [bytes(req(id, 'ping')), bytes('\n')], must: [id], may: [] }),
  ],
  ['crlf', (id) => ({ chunks: [bytes(`${req(id, 'ping')}\r\n`)], must: [id], may: [] })],
  ['blank-lines', () => ({ chunks: [bytes('\n\n   \n\t\n')], must: [], may: [null] })],
  [
    'bom',
    (id) => ({
      chunks: [`${raw(0xef, 0xbb, 0xbf)}${bytes(`${req(id, 'ping')}\n`)}`],
      must: [],
      may: [id, null],
    }),
  ],
  [
    'nul-byte',
    (id) => ({
      chunks: [`{"jsonrpc":"2.0","id":${id},"method":"ping"${raw(0)}}\n`],
      must: [],
      may: [id, null],
    }),
  ],
  [
    'oversize-line',
    (id, n) => ({
      chunks: [bytes(`${req(id, 'ping', { pad: 'A'.repeat((64 << 10) << (n % 4)) })}\n`)],
      must: [id],
      may: [],
    }),
  ],
  [
    'two-on-one-line',
    (id) => ({
      chunks: [bytes(`${req(id, 'ping')}${req(id + 1, 'ping')}\n`)],
      must: [],
      may: [id, id + 1, null],
    }),
  ],
];

export const FRAMING_MUTATIONS: readonly string[] = FRAMING.map(([name]) => name);

export function framingCase(index: number, n: number): FramingCase {
  const [mutation, build] = FRAMING[n % FRAMING.length]!;
  const b = build(caseId(index), Math.floor(n / FRAMING.length));
  return {
    family: 'framing',
    index,
    mutation,
    chunks: b.chunks,
    mustAnswer: keys(b.must),
    mayAnswer: keys(b.may),
  };
}
