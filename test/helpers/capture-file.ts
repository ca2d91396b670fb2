// Build capture files by hand (hash-chained like the writer does) for reader and verify tests.
import { writeFileSync } from 'node:fs';
import { encodeLine, sha256Hex } from '../../shared/capture/index.js';

export function headerRecord(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    seq: 0,
    ts: 1,
    type: 'header',
    format: 'mcpscope-capture',
    version: 1,
    tool: 'mcpscope/test',
    created: '2026-01-01T00:00:00.000Z',
    id: '0123456789abcdef',
    source: { transport: 'stdio', command: ['server'] },
    ...over,
  };
}

/** Chain the records (seq is set from the position) and return the file text. */
export function chainText(records: Record<string, unknown>[]): string {
  let prev = '';
  let out = '';
  records.forEach((r, i) => {
    const { seq: _s, ...rest } = r;
    const { line, hash } = encodeLine({ seq: i, ...rest }, prev, sha256Hex);
    prev = hash;
    out += `${line}\n`;
  });
  return out;
}

export function writeChained(path: string, records: Record<string, unknown>[]): string {
  const text = chainText(records);
  writeFileSync(path, text);
  return text;
}

export const rpc = (o: Record<string, unknown>): string => JSON.stringify({ jsonrpc: '2.0', ...o });
