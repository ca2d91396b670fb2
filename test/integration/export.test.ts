// `mcpscope export` on real recorded sessions: a stdio server that leaks keys while the client
// sends a token, and a Streamable HTTP session with server-everything behind the HTTP recorder.
// Every format, redacted by default, holds none of the secret values; --no-redact keeps them;
// the redacted capture verifies and shows; HAR and SARIF validate against their schemas; the
// Vitest export passes against the recorded server and fails once its behaviour drifts.

import { spawn } from 'node:child_process';
import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/net.js';
import { CLI, EVERYTHING, ROOT, scratchDir } from '../helpers/paths.js';
import { validateSarif } from './scan-sarif-schema.js';

const SERVER = join(ROOT, 'test/fixtures/servers/export-server.mjs');
// Built at run time: the repository holds no secret-shaped literal.
const CLIENT_TOKEN = ['ghp_', 'Zt4Kq8Wm2Xr6Vn1Bp5Ls', '9Hd3Fj7Gc0Ya2UeQ'].join('');
const AWS = ['AKIA', 'Q7W3', 'E5R1', 'T9Y2', 'U4I8'].join('');
const DB_PASS = ['Xk9', 'vR2m', 'Lp7q'].join('');
const BEARER = ['mcpscope', 'TestBearer', '7fQ2xL9pW4'].join('');
const SECRETS = [CLIENT_TOKEN, AWS, DB_PASS];

