// The streamed export (`mcpscope export`, reading line by line in two passes):
// - its output is the same as the exporter that read the whole file gave: each format of a fixture
//   capture is compared with the output that exporter wrote (checked in under test/fixtures/export;
//   only the generation time and this install's key id differ), --no-redact jsonl byte for byte;
// - a capture over 600 MB (past V8's 512 MiB string limit) exports to jsonl and html with a
//   256 MB heap, so memory does not grow with the file; `show` and `scan` read it with the same
//   heap;
// - har, vitest and otlp of 120 MB captures export with a 96 MB heap (the exporter that kept every
//   record for these formats ran out of heap on the same files: "heap out of memory").
import { readFileSync, statSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ROOT, scratchDir } from '../helpers/paths.js';
// @ts-expect-error: a plain .mjs helper shared with the bench (typed loosely here)
import { writeBigCapture } from '../bench/gen-big-capture.mjs';

const FIXTURES = join(ROOT, 'test/fixtures/export');
const CAPTURE = join(FIXTURES, 'golden.mcpscope.jsonl');
/** As the expected outputs were made (run from the repository root): reports name the file so. */
const CAPTURE_REL = 'test/fixtures/export/golden.mcpscope.jsonl';

/** What may differ between two runs: the report's generation time and the verifying install's key. */
const normalize = (s: string) =>
  s
    .replace(/the trusted key is [0-9a-f]{16}/g, 'the trusted key is KEY')
    .replace(/Generated \d{4}-\d\d-\d\dT[\d:.]+Z/g, 'Generated TIME');

/** A redacted copy's records without what this install's key changes (signatures, hence hashes). */
const bodies = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => {
      const { key: _k, sig: _s, hash: _h, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return rest;
    });

