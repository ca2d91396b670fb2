// Signed, complete captures: what `verify` says about forged, cut, re-closed and foreign captures.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chainBody,
  sha256Hex,
  signBody,
  signerFromSecret,
  newSecretKey,
  splitHash,
} from '../../shared/capture/index.js';
import { recordEchoPings, runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-sec-verify-');
const home = join(dir, 'home');
const env = { MCPSCOPE_HOME: home };
const cli = (args: string[]) => runCli(args, { env, timeoutMs: 60_000 });
const original = join(dir, 'original.mcpscope.jsonl');
let lines: string[];

/** Recompute the hash chain over edited lines, as a forger without the key would. */
function rechain(bodies: string[]): string {
  let prev = '';
  return bodies
    .map((b) => {
      const { line, hash } = chainBody(b, prev, sha256Hex);
      prev = hash;
      return `${line}\n`;
    })
    .join('');
}
const bodies = (): string[] => lines.map((l) => splitHash(l)!.body);
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(async () => {
  // 1,500 requests echoed: 3,000 frames, so the capture has signed checkpoints in the middle.
  const r = await recordEchoPings(original, 1500, env);
  expect(r.code).toBe(0);
  lines = readFileSync(original, 'utf8').trimEnd().split('\n');
}, 90_000);

describe('verify', () => {
  it('says intact, prints the final hash and signer, and honours --expect', async () => {
    expect(lines.filter((l) => l.includes('"type":"sig"')).length).toBeGreaterThanOrEqual(2);
    const r = await cli(['verify', original]);
    expect(r.code).toBe(0);
    const final = splitHash(lines.at(-1)!)!.hash;
    expect(r.stdout).toContain(`final hash  ${final}`);
    const exported = await cli(['key', 'export']);
    const id = /id:([0-9a-f]{16})/.exec(exported.stdout)![1]!;
    expect(r.stdout).toContain(`signer      ed25519 key ${id}`);
    expect((await cli(['verify', original, '--expect', final])).code).toBe(0);
    const wrong = await cli(['verify', original, '--expect', '0'.repeat(64)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('expected 0000');
    expect((await cli(['verify', original, '--expect', 'nothex'])).code).toBe(2);
  });

  it('fails an edited capture whose chain was recomputed without the key, naming the record', async () => {
    const b = bodies();
    const at = b.findIndex((x) => x.includes('\\"id\\":700,'));
    expect(at).toBeGreaterThan(0);
    b[at] = b[at]!.replace('"method\\":\\"ping', '"method\\":\\"pong');
    expect(b[at]).toContain('pong');
    const r = await cli(['verify', write('forged.jsonl', rechain(b))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ALTERED.*\n.*first bad record: record seq \d+/);
    expect(r.stdout).toContain('does not match');
  });

  it('fails a capture with its signatures stripped and the chain recomputed', async () => {
    const b = bodies()
      .map((x) => x.replace(/,"key":"[0-9a-f]{64}","sig":"[0-9a-f]{128}"\}$/, '}'))
      .filter((x) => !x.includes('"type":"sig"'));
    const renumbered = b.map((x, i) => x.replace(/^\{"seq":\d+/, `{"seq":${i}`));
    const r = await cli(['verify', write('stripped.jsonl', rechain(renumbered))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('record seq 0');
    expect(r.stdout).toContain('not signed');
  });

  it('fails a capture re-signed with another key unless that key is trusted', async () => {
    const other = signerFromSecret(newSecretKey());
    let prev = '';
    const text = bodies()
      .map((x) => {
        let body = x;
        const m = /,"key":"[0-9a-f]{64}","sig":"[0-9a-f]{128}"\}$/.exec(body);
        if (m) body = signBody(`${body.slice(0, m.index)}}`, prev, other);
        const { line, hash } = chainBody(body, prev, sha256Hex);
        prev = hash;
        return `${line}\n`;
      })
      .join('');
    const file = write('foreign.jsonl', text);
    const r = await cli(['verify', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('not trusted');
    const keyFile = write('other.pub', `mcpscope-signing-key ed25519 ${other.publicKey}\n`);
    expect((await cli(['verify', file, '--pubkey', keyFile])).code).toBe(0);
    // And the install's own capture against the foreign key only: not trusted.
    expect((await cli(['verify', original, '--pubkey', keyFile])).code).toBe(1);
    expect((await cli(['verify', original, '--pubkey', join(dir, 'nope.pub')])).code).toBe(2);
  });

  it('reports a cut tail as incomplete (exit 3), also when cut inside a line', async () => {
    const cut = await cli(['verify', write('cut.jsonl', `${lines.slice(0, 2000).join('\n')}\n`)]);
    expect(cut.code).toBe(3);
    expect(cut.stdout).toMatch(
      /INCOMPLETE.*\n.*no end record .*; signed up to seq \d+, \d+ later records are not covered/,
    );
    const partial = await cli([
      'verify',
      write('partial.jsonl', `${lines.slice(0, 2000).join('\n')}\n${lines[2000]!.slice(0, 30)}`),
    ]);
    expect(partial.code).toBe(3);
    expect(partial.stdout).toContain('cut off mid-write');
  });

  it('fails a capture cut and re-closed with a well-formed end record', async () => {
    const b = bodies().slice(0, 1800);
    b.push(`{"seq":1800,"ts":${Date.now()},"type":"end","reason":"server exited with code 0"}`);
    const r = await cli(['verify', write('reclosed.jsonl', rechain(b))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('record seq 1800');
    expect(r.stdout).toContain('re-closed');
  });

  it('key export writes a file --pubkey accepts, and the key is private', async () => {
    const e = await cli(['key', 'export']);
    expect(e.code).toBe(0);
    const file = write('mine.pub', e.stdout);
    expect((await cli(['verify', original, '--pubkey', file])).code).toBe(0);
    const { statSync } = await import('node:fs');
    expect(statSync(join(home, 'keys', 'signing-ed25519.json')).mode & 0o777).toBe(0o600);
    expect(e.stdout).not.toMatch(/secret/i);
  });
});
