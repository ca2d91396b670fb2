// Typed-array columns of a fully indexed large session, so a filter is a few passes over flat
// arrays instead of a walk over a million message objects. The clause semantics are those of
// shared/filter/match.ts (test/unit/large-index.test.ts checks both give the same rows); a query
// with a clause not handled here (id:) returns undefined and the caller uses `matches`.

import { numberMatches, type Clause, type FilterQuery } from '../../../shared/filter/index.js';
import type { FrameKind, Message } from '../../../shared/protocol/index.js';

const KINDS: FrameKind[] = ['request', 'notification', 'response', 'error', 'invalid'];
const REQUEST = 0;
const RESPONSE = 2;
const ERROR = 3;
const INVALID = 4;
const F_UNPAIRED = 1;
const F_CANCELLED = 2;
const F_ANY = 4;

export class Columns {
  readonly n: number;
  readonly kind: Uint8Array;
  readonly dir: Uint8Array;
  readonly pair: Int32Array;
  readonly latency: Float64Array;
  readonly size: Float64Array;
  readonly seq: Float64Array;
  readonly flags: Uint8Array;
  readonly progress: Uint8Array;
  readonly cancels: Uint8Array;
  /** Index into `methods` (-1: none). */
  readonly method: Int32Array;
  readonly methods: string[] = [];

  constructor(msgs: readonly Message[]) {
    const n = (this.n = msgs.length);
    this.kind = new Uint8Array(n);
    this.dir = new Uint8Array(n);
    this.pair = new Int32Array(n);
    this.latency = new Float64Array(n);
    this.size = new Float64Array(n);
    this.seq = new Float64Array(n);
    this.flags = new Uint8Array(n);
    this.progress = new Uint8Array(n);
    this.cancels = new Uint8Array(n);
    this.method = new Int32Array(n);
    const ids = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const m = msgs[i]!;
      this.kind[i] = KINDS.indexOf(m.kind);
      this.dir[i] = m.dir === 'c2s' ? 0 : 1;
      this.pair[i] = m.pair ?? -1;
      this.latency[i] = m.latencyMs ?? NaN;
      this.size[i] = m.size;
      this.seq[i] = m.seq;
      let f = 0;
      if (m.flags.length > 0) f |= F_ANY;
      if (m.flags.includes('unpaired')) f |= F_UNPAIRED;
      if (m.flags.includes('cancelled')) f |= F_CANCELLED;
      this.flags[i] = f;
      this.progress[i] = m.progressOf !== undefined ? 1 : 0;
      this.cancels[i] = m.cancels !== undefined ? 1 : 0;
      if (m.method === undefined) this.method[i] = -1;
      else {
        let id = ids.get(m.method);
        if (id === undefined) {
          id = this.methods.length;
          this.methods.push(m.method);
          ids.set(m.method, id);
        }
        this.method[i] = id;
      }
    }
  }

  private errorish(i: number): boolean {
    const k = this.kind[i];
    return k === ERROR || k === INVALID;
  }

  /** One clause as a 0/1 mask, or undefined when this clause needs the message objects. */
  private mask(
    c: Clause,
    textHit: (needle: string, row: number) => boolean,
  ): Uint8Array | undefined {
    const n = this.n;
    const out = new Uint8Array(n);
    switch (c.key) {
      case 'method': {
        const ok = this.methods.map((m) => c.patterns.some((p) => p.test(m)));
        for (let i = 0; i < n; i++) {
          const id = this.method[i]!;
          out[i] = id >= 0 && ok[id] ? 1 : 0;
        }
        return out;
      }
      case 'dir': {
        const c2s = c.values.includes('c2s');
        const s2c = c.values.includes('s2c');
        for (let i = 0; i < n; i++) out[i] = (this.dir[i] === 0 ? c2s : s2c) ? 1 : 0;
        return out;
      }
      case 'kind': {
        const want = KINDS.map((k) => c.values.includes(k as never));
        for (let i = 0; i < n; i++) out[i] = want[this.kind[i]!] ? 1 : 0;
        return out;
      }
      case 'status': {
        const has = (s: string): boolean => c.values.includes(s as never);
        const [ok, error, pending, unpaired] = [
          has('ok'),
          has('error'),
          has('pending'),
          has('unpaired'),
        ];
        for (let i = 0; i < n; i++) {
          const k = this.kind[i]!;
          let r = false;
          if (k === ERROR || k === INVALID)
            r = error || (unpaired && (this.flags[i]! & F_UNPAIRED) !== 0);
          else if (k === RESPONSE) r = (this.flags[i]! & F_UNPAIRED) !== 0 ? unpaired : ok;
          else if (k === REQUEST) {
            const p = this.pair[i]!;
            r = p < 0 ? pending : this.errorish(p) ? error : ok;
          }
          out[i] = r ? 1 : 0;
        }
        return out;
      }
      case 'latency':
      case 'size':
      case 'seq': {
        const col = c.key === 'latency' ? this.latency : c.key === 'size' ? this.size : this.seq;
        for (let i = 0; i < n; i++) {
          const v = col[i]!;
          out[i] = !Number.isNaN(v) && c.tests.some((t) => numberMatches(t, v)) ? 1 : 0;
        }
        return out;
      }
      case 'has':
        for (let i = 0; i < n; i++) {
          let r = false;
          for (const v of c.values) {
            if (v === 'error')
              r =
                this.errorish(i) ||
                (this.kind[i] === REQUEST && this.pair[i]! >= 0 && this.errorish(this.pair[i]!));
            else if (v === 'pair') r = this.pair[i]! >= 0;
            else if (v === 'progress') r = this.progress[i] === 1;
            else if (v === 'cancel')
              r = this.cancels[i] === 1 || (this.flags[i]! & F_CANCELLED) !== 0;
            else if (v === 'flag') r = (this.flags[i]! & F_ANY) !== 0;
            if (r) break; // 'finding': a large session has no findings
          }
          out[i] = r ? 1 : 0;
        }
        return out;
      case 'severity':
        return out; // no findings: never matches
      case 'text': {
        const inMethod = this.methods.map((m) => m.toLowerCase().includes(c.needle));
        for (let i = 0; i < n; i++) {
          const id = this.method[i]!;
          out[i] = (id >= 0 && inMethod[id]) || textHit(c.needle, i) ? 1 : 0;
        }
        return out;
      }
      case 'id':
        return undefined;
    }
  }

  /** The rows passing `q`, or undefined when a clause needs the generic path. */
  filter(
    q: FilterQuery,
    textHit: (needle: string, row: number) => boolean,
  ): Int32Array | undefined {
    const masks: [Uint8Array, boolean][] = [];
    for (const c of q.clauses) {
      const m = this.mask(c, textHit);
      if (!m) return undefined;
      masks.push([m, c.negate]);
    }
    const out = new Int32Array(this.n);
    let k = 0;
    rows: for (let i = 0; i < this.n; i++) {
      for (const [m, negate] of masks) if ((m[i] === 1) === negate) continue rows;
      out[k++] = i;
    }
    return out.slice(0, k);
  }
}