describe('streamed export: output unchanged', () => {
  const dir = scratchDir('mcpscope-export-stream-');
  const env = { MCPSCOPE_HOME: join(dir, 'home') };

  // The expected outputs were made by an install with a key (they name it as "the trusted key").
  beforeAll(async () => {
    expect((await runCli(['key', 'export'], { env })).code).toBe(0);
  });

  it('--no-redact jsonl to stdout is the capture byte for byte', async () => {
    const r = await runCli(['export', CAPTURE, '--format', 'jsonl', '--no-redact', '--out', '-'], {
      env,
    });
    expect(r.code).toBe(0);
    expect(Buffer.from(r.stdout)).toEqual(readFileSync(CAPTURE));
  });

  it('--no-redact jsonl to a file is the capture byte for byte', async () => {
    const out = join(dir, 'raw.jsonl');
    const r = await runCli(['export', CAPTURE, '--format', 'jsonl', '--no-redact', '--out', out], {
      env,
    });
    expect(r.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(CAPTURE));
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  for (const [format, expected] of [
    ['sarif', 'golden.expected.sarif'],
    ['html', 'golden.expected.html'],
    ['md', 'golden.expected.md'],
    ['otlp', 'golden.expected.otlp'],
    ['vitest', 'golden.expected.vitest.txt'],
  ] as const) {
    it(`redacted ${format} is what the whole-file exporter wrote`, async () => {
      const out = join(dir, `out.${format}`);
      const r = await runCli(['export', CAPTURE_REL, '--format', format, '--out', out], {
        env,
        cwd: ROOT,
      });
      expect(r.code, r.stderr).toBe(0);
      const got = normalize(readFileSync(out, 'utf8'));
      expect(got).toBe(normalize(readFileSync(join(FIXTURES, expected), 'utf8')));
      expect(got).not.toContain('pw-secret-');
    });
  }

  it('redacted jsonl: the same records and placeholders, re-signed, and it verifies', async () => {
    const out = join(dir, 'out.jsonl');
    const r = await runCli(['export', CAPTURE, '--format', 'jsonl', '--out', out], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('redacted: 21 values (21 replacements)');
    const got = readFileSync(out, 'utf8');
    expect(bodies(got)).toEqual(
      bodies(readFileSync(join(FIXTURES, 'golden.expected.jsonl'), 'utf8')),
    );
    const v = await runCli(['verify', out], { env });
    expect(v.stdout).toContain('records intact');
    expect(v.stdout).toContain("trusted: this install's key");
  });
});

async function lastLine(path: string): Promise<{ lines: number; last: string }> {
  let lines = 0;
  let last = '';
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const l of rl) {
    lines++;
    last = l.length > 400 ? l.slice(0, 400) : l;
  }
  return { lines, last };
}

describe('streamed export: a capture over 600 MB with a 256 MB heap', () => {
  const dir = scratchDir('mcpscope-export-big-');
  const env = { MCPSCOPE_HOME: join(dir, 'home') };
  const capture = join(dir, 'big.mcpscope.jsonl');
  let records = 0;

  it('writes the capture', () => {
    const r = writeBigCapture(capture, 610) as { bytes: number; records: number };
    records = r.records;
    expect(statSync(capture).size).toBeGreaterThan(600 * 1e6);
  }, 120_000);

  it('jsonl: every record re-chained, the five e-mail addresses replaced', async () => {
    const out = join(dir, 'big.redacted.jsonl');
    const r = await runCli(['export', capture, '--format', 'jsonl', '--out', out], {
      env,
      heapMb: 256,
      timeoutMs: 600_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/redacted: 5 values/);
    expect(r.stderr).toContain('o***@acme-mail.net');
    expect(statSync(out).size).toBeGreaterThan(600 * 1e6);
    const { lines, last } = await lastLine(out);
    expect(lines).toBe(records);
    expect(last).toMatch(/^\{"seq":\d+,"ts":[\d.]+,"type":"end"/);
  }, 600_000);

  it('html: the report of the whole session', async () => {
    const out = join(dir, 'big.report.html');
    const r = await runCli(['export', capture, '--format', 'html', '--out', out], {
      env,
      heapMb: 256,
      timeoutMs: 600_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('big-server');
    expect(html).not.toMatch(/ops\d@acme-mail\.net/);
    expect(html).toContain('[REDACTED:email:1]');
    // Every frame counted (records less header and end); requests: initialize + the tools/calls.
    expect(html).toContain(`${records - 2} frames, ${(records - 2) / 2} requests`);
  }, 600_000);

  it('show: the summary and one line per record, to the end record', async () => {
    const r = await runCli(['show', capture], { env, heapMb: 256, timeoutMs: 600_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${records} records, ${records - 2} messages, closed cleanly`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/·\s+end\s+done$/);
  }, 600_000);

  it('scan: every record scanned, to the last response', async () => {
    const r = await runCli(['scan', capture, '--json', '--fail-on', 'critical'], {
      env,
      heapMb: 256,
      timeoutMs: 600_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      servers: { name: string; status: string }[];
      findings: { rule: string; target: { seq?: number } }[];
    };
    expect(report.servers).toMatchObject([{ name: 'big-server', status: 'ok' }]);
    // Each tools/call answer returns an e-mail address: one finding each, up to the last one
    // (records: header, the frames, end; the last frame is seq records - 2).
    const email = report.findings.filter((f) => f.rule === 'pii.email');
    expect(email.length).toBeGreaterThan(records / 2 - 10);
    expect(Math.max(...email.map((f) => f.target.seq ?? 0))).toBe(records - 2);
  }, 600_000);
});

/** Lines of a (large) file that match, read as a stream; and its last line. */
async function countLines(path: string, re: RegExp): Promise<{ matches: number; last: string }> {
  let matches = 0;
  let last = '';
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const l of rl) {
    if (re.test(l)) matches++;
    last = l.length > 400 ? l.slice(0, 400) : l;
  }
  return { matches, last };
}

describe('streamed export: har, vitest and otlp of 120 MB captures with a 96 MB heap', () => {
  const dir = scratchDir('mcpscope-export-big3-');
  const env = { MCPSCOPE_HOME: join(dir, 'home') };
  const stdio = join(dir, 'big.mcpscope.jsonl');
  const http = join(dir, 'big-http.mcpscope.jsonl');
  let stdioRecords = 0;
  let httpRecords = 0;
  const HEAP = 96;

  it('writes the captures (stdio, and Streamable HTTP for HAR)', () => {
    stdioRecords = (writeBigCapture(stdio, 120) as { records: number }).records;
    httpRecords = (
      writeBigCapture(http, 120, { transport: 'streamable-http' }) as { records: number }
    ).records;
    expect(statSync(stdio).size).toBeGreaterThan(120 * 1e6);
    expect(statSync(http).size).toBeGreaterThan(120 * 1e6);
  }, 120_000);

  it('har: one entry per POST, in order, e-mail addresses redacted', async () => {
    const out = join(dir, 'big.har');
    const r = await runCli(['export', http, '--format', 'har', '--out', out], {
      env,
      heapMb: HEAP,
      timeoutMs: 600_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/redacted: 5 values/);
    expect(statSync(out).size).toBeGreaterThan(100 * 1e6);
    // Each POST is four records (request head and body, response head and body).
    const { matches, last } = await countLines(out, /^ {8}"startedDateTime": /);
    expect(matches).toBe((httpRecords - 2) / 4);
    expect(last).toBe('}');
    expect((await countLines(out, /ops\d@acme-mail\.net/)).matches).toBe(0);
    expect((await countLines(out, /\[REDACTED:email:\d\]/)).matches).toBe(
      (httpRecords - 2) / 4 - 1,
    );
  }, 120_000);

  it('otlp: the session span first, then one span per request', async () => {
    const out = join(dir, 'big.otlp.json');
    const r = await runCli(['export', stdio, '--format', 'otlp', '--out', out], {
      env,
      heapMb: HEAP,
      timeoutMs: 600_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const req = JSON.parse(readFileSync(out, 'utf8')) as {
      resourceSpans: { scopeSpans: { spans: { name: string; parentSpanId?: string }[] }[] }[];
    };
    const spans = req.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans[0]!.name).toBe('mcp session big-server');
    expect(spans.slice(1).map((s) => s.name)).toEqual([
      'initialize',
      ...Array.from({ length: (stdioRecords - 4) / 2 }, () => 'tools/call read'),
    ]);
  }, 120_000);

  it('vitest: one it per answered request, the file complete', async () => {
    const out = join(dir, 'big.replay.test.ts');
    const r = await runCli(['export', stdio, '--format', 'vitest', '--out', out], {
      env,
      heapMb: HEAP,
      timeoutMs: 600_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const { matches, last } = await countLines(out, /^ {2}it\("seq \d+: tools\/call read", /);
    expect(matches).toBe((stdioRecords - 4) / 2);
    expect(last).toBe('});');
    expect((await countLines(out, /ops\d@acme-mail\.net/)).matches).toBe(0);
  }, 120_000);
});
