// The built CLI's `--oauth` against the protected test server (test/helpers/oauth-server.ts), over
// Streamable HTTP and legacy SSE: it prints the authorization URL on stderr (--oauth-open false:
// no browser), the test follows it like a browser, and `inspect` lists the tools; a flag misuse is
// a usage error (exit 2) that says what to type.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';
import { CLI, scratchDir } from '../helpers/paths.js';
import { runCli } from '../helpers/cli.js';
import { skipWithout } from '../helpers/prereq.js';

const skip = skipWithout(existsSync(CLI) ? undefined : 'CLI not built (npm run build)');
const home = scratchDir('mcpscope-oauth-cli-');
let srv: OAuthTestServer;

beforeAll(async () => {
  srv = await startOAuthServer();
});
afterAll(async () => {
  await srv?.close();
});

/** Run `inspect … --oauth --oauth-open false`, following the printed URL once; bounded. */
function inspectWithOAuth(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'inspect', ...args, '--oauth', '--oauth-open', 'false'],
      {
        env: { ...process.env, MCPSCOPE_HOME: home, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let followed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`inspect --oauth did not finish in 60 s; stderr: ${stderr}`));
    }, 60_000);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /open this URL to authorize mcpscope:\n\s+(http\S+)/.exec(stderr);
      if (m && !followed) {
        followed = true;
        void fetch(m[1]!).catch(() => undefined);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(skip)('mcpscope inspect --oauth', () => {
  it('authorizes and lists the tools of a Streamable HTTP server', async () => {
    const out = join(home, 'cli-http.mcpscope.jsonl');
    const r = await inspectWithOAuth(['--url', srv.mcpUrl, '--out', out]);
    expect(r.stderr).toMatch(
      /open this URL to authorize mcpscope:\n\s+http:\/\/127\.0\.0\.1:\d+\/authorize\?/,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('whoami');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('oauth: token exchange');
    for (const t of srv.issued.access) expect(text).not.toContain(t);
  }, 90_000);

  it('authorizes a legacy SSE server (--sse)', async () => {
    const r = await inspectWithOAuth([
      '--url',
      srv.sseUrl,
      '--sse',
      '--out',
      join(home, 'cli-sse.mcpscope.jsonl'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('whoami');
  }, 90_000);

  it('refuses --oauth without a URL and --oauth-open without --oauth, saying what to type', async () => {
    const a = await runCli(['inspect', '--oauth', '--', process.execPath, '-e', '0'], {
      env: { MCPSCOPE_HOME: home },
    });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--oauth works with an HTTP server: give --url URL');
    const b = await runCli(['inspect', '--url', srv.mcpUrl, '--oauth-open', 'false'], {
      env: { MCPSCOPE_HOME: home },
    });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--oauth-open goes with --oauth.');
  }, 60_000);
});
