// The UI's credentials: no credential that still grants access is in any process's argv (readable
// by every local user in /proc), in a cookie (browsers send those to every port on 127.0.0.1), or
// in the URL the browser keeps; and recorders never forward mcpscope's own (legacy) cookies.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHttpRecorder } from '../../electron/engine/record/http/proxy.js';
import { CLI, scratchDir } from '../helpers/paths.js';

const dir = scratchDir('mcpscope-sec-cred-');
const running: ChildProcess[] = [];
const linux = process.platform === 'linux';

afterAll(() => {
  for (const c of running) c.kill('SIGTERM');
});

/** Every process's command line we can read (what any local user can read too). */
function allCmdlines(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' '));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

async function redeem(
  host: string,
  ticket: string,
): Promise<{ status: number; session?: string; setCookie: string | null }> {
  const res = await fetch(`http://${host}/api/session`, {
    method: 'POST',
    headers: { authorization: `Ticket ${ticket}` },
  });
  const body = (await res.json()) as { session?: string };
  return {
    status: res.status,
    ...(body.session ? { session: body.session } : {}),
    setCookie: res.headers.get('set-cookie'),
  };
}

describe.runIf(linux)('mcpscope ui credentials', () => {
  it("the browser opener gets a private file, not a credential; the session is in nobody's argv", async () => {
    const argvFile = join(dir, 'opener-argv.json');
    const opener = join(dir, 'opener.sh');
    // A stand-in browser opener: records its argv, and the page it was given.
    writeFileSync(
      opener,
      `#!/bin/sh\nnode -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ argv: process.argv.slice(2), mode: require("fs").statSync(process.argv[2]).mode & 0o777, page: require("fs").readFileSync(process.argv[2], "utf8") }))' "${argvFile}" "$@"\n`,
      { mode: 0o700 },
    );
    const child = spawn(process.execPath, [CLI, 'ui'], {
      env: { ...process.env, MCPSCOPE_HOME: join(dir, 'home'), MCPSCOPE_BROWSER: opener },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    const url = await new Promise<URL>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error('no URL in 30 s')), 30_000);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) {
          clearTimeout(t);
          resolve(new URL(out.split('\n')[0]!));
        }
      });
    });
    for (let i = 0; i < 200 && !existsSync(argvFile); i++)
      await new Promise((r) => setTimeout(r, 50));
    const opened = JSON.parse(readFileSync(argvFile, 'utf8')) as {
      argv: string[];
      mode: number;
      page: string;
    };
    // The opener's argv: one file path, no ticket, no URL.
    expect(opened.argv).toHaveLength(1);
    expect(opened.argv[0]).not.toMatch(/ticket|token|127\.0\.0\.1/);
    expect(opened.mode).toBe(0o600);
    expect(statSync(join(opened.argv[0]!, '..')).mode & 0o777).toBe(0o700);
    // The page it was given works once: the "browser" trades its ticket…
    const browserTicket = /#ticket=([A-Za-z0-9_-]+)/.exec(opened.page)![1]!;
    const first = await redeem(url.host, browserTicket);
    expect(first.status).toBe(200);
    expect(first.setCookie).toBeNull();
    // …and nobody can after it.
    expect((await redeem(url.host, browserTicket)).status).toBe(403);
    // The printed URL's ticket is a different one, also single-use.
    const printed = url.hash.replace(/^#ticket=/, '');
    expect(printed).not.toBe(browserTicket);
    const mine = await redeem(url.host, printed);
    expect(mine.status).toBe(200);
    expect((await redeem(url.host, printed)).status).toBe(403);
    // No session credential, and no ticket that still works, in any process's argv.
    for (const line of allCmdlines()) {
      expect(line).not.toContain(first.session!);
      expect(line).not.toContain(mine.session!);
    }
    // The session opens the API (as a subprotocol); no cookie was ever set.
    const page = await fetch(`http://${url.host}/`);
    expect(page.headers.get('set-cookie')).toBeNull();
    const ws = new WebSocket(
      `ws://${url.host}/api`,
      ['mcpscope', `mcpscope.session.${mine.session}`],
      { origin: `http://${url.host}` },
    );
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.close();
    const noSession = new WebSocket(`ws://${url.host}/api`, { origin: `http://${url.host}` });
    const refused = await new Promise<number>((resolve) =>
      noSession.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0)),
    );
    expect(refused).toBe(401);
  }, 60_000);
});

describe('the HTTP recorder and mcpscope cookies', () => {
  it('forwards other cookies but never mcpscope_token_*', async () => {
    let seen: IncomingHttpHeaders | undefined;
    const target = createServer((req, res) => {
      seen = req.headers;
      req.resume();
      res.end('{}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as { port: number }).port;
    const rec = await startHttpRecorder({
      target: `http://127.0.0.1:${port}/mcp`,
      out: join(dir, 'cookies.mcpscope.jsonl'),
      log: () => undefined,
    });
    try {
      const res = await fetch(rec.url, {
        method: 'POST',
        headers: {
          cookie: 'a=1; mcpscope_token_4242=SECRET-UI-TOKEN; b=2',
          'content-type': 'application/json',
        },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(seen?.cookie).toBe('a=1; b=2');
      expect(seen?.host).toBe(`127.0.0.1:${port}`);
      const only = await fetch(rec.url, {
        method: 'POST',
        headers: { cookie: 'mcpscope_token_1=X' },
        body: '{}',
      });
      expect(only.status).toBe(200);
      expect(seen?.cookie).toBeUndefined();
    } finally {
      await rec.close('done');
      target.close();
    }
    expect(readFileSync(join(dir, 'cookies.mcpscope.jsonl'), 'utf8')).not.toContain(
      'SECRET-UI-TOKEN',
    );
  });
});
