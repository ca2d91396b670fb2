// Build capture files by hand (hash-chained like the writer does) for reader and verify tests.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { chainBody, encodeLine, sha256Hex, signBody } from '../../shared/capture/index.js';
import { nodeSha256 } from '../../electron/engine/capture/writer.js';

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

/**
 * A capture of `frames` notifications of about 1 MiB each, hash-chained (and signed at the header
 * and the end when `signer` is given), written line by line so the test never holds the file.
 */
export function writeLargeCapture(
  path: string,
  frames: number,
  signer?: Parameters<typeof signBody>[2],
): void {
  const blob = 'x'.repeat(1024 * 1024 - 200);
  const fd = openSync(path, 'w');
  let prev = '';
  const put = (body: string): void => {
    const { line, hash } = chainBody(body, prev, nodeSha256);
    prev = hash;
    writeSync(fd, `${line}\n`);
  };
  const signed = (body: string): string => (signer ? signBody(body, prev, signer) : body);
  put(signed(JSON.stringify(headerRecord())));
  for (let i = 1; i <= frames; i++) {
    const text = JSON.stringify({
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level: 'info', data: blob },
    });
    put(JSON.stringify({ seq: i, ts: 1 + i, type: 'frame', dir: 's2c', channel: 'stdio', text }));
  }
  put(signed(JSON.stringify({ seq: frames + 1, ts: frames + 2, type: 'end', reason: 'done' })));
  closeSync(fd);
}
