// The stdio recorder under bad input: bytes that are not JSON, not UTF-8, CRLF, odd chunking,
// huge frames, a server that dies mid-frame, an unwritable capture path, a missing command, signals.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { payloadBytes, readCapture, type FrameRecord } from '../../shared/capture/index.js';
import { runCli } from '../helpers/cli.js';
import { CLI, ROOT, scratchDir } from '../helpers/paths.js';

const RAW = join(ROOT, 'test', 'fixtures', 'servers', 'raw.mjs');

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Run the recorder around the raw fixture, writing `chunks` one by one (each after the previous was flushed). */
function record(
  out: string,
  mode: string,
  chunks: Buffer[],
  opts: { signal?: NodeJS.Signals } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'record', '--out', out, '--', process.execPath, RAW, mode],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (opts.signal && stderr.includes('raw server ready')) {
        opts.signal = undefined;
        child.kill('SIGTERM');
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`recorder timed out; stderr: ${stderr}`));
    }, 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout), stderr });
    });
    const write = async () => {
      for (const c of chunks) await new Promise<void>((r) => child.stdin.write(c, () => r()));
      if (!opts.signal) child.stdin.end();
    };
    void write();
  });
}

function frames(out: string, dir: 'c2s' | 's2c'): FrameRecord[] {
  return readCapture(readFileSync(out, 'utf8')).records.filter(
    (r): r is FrameRecord => r.type === 'frame' && r.dir === dir,
  );
}

