// A campaign plan: the exact list of cases for a seed. Pure and deterministic — the same tools,
// seed, count and families give the same cases in the same order (fast-check's seeded sampling).

import fc from 'fast-check';
import { mutateInvalid, confuse } from './mutate.js';
import { framingCase, protocolCase } from './protocol.js';
import { valueArb } from './schema-arb.js';
import type { ArgMode, FuzzCase, FuzzFamily, FuzzTool, ToolCase } from './types.js';

export interface PlanOptions {
  seed: number;
  cases: number;
  families: readonly FuzzFamily[];
  modes?: readonly ArgMode[];
}

const WEIGHTS: Record<ArgMode, number> = {
  valid: 3,
  boundary: 2,
  invalid: 3,
  'type-confusion': 1,
  attack: 2,
};

/** One seed per stream, so adding a tool does not change another tool's cases. */
export function subSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}

export function argsArb(
  tool: FuzzTool,
  modes: readonly ArgMode[] = ['valid', 'boundary', 'invalid', 'type-confusion', 'attack'],
): fc.Arbitrary<{ mode: ArgMode; args: unknown }> {
  const schema = tool.inputSchema ?? { type: 'object' };
  const arbs: Record<ArgMode, () => fc.Arbitrary<unknown>> = {
    valid: () => valueArb(schema, 'random'),
    boundary: () => valueArb(schema, 'boundary'),
    attack: () => valueArb(schema, 'attack'),
    invalid: () =>
      fc
        .tuple(valueArb(schema, 'random'), fc.nat(1 << 20))
        .map(([v, n]) => mutateInvalid(v, schema, n)),
    'type-confusion': () =>
      fc.tuple(valueArb(schema, 'random'), fc.nat(1 << 20)).map(([v, n]) => {
        // Mostly one property of the wrong type; sometimes the whole arguments value.
        if (n % 5 === 0) return confuse(v, n >> 3);
        return mutateInvalid(
          v,
          { ...schema, required: [], additionalProperties: true },
          (n >> 1) << 1,
        );
      }),
  };
  const chosen = modes.length > 0 ? modes : (['valid'] as const);
  return fc.oneof(
    ...chosen.map((m) => ({
      weight: WEIGHTS[m],
      arbitrary: arbs[m]().map((args) => ({ mode: m, args })),
    })),
  );
}

/** How many cases of each family: tools get most; framing only for stdio. */
export function split(
  total: number,
  families: readonly FuzzFamily[],
  toolCount: number,
): Record<FuzzFamily, number> {
  const has = (f: FuzzFamily) => families.includes(f) && (f !== 'tools' || toolCount > 0);
  const share: Record<FuzzFamily, number> = {
    tools: has('tools') ? 8.55 : 0,
    protocol: has('protocol') ? 1.2 : 0,
    framing: has('framing') ? 0.25 : 0,
  };
  const sum = share.tools + share.protocol + share.framing;
  if (sum === 0) return { tools: 0, protocol: 0, framing: 0 };
  const protocol = Math.round((total * share.protocol) / sum);
  const framing = Math.round((total * share.framing) / sum);
  return { tools: total - protocol - framing, protocol, framing };
}

export function planCampaign(tools: readonly FuzzTool[], opts: PlanOptions): FuzzCase[] {
  const counts = split(opts.cases, opts.families, tools.length);
  const out: FuzzCase[] = [];
  if (counts.tools > 0) {
    const per = tools.map(
      (_, i) => Math.floor(counts.tools / tools.length) + (i < counts.tools % tools.length ? 1 : 0),
    );
    const samples = tools.map((t, i) =>
      per[i]! > 0
        ? fc.sample(argsArb(t, opts.modes), {
            seed: subSeed(opts.seed, `tool:${t.name}`),
            numRuns: per[i]!,
          })
        : [],
    );
    // Round-robin over tools so a short campaign still touches every tool early.
    const at = tools.map(() => 0);
    for (let k = 0; out.length < counts.tools; k++) {
      const ti = k % tools.length;
      const s = samples[ti]![at[ti]!];
      if (s === undefined) continue;
      at[ti]!++;
      const c: ToolCase = {
        family: 'tools',
        index: out.length,
        tool: tools[ti]!.name,
        mode: s.mode,
        args: s.args,
      };
      out.push(c);
    }
  }
  const nats = (label: string, n: number) =>
    n > 0 ? fc.sample(fc.nat(1 << 24), { seed: subSeed(opts.seed, label), numRuns: n }) : [];
  const firstTool = tools[0]?.name;
  for (const n of nats('protocol', counts.protocol))
    out.push(protocolCase(out.length, n, firstTool));
  for (const n of nats('framing', counts.framing)) out.push(framingCase(out.length, n));
  return out;
}

/** The JSON-RPC id of a tool case (unique within the campaign). */
export const toolCaseId = (index: number): number => index + 1;

export function toolCallLine(id: number | string, tool: string, args: unknown): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: tool, arguments: args },
  });
}

const dec = new TextDecoder('utf-8', { fatal: false });

/** What a case puts on the wire, as text (framing bytes decoded with replacement characters). */
export function caseText(c: FuzzCase): string[] {
  if (c.family === 'tools') return [toolCallLine(toolCaseId(c.index), c.tool, c.args)];
  if (c.family === 'protocol') return c.lines;
  return c.chunks.map((ch) => dec.decode(Uint8Array.from(ch, (x) => x.charCodeAt(0))));
}