function spawnWait(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, NO_COLOR: '1', CI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out:\n${out}`));
    }, opts.timeoutMs ?? 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('export a stdio session', () => {
  const dir = scratchDir('mcpscope-export-');
  const capture = join(dir, 'leak.mcpscope.jsonl');
  const env = { MCPSCOPE_HOME: join(dir, 'home') };

  beforeAll(async () => {
    const client = new Client({ name: 'export-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'record', '--out', capture, '--', process.execPath, SERVER],
        env: { ...process.env, ...env } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
    await client.listTools();
    await client.callTool({ name: 'echo', arguments: { text: 'hello', token: CLIENT_TOKEN } });
    const made = await client.callTool({ name: 'new_item', arguments: { label: 'first' } });
    const id = (made.structuredContent as { id: string }).id;
    await client.callTool({ name: 'get_item', arguments: { id } });
    await client.callTool({ name: 'config', arguments: {} });
    await client.close();
    const raw = readFileSync(capture, 'utf8');
    for (const s of SECRETS) expect(raw).toContain(s);
  });

  it.each(['jsonl', 'html', 'md', 'sarif', 'vitest'])(
    '%s: redacted by default, secrets kept only with --no-redact',
    async (format) => {
      const out = join(dir, `out.${format}`);
      const r = await runCli(['export', capture, '--format', format, '--out', out], { env });
      expect(r.stderr).toMatch(/redacted: \d+ values?/);
      expect(r.code).toBe(0);
      const text = readFileSync(out, 'utf8');
      for (const s of SECRETS) expect(text).not.toContain(s);
      // The Markdown summary quotes no traffic, so it has no placeholder to show; it says redaction was on.
      expect(text).toMatch(format === 'md' ? /\*\*Redaction\*\*: on/ : /\[REDACTED:/);
      expect(statSync(out).mode & 0o777).toBe(0o600);

      const clear = join(dir, `clear.${format}`);
      const c = await runCli(
        ['export', capture, '--format', format, '--out', clear, '--no-redact'],
        { env },
      );
      expect(c.code).toBe(0);
      expect(c.stderr).toContain('NOT redacted');
      const clearText = readFileSync(clear, 'utf8');
      if (format === 'md') {
        // The Markdown summary quotes no traffic; it says that redaction was off.
        expect(clearText).toContain('**Redaction**: OFF');
      } else {
        // Captures, reports and fixtures quote what the server sent: its leaked key is there in clear.
        expect(clearText).toContain(DB_PASS);
      }
    },
  );

  it('the same secret gets the same placeholder everywhere, and the redacted capture verifies and shows', async () => {
    const out = join(dir, 'red.mcpscope.jsonl');
    expect(
      (await runCli(['export', capture, '--format', 'jsonl', '--out', out], { env })).code,
    ).toBe(0);
    const text = readFileSync(out, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const header = lines[0] as { redaction?: { from: string; fromId: string; values: number } };
    const original = readFileSync(capture, 'utf8').trim().split('\n');
    const origHeader = JSON.parse(original[0]!) as { id: string };
    const origLast = JSON.parse(original[original.length - 1]!) as { hash: string };
    expect(header.redaction).toMatchObject({ from: origLast.hash, fromId: origHeader.id });
    expect(header.redaction!.values).toBeGreaterThanOrEqual(3);
    // Every frame is still valid JSON.
    for (const l of lines)
      if (l.type === 'frame' && typeof l.text === 'string')
        expect(() => JSON.parse(l.text as string)).not.toThrow();
    // The client's token was sent once; its placeholder is one stable name.
    const placeholders = new Set(text.match(/\[REDACTED:github-token:\d+\]/g) ?? []);
    expect(placeholders.size).toBe(1);

    const v = await runCli(['verify', out], { env });
    expect(v.stdout).toContain('intact');
    expect(v.code).toBe(0);
    const s = await runCli(['show', '--json', out], { env });
    expect(s.code).toBe(0);
    const shown = JSON.parse(s.stdout) as { messages: { method?: string }[] };
    expect(shown.messages.filter((m) => m.method === 'tools/call').length).toBeGreaterThanOrEqual(
      8,
    );
  });

  it('SARIF validates against the 2.1.0 schema and locates findings by capture line', async () => {
    const out = join(dir, 'f.sarif');
    expect(
      (await runCli(['export', capture, '--format', 'sarif', '--out', out], { env })).code,
    ).toBe(0);
    const log = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: {
        results: {
          ruleId: string;
          message: { text: string };
          locations: {
            physicalLocation?: { region?: { startLine: number; snippet?: { text: string } } };
          }[];
        }[];
      }[];
    };
    expect(validateSarif(log)).toEqual([]);
    const aws = log.runs[0]!.results.find(
      (r) => r.ruleId === 'secret.provider-token' && r.message.text.includes('AWS'),
    );
    const region = aws!.locations[0]!.physicalLocation!.region!;
    const line = readFileSync(capture, 'utf8').split('\n')[region.startLine - 1]!;
    expect(line).toContain('aws_access_key_id');
    expect(region.snippet!.text).toContain('[REDACTED:');
  });

  it('HAR needs an HTTP session: a stdio capture gets a clear error and exit 1', async () => {
    const r = await runCli(['export', capture, '--format', 'har', '--out', join(dir, 'x.har')], {
      env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HAR needs an HTTP session');
  });

  it('usage errors exit 2 and say what to do', async () => {
    const r = await runCli(['export', capture, '--format', 'pdf'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected one of jsonl, vitest, har, sarif, html, md');
    const none = await runCli(['export', capture], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('which format?');
  });

  it('vitest: the exported test passes against the recorded server and fails once it drifts', async () => {
    const work = scratchDir('mcpscope-vitest-export-');
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
    writeFileSync(join(work, 'package.json'), '{"type":"module"}\n');
    const file = join(work, 'session.test.ts');
    expect(
      (await runCli(['export', capture, '--format', 'vitest', '--out', file], { env })).code,
    ).toBe(0);
    const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
    const pass = await spawnWait(process.execPath, [vitest, 'run', file, '--root', work], {
      cwd: work,
    });
    expect(pass.out).toMatch(/Tests\s+\S*\s*6 passed/);
    expect(pass.code).toBe(0);
    const drifted = await spawnWait(process.execPath, [vitest, 'run', file, '--root', work], {
      cwd: work,
      env: { MCPSCOPE_TARGET: JSON.stringify([process.execPath, SERVER, '--drift']) },
    });
    expect(drifted.code).toBe(1);
    // Only the drifted answer fails, with Vitest's diff naming the recorded and live text.
    expect(drifted.out).toMatch(/1 failed/);
    expect(drifted.out).toContain('"text": "hello"');
    expect(drifted.out).toContain('"text": "HELLO"');
  }, 120_000);
});

describe('export a server-everything session as a Vitest file', () => {
  it('passes with vitest run against the recorded server', async () => {
    const dir = scratchDir('mcpscope-export-everything-');
    const capture = join(dir, 'everything.mcpscope.jsonl');
    const env = { MCPSCOPE_HOME: join(dir, 'home') };
    const client = new Client({ name: 'export-everything', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'record', '--out', capture, '--', process.execPath, EVERYTHING, 'stdio'],
        env: { ...process.env, ...env } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
    await client.listTools();
    await client.callTool({ name: 'echo', arguments: { message: 'regression' } });
    await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
    const page1 = await client.listResources();
    if (page1.nextCursor) await client.listResources({ cursor: page1.nextCursor });
    const first = page1.resources[0];
    if (first) await client.readResource({ uri: first.uri });
    const prompts = await client.listPrompts();
    expect(prompts.prompts.length).toBeGreaterThan(0);
    await client.getPrompt({ name: 'simple-prompt' });
    await client.close();

    const work = scratchDir('mcpscope-vitest-everything-');
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
    writeFileSync(join(work, 'package.json'), '{"type":"module"}\n');
    const file = join(work, 'everything.test.ts');
    expect(
      (await runCli(['export', capture, '--format', 'vitest', '--out', file], { env })).code,
    ).toBe(0);
    const run = await spawnWait(
      process.execPath,
      [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', file, '--root', work],
      { cwd: work },
    );
    expect(run.out).toMatch(/Tests\s+\S*\s*\d+ passed/);
    expect(run.out).not.toMatch(/failed/);
    expect(run.code).toBe(0);
  }, 150_000);
});

describe('export an HTTP session', () => {
  const dir = scratchDir('mcpscope-export-http-');
  const capture = join(dir, 'http.mcpscope.jsonl');
  const env = { MCPSCOPE_HOME: join(dir, 'home') };
  const stops: (() => void)[] = [];

  beforeAll(async () => {
    const port = await freePort();
    const listen = await freePort();
    const server = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stops.push(() => server.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('server-everything did not start')), 30_000);
      const onData = (c: Buffer) => {
        if (/listening|running|port/i.test(c.toString())) {
          clearTimeout(t);
          resolve();
        }
      };
      server.stdout.on('data', onData);
      server.stderr.on('data', onData);
    });
    const rec = spawn(
      process.execPath,
      [
        CLI,
        'record',
        '--target',
        `http://127.0.0.1:${port}/mcp`,
        '--listen',
        `127.0.0.1:${listen}`,
        '--out',
        capture,
      ],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('recorder did not start')), 30_000);
      rec.stderr.on('data', (c: Buffer) => {
        if (c.toString().includes('listening')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const client = new Client({ name: 'export-http-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${listen}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${BEARER}` } },
      }),
    );
    await client.listTools();
    await client.callTool({ name: 'echo', arguments: { message: `my key is ${CLIENT_TOKEN}` } });
    await client.close();
    await new Promise<void>((resolve) => {
      rec.once('exit', () => resolve());
      rec.kill('SIGINT');
    });
  }, 90_000);

  afterAll(() => {
    for (const s of stops) s();
  });

  it('HAR 1.2: validates against the HAR schema, one entry per HTTP exchange, secrets masked', async () => {
    const out = join(dir, 'session.har');
    const r = await runCli(['export', capture, '--format', 'har', '--out', out], { env });
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain(CLIENT_TOKEN);
    expect(text).not.toContain(BEARER);
    const har = JSON.parse(text) as {
      log: {
        entries: {
          request: { method: string; url: string; postData?: { text: string } };
          response: { status: number; content: { text: string } };
        }[];
      };
    };
    const require = createRequire(import.meta.url);
    const schemas = require('har-schema') as Record<string, { $id: string }>;
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
    for (const s of Object.values(schemas)) ajv.addSchema(s);
    const validate = ajv.getSchema('har.json#')!;
    expect(validate(har) ? [] : validate.errors).toEqual([]);
    const posts = har.log.entries.filter((e) => e.request.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(4);
    const call = posts.find((e) => e.request.postData?.text.includes('tools/call'));
    expect(call!.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(call!.response.status).toBe(200);
    expect(call!.response.content.text).toContain('my key is [REDACTED:');
  });

  it('--no-redact keeps the token the client sent', async () => {
    const out = join(dir, 'clear.har');
    expect(
      (await runCli(['export', capture, '--format', 'har', '--out', out, '--no-redact'], { env }))
        .code,
    ).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(CLIENT_TOKEN);
  });
});
