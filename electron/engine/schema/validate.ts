// Tool-argument validation with ajv (full JSON Schema: $ref, oneOf, format…), off the UI thread
// and with a time budget. A server's schema is hostile: its `pattern` may backtrack for ever
// (`^(a+)+$`), so validation runs in a worker thread that is terminated when the budget is spent
// (a regex cannot be interrupted any other way) and replaced for the next call.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface SchemaError {
  path: string;
  message: string;
}

export interface ValidationResult {
  errors: SchemaError[];
  /** The budget ran out (a pathological pattern?): the arguments were not fully checked. */
  timedOut?: boolean;
  /** The schema itself could not be compiled. */
  schemaError?: string;
}

export const DEFAULT_BUDGET_MS = 250;

const require = createRequire(import.meta.url);

// Source of an eval'd worker (an ES module in this package): works from the compiled engine and
// under the test runner alike (no separate worker file to locate). ajv's paths are passed in.
const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
const require = createRequire(workerData.ajv);
const AjvMod = require(workerData.ajv);
const Ajv = AjvMod.default || AjvMod;
const fmt = require(workerData.formats);
const addFormats = fmt.default || fmt;
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, allowUnionTypes: true });
addFormats(ajv);
const cache = new Map();
parentPort.on('message', ({ id, schema, value }) => {
  let out;
  try {
    const key = JSON.stringify(schema);
    let fn = cache.get(key);
    if (!fn) {
      fn = ajv.compile(schema);
      if (cache.size > 200) cache.clear();
      cache.set(key, fn);
    }
    const ok = fn(value);
    out = { id, errors: ok ? [] : (fn.errors || []).slice(0, 50).map((e) => ({ path: e.instancePath || '/', message: e.message || e.keyword })) };
  } catch (e) {
    out = { id, errors: [], schemaError: String(e && e.message || e) };
  }
  parentPort.postMessage(out);
});
parentPort.postMessage({ ready: true });
`;

interface Pending {
  resolve: (r: ValidationResult) => void;
  timer: NodeJS.Timeout;
}

/** One worker, one validation at a time (calls queue); a runaway validation costs the worker. */
export class SchemaValidator {
  private worker: { w: Worker; ready: Promise<void> } | undefined;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly budgetMs = DEFAULT_BUDGET_MS) {}

  validate(schema: unknown, value: unknown): Promise<ValidationResult> {
    const run = this.chain.then(() => this.runOne(schema, value));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.w.terminate();
  }

  private spawn(): { w: Worker; ready: Promise<void> } {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ajv: require.resolve('ajv'), formats: require.resolve('ajv-formats') },
    });
    w.unref();
    let onReady: () => void = () => undefined;
    // The budget is for validating, not for starting a thread and loading ajv.
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    w.on('exit', () => onReady());
    w.on('message', (m: { id: number; ready?: true } & ValidationResult) => {
      if (m.ready) return onReady();
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      const { id: _id, ready: _r, ...result } = m;
      p.resolve(result);
    });
    w.on('error', () => this.drop(w, 'the validator failed'));
    w.on('exit', () => this.drop(w, 'the validator stopped'));
    return { w, ready };
  }

  private drop(w: Worker, why: string): void {
    if (this.worker?.w === w) this.worker = undefined;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ errors: [], schemaError: why });
      this.pending.delete(id);
    }
  }

  private async runOne(schema: unknown, value: unknown): Promise<ValidationResult> {
    const slot = (this.worker ??= this.spawn());
    await slot.ready;
    const w = slot.w;
    const id = ++this.seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        if (this.worker === slot) this.worker = undefined;
        void w.terminate();
        resolve({
          errors: [
            {
              path: '/',
              message: `validation took longer than ${this.budgetMs} ms (a pathological pattern in the schema?); not checked`,
            },
          ],
          timedOut: true,
        });
      }, this.budgetMs);
      this.pending.set(id, { resolve, timer });
      w.postMessage({ id, schema, value });
    });
  }
}