describe('stdio recorder edge cases', () => {
  const dir = scratchDir();

  it('passes odd framing and bytes through unchanged and records each frame exactly', async () => {
    const out = join(dir, 'edges.mcpscope.jsonl');
    const chunks = [
      Buffer.from(
        '{"jsonrpc":"2.0","id":1,"method":"ping"}\n{"jsonrpc":"2.0","method":"a"}\n{"jsonrpc":"2.0","method":"b"}\n',
      ),
      Buffer.from('{"jsonrpc":"2.0",'),
      Buffer.from('"id":2,"method"'),
      Buffer.from(':"tools/list"}\r\n'),
      Buffer.from('this is not json\n'),
      Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x0a]),
      Buffer.from('\n'),
      Buffer.from('[{"jsonrpc":"2.0","id":3,"method":"ping"}]\n'),
      Buffer.from('{"tail without newline'),
    ];
    const sent = Buffer.concat(chunks);
    const r = await record(out, 'echo', chunks);
    expect(r.code).toBe(0);
    expect(r.stdout.equals(sent)).toBe(true);
    const c2s = frames(out, 'c2s');
    expect(c2s.map((f) => Buffer.from(payloadBytes(f)).toString('latin1'))).toEqual([
      '{"jsonrpc":"2.0","id":1,"method":"ping"}',
      '{"jsonrpc":"2.0","method":"a"}',
      '{"jsonrpc":"2.0","method":"b"}',
      '{"jsonrpc":"2.0","id":2,"method":"tools/list"}\r',
      'this is not json',
      Buffer.from([0x7b, 0xff, 0xfe, 0x22]).toString('latin1'),
      '',
      '[{"jsonrpc":"2.0","id":3,"method":"ping"}]',
      '{"tail without newline',
    ]);
    expect(c2s[5]!.b64).toBeDefined();
    expect(c2s[8]!.eol).toBe(false);
    // The echo came back framed the same way.
    expect(frames(out, 's2c').length).toBe(c2s.length);

    const shown = JSON.parse((await runCli(['show', out, '--json'])).stdout) as {
      messages: { kind: string; reason?: string; index?: number }[];
    };
    const c2sKinds = shown.messages.slice(0, 9).map((m) => m.kind);
    expect(c2sKinds).toEqual([
      'request',
      'notification',
      'notification',
      'request',
      'invalid',
      'invalid',
      'invalid',
      'request',
      'invalid',
    ]);
    expect(shown.messages[4]!.reason).toContain('not valid JSON');
    expect(shown.messages[5]!.reason).toContain('not valid UTF-8');
    expect((await runCli(['verify', out])).code).toBe(0);
  });

  it('carries a 50 MB frame whole', async () => {
    const out = join(dir, 'big.mcpscope.jsonl');
    const payload = `{"jsonrpc":"2.0","id":1,"result":{"blob":"${'x'.repeat(50 * 1024 * 1024)}"}}\n`;
    const r = await record(out, 'echo', [Buffer.from(payload)]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(payload.length);
    expect(r.stdout.toString('utf8') === payload).toBe(true);
    const [f] = frames(out, 's2c');
    expect(f!.text!.length).toBe(payload.length - 1);
    expect(f!.truncated).toBeUndefined();
  }, 60_000);

  it('records a server that dies mid-frame and exits with its code', async () => {
    const out = join(dir, 'die.mcpscope.jsonl');
    const r = await record(out, 'die-mid-frame', []);
    expect(r.code).toBe(3);
    expect(r.stdout.toString()).toBe('{"jsonrpc":"2.0","id":1,"result":{"conte');
    expect(r.stderr).toContain('fatal: boom');
    const read = readCapture(readFileSync(out, 'utf8'));
    const partial = read.records.find((x) => x.type === 'frame') as FrameRecord;
    expect(partial).toMatchObject({
      dir: 's2c',
      eol: false,
      text: '{"jsonrpc":"2.0","id":1,"result":{"conte',
    });
    expect(read.records.find((x) => x.type === 'stderr' && x.text === 'fatal: boom')).toBeDefined();
    expect(read.records.find((x) => x.type === 'exit')).toMatchObject({ code: 3, signal: null });
    const shown = await runCli(['show', out]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('exit     code 3');
    expect((await runCli(['verify', out])).code).toBe(0);
  });

  it('keeps traffic flowing when the capture cannot be written, and says so once', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const out = join(blocker, 'sub', 'x.mcpscope.jsonl');
    const msg = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}\n');
    const r = await record(out, 'echo', [msg, msg]);
    expect(r.code).toBe(0);
    expect(r.stdout.equals(Buffer.concat([msg, msg]))).toBe(true);
    expect(r.stderr.match(/cannot write the capture/g)).toHaveLength(1);
    expect(r.stderr).toContain('Traffic keeps flowing');
  });

  it('explains a missing command, exits 127, and leaves a readable capture', async () => {
    const out = join(dir, 'missing.mcpscope.jsonl');
    const r = await runCli(['record', '--out', out, '--', 'definitely-not-a-command-xyz']);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('command not found');
    const read = readCapture(readFileSync(out, 'utf8'));
    expect(read.records[0]).toMatchObject({ type: 'error', where: 'spawn', code: 'ENOENT' });
    expect(read.closed).toBe(true);
    expect((await runCli(['verify', out])).code).toBe(0);
  });

  it('forwards SIGTERM to the server and exits with its code', async () => {
    const out = join(dir, 'term.mcpscope.jsonl');
    const r = await record(out, 'trap-term', [], { signal: 'SIGTERM' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('got SIGTERM');
    const read = readCapture(readFileSync(out, 'utf8'));
    expect(read.records.some((x) => x.type === 'note' && x.text.includes('SIGTERM'))).toBe(true);
  });

  it('exits 128+N when the server is killed by signal N', async () => {
    const out = join(dir, 'killed.mcpscope.jsonl');
    const r = await record(out, 'hang', [], { signal: 'SIGTERM' });
    expect(r.code).toBe(143);
    const read = readCapture(readFileSync(out, 'utf8'));
    expect(read.records.find((x) => x.type === 'exit')).toMatchObject({
      code: null,
      signal: 'SIGTERM',
    });
  });

  it('rejects a record call without a command as a usage error', async () => {
    const r = await runCli(['record', '--out', join(dir, 'x.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: mcpscope record');
  });
});
