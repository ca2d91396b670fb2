import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../shared/capture/framing.js';
import { toPayload } from '../../electron/engine/record/payload.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('LineFramer', () => {
  it('emits several frames from one chunk', () => {
    const f = new LineFramer();
    const frames = f.push(enc('{"a":1}\n{"b":2}\n{"c":3}\n'));
    expect(frames.map((x) => dec(x.bytes))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(f.flush()).toBeUndefined();
  });

  it('joins a frame split over many chunks, byte by byte', () => {
    const f = new LineFramer();
    const text = '{"jsonrpc":"2.0","id":1,"method":"ping"}\n';
    const out = [...enc(text)].flatMap((b) => f.push(Uint8Array.of(b)));
    expect(out).toHaveLength(1);
    expect(dec(out[0]!.bytes)).toBe(text.slice(0, -1));
  });

  it('keeps CR of CRLF in the frame so the stream can be rebuilt exactly', () => {
    const f = new LineFramer();
    const out = f.push(enc('{"a":1}\r\n{"b":2}\r\n'));
    expect(out.map((x) => dec(x.bytes))).toEqual(['{"a":1}\r', '{"b":2}\r']);
  });

  it('never decodes: invalid UTF-8 survives, and becomes a base64 payload', () => {
    const f = new LineFramer();
    const bad = Uint8Array.of(0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d, 0x0a);
    const [frame] = f.push(bad);
    expect([...frame!.bytes]).toEqual([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]);
    const p = toPayload(frame!);
    expect(p.text).toBeUndefined();
    expect(Buffer.from(p.b64!, 'base64')).toEqual(Buffer.from(frame!.bytes));
    expect(toPayload(f.push(enc('héllo ✓\n'))[0]!)).toEqual({ text: 'héllo ✓' });
  });

  it('does not split a multi-byte character cut across chunks', () => {
    const f = new LineFramer();
    const bytes = enc('"✓"\n');
    const out = [...f.push(bytes.subarray(0, 2)), ...f.push(bytes.subarray(2))];
    expect(toPayload(out[0]!)).toEqual({ text: '"✓"' });
  });

  it('returns the unterminated tail on flush, marked eol:false', () => {
    const f = new LineFramer();
    expect(f.push(enc('{"a":1}\n{"half'))).toHaveLength(1);
    expect(f.pendingBytes).toBe(6);
    const tail = f.flush()!;
    expect(dec(tail.bytes)).toBe('{"half');
    expect(toPayload(tail, false)).toEqual({ text: '{"half', eol: false });
    expect(f.flush()).toBeUndefined();
  });

  it('handles an empty line as an empty frame', () => {
    expect(new LineFramer().push(enc('\n')).map((x) => x.bytes.length)).toEqual([0]);
  });

  it('passes a 50 MB frame whole', () => {
    const f = new LineFramer();
    const big = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    const chunk = 64 * 1024;
    const frames = [];
    for (let i = 0; i < big.length; i += chunk) frames.push(...f.push(big.subarray(i, i + chunk)));
    frames.push(...f.push(enc('\n')));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.bytes.length).toBe(big.length);
    expect(frames[0]!.truncated).toBeUndefined();
  });

  it('keeps only the head of a frame beyond the limit and reports its real size', () => {
    const f = new LineFramer(10);
    const [frame] = f.push(enc('0123456789abcdef\n'));
    expect(dec(frame!.bytes)).toBe('0123456789');
    expect(frame!.truncated).toBe(16);
    expect(toPayload(frame!).truncated).toBe(16);
    // The next frame is unaffected.
    expect(f.push(enc('ok\n'))[0]).toEqual({ bytes: enc('ok') });
  });

  it('copies bytes, so a reused chunk buffer cannot corrupt a pending frame', () => {
    const f = new LineFramer();
    const buf = enc('abc');
    f.push(buf);
    buf.fill(0x7a);
    expect(dec(f.push(enc('\n'))[0]!.bytes)).toBe('abc');
  });
});
