// Value binding: a value the server generated in the recording (a cursor, an item id, a URI, a
// task id, an elicitation id) that the client later sent back is bound to the value the live
// server generated at the same place. Requests are sent with the live value, and a bound pair is
// never a difference — also where the value appears inside a string ("created item 7f3a…").

import { locationKey, MIN_BOUND_LENGTH } from './plan.js';
import { joinPointer } from './pointer.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

export interface Binding {
  recorded: string;
  replayed: string;
}

export class Binder {
  private readonly map = new Map<string, string>();
  /** Bound values long enough to be replaced inside strings, longest first. */
  private inner: string[] = [];

  constructor(
    private readonly echoed: ReadonlySet<string>,
    /** Places that hold server-generated handles (`ReplayPlan.echoedAt`). */
    private readonly echoedAt: ReadonlySet<string> = new Set(),
  ) {}

  get size(): number {
    return this.map.size;
  }

  bindings(): Binding[] {
    return [...this.map].map(([recorded, replayed]) => ({ recorded, replayed }));
  }

  /** Bind one pair by hand (e.g. a session id taken from a header). */
  bind(recorded: string, replayed: string): void {
    if (recorded === replayed || this.map.get(recorded) === replayed) return;
    this.map.set(recorded, replayed);
    if (recorded.length >= MIN_BOUND_LENGTH) {
      this.inner = [...this.map.keys()]
        .filter((k) => k.length >= MIN_BOUND_LENGTH)
        .sort((a, b) => b.length - a.length);
    }
  }

  /**
   * Walk a recorded value and the live one in parallel; where a recorded string the client later
   * sends back differs from the live string at the same place, bind them.
   */
  learn(recorded: unknown, replayed: unknown, method = '', pointer = ''): void {
    if (this.echoed.size === 0) return;
    this.walk(recorded, replayed, method, pointer, { n: 50_000 });
  }

  private walk(
    recorded: unknown,
    replayed: unknown,
    method: string,
    pointer: string,
    budget: { n: number },
  ): void {
    if (budget.n-- <= 0) return;
    if (typeof recorded === 'string' && typeof replayed === 'string') {
      if (recorded !== replayed) this.learnString(recorded, replayed, method, pointer);
      return;
    }
    if (Array.isArray(recorded) && Array.isArray(replayed)) {
      const n = Math.min(recorded.length, replayed.length);
      for (let i = 0; i < n; i++)
        this.walk(recorded[i], replayed[i], method, joinPointer(pointer, i), budget);
      return;
    }
    if (isObject(recorded) && isObject(replayed)) {
      for (const k of Object.keys(recorded))
        if (hasOwn(replayed, k))
          this.walk(recorded[k], replayed[k], method, joinPointer(pointer, k), budget);
    }
  }

  private learnString(rec: string, rep: string, method: string, pointer: string): void {
    if (
      this.echoed.has(rec) ||
      (rec.length >= MIN_BOUND_LENGTH && this.echoedAt.has(locationKey(method, pointer)))
    ) {
      this.bind(rec, rep);
      return;
    }
    // The echoed value sits inside a longer string: align what surrounds it.
    for (const v of this.echoed) {
      const i = rec.indexOf(v);
      if (i < 0 || v.length < MIN_BOUND_LENGTH) continue;
      const before = rec.slice(0, i);
      const after = rec.slice(i + v.length);
      if (
        this.map.has(v) ||
        rep.length <= before.length + after.length ||
        !rep.startsWith(before) ||
        !rep.endsWith(after)
      )
        continue;
      const live = rep.slice(before.length, rep.length - after.length);
      // An open end could swallow a changed tail: the live value must look like the recorded one.
      if (
        /\s/.test(live) !== /\s/.test(v) ||
        live.length > v.length * 2 + 8 ||
        live.length * 2 < v.length
      )
        continue;
      this.bind(v, live);
    }
  }

  /** A copy of `value` with every bound recorded value replaced by its live one. */
  apply<T>(value: T): T {
    if (this.map.size === 0) return value;
    return this.sub(value) as T;
  }

  /** Replace bound values inside one string. */
  applyString(s: string): string {
    const whole = this.map.get(s);
    if (whole !== undefined) return whole;
    let out = s;
    for (const k of this.inner) if (out.includes(k)) out = out.split(k).join(this.map.get(k)!);
    return out;
  }

  private sub(v: unknown): unknown {
    if (typeof v === 'string') return this.applyString(v);
    if (Array.isArray(v)) return v.map((x) => this.sub(x));
    if (isObject(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v))
        Object.defineProperty(out, k, {
          value: this.sub(v[k]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }
    return v;
  }
}
