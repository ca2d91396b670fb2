// The mock over stdio: newline-delimited JSON-RPC on stdin/stdout. Output is written once per
// turn of the event loop, so a burst of requests costs one write, not one per answer.

import type { Readable, Writable } from 'node:stream';
import { MockScript, type MockOptions, type ReplayPlan } from '../../../shared/replay/index.js';
import { MockConnection } from './connection.js';

export interface StdioMockOptions extends MockOptions {
  askTimeoutMs?: number;
  onWarning?: (message: string) => void;
}

/** Serve until the input ends. */
export function serveStdio(
  plan: ReplayPlan,
  input: Readable,
  output: Writable,
  opts: StdioMockOptions = {},
): Promise<void> {
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    output.write(text);
  };
  const conn = new MockConnection(
    new MockScript(plan, opts),
    (m) => {
      pending.push(JSON.stringify(m));
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    opts.askTimeoutMs,
    opts.onWarning,
  );
  const lineOf = (line: string): void => {
    const t = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (t.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (e) {
      pending.push(
        JSON.stringify({
          jsonrpc: '2.0',
          id: null,
          error: { code: -32700, message: `mcpscope mock: parse error: ${(e as Error).message}` },
        }),
      );
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      return;
    }
    conn.receive(value);
  };
  conn.start();
  return new Promise((resolve) => {
    let rest = '';
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const l of lines) lineOf(l);
    });
    input.on('end', () => {
      if (rest !== '') lineOf(rest);
      flush();
      conn.close();
      resolve();
    });
    input.on('error', () => {
      conn.close();
      resolve();
    });
  });
}
