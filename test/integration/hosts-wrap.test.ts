// wrap / unwrap on a fake home holding real-shaped configs of every host: every server is routed
// through mcpscope, wrapping twice changes nothing, unwrap restores the bytes, a server added while
// wrapped survives, and a broken file is reported and left alone.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeFakeHome, type FakeHome } from '../helpers/fake-home.js';
import { CLI, EVERYTHING, scratchDir } from '../helpers/paths.js';

let fake: FakeHome;
let data: string;
const cli = (args: string[]) =>
  runCli(args, { env: { ...fake.env, MCPSCOPE_HOME: data }, cwd: fake.project });
const snapshot = (): Record<string, string> =>
  Object.fromEntries(Object.entries(fake.files).map(([k, p]) => [k, readFileSync(p, 'utf8')]));

beforeEach(() => {
  const root = scratchDir('mcpscope-hosts-');
  data = join(root, 'data');
  fake = makeFakeHome(root, {
    stdio: [process.execPath, EVERYTHING, 'stdio'],
    url: 'http://127.0.0.1:9/mcp',
  });
});

describe('mcpscope hosts / wrap / unwrap on a fake home', () => {
  it('lists every host with its servers', async () => {
    const r = await cli(['hosts', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      hosts: {
        host: string;
        found: boolean;
        files: { path: string; servers: { name: string; kind: string; wrapped: boolean }[] }[];
      }[];
    };
    const byHost = new Map(report.hosts.map((h) => [h.host, h]));
    for (const h of ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf', 'gemini'])
      expect(byHost.get(h)?.found, h).toBe(true);
    const paths = report.hosts.flatMap((h) => h.files.map((f) => f.path)).sort();
    expect(paths).toEqual(Object.values(fake.files).sort());
    const names = report.hosts.flatMap((h) =>
      h.files.flatMap((f) => f.servers.map((s) => `${h.host}:${s.name}:${s.kind}`)),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'claude-code:proj-local:stdio',
        'claude-code:remote:remote',
        'vscode:legacy:stdio',
        'windsurf:remote:remote',
        'gemini:remote:remote',
      ]),
    );
    expect(
      report.hosts.flatMap((h) => h.files.flatMap((f) => f.servers)).every((s) => !s.wrapped),
    ).toBe(true);
  });

  it('wraps every server, keeps formatting and comments, and wrapping twice changes nothing', async () => {
    const before = snapshot();
    const dry = await cli(['wrap', '--all', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+++ ');
    expect(dry.stdout).toContain('would wrap');
    expect(snapshot()).toEqual(before);

    const w = await cli(['wrap', '--all']);
    expect(w.stderr).toBe('');
    expect(w.code).toBe(0);
    const after = snapshot();
    for (const [k, text] of Object.entries(after)) {
      expect(text, k).not.toEqual(before[k]);
      expect(text, k).toContain(CLI);
    }
    // Comments and unrelated settings are still there, byte for byte.
    expect(after.vscode).toContain('// Servers VS Code starts for every workspace.');
    expect(after.vscode).toContain(
      '"command": "${process.execPath}", // the test server'.replace(
        '${process.execPath}',
        process.execPath.replace(/\\/g, '\\\\'),
      ),
    );
    expect(after.vscode).toContain('/* a remote one */');
    expect(after.vscodeSettings).toContain('"editor.fontSize": 14, // keep me');
    expect(after.vscodeSettings).toContain('"files.autoSave": "afterDelay",\n}');
    expect(after.claudeCode).toContain('"numStartups":12');
    expect(after.gemini).toContain('"theme": "GitHub"');

    const listed = JSON.parse((await cli(['hosts', '--json'])).stdout) as {
      hosts: { files: { servers: { name: string; wrapped: boolean; kind: string }[] }[] }[];
    };
    const servers = listed.hosts.flatMap((h) => h.files.flatMap((f) => f.servers));
    expect(servers.length).toBe(16);
    expect(servers.filter((s) => !s.wrapped)).toEqual([]);

    const again = await cli(['wrap', '--all']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already wrapped');
    expect(snapshot()).toEqual(after);
  });

  it('unwrap restores every file byte for byte', async () => {
    const before = snapshot();
    expect((await cli(['wrap'])).code).toBe(0);
    const u = await cli(['unwrap', '--all']);
    expect(u.stderr).toBe('');
    expect(u.code).toBe(0);
    expect(u.stdout).toContain('restored byte for byte');
    expect(snapshot()).toEqual(before);
    // Nothing left to do.
    expect((await cli(['unwrap'])).stdout).toContain('nothing to unwrap');
  });

  it('wrapping one server, then the rest, still unwraps byte for byte', async () => {
    const before = snapshot();
    expect((await cli(['wrap', '--host', 'cursor', '--server', 'remote'])).code).toBe(0);
    const one = JSON.parse(readFileSync(fake.files.cursor!, 'utf8')) as {
      mcpServers: Record<string, { args?: string[] }>;
    };
    expect(one.mcpServers.remote?.args).toContain('--bridge-to');
    expect(one.mcpServers.everything?.args).not.toContain('record');
    expect((await cli(['wrap', '--host', 'cursor'])).code).toBe(0);
    const two = JSON.parse(readFileSync(fake.files.cursor!, 'utf8')) as {
      mcpServers: Record<string, { args?: string[] }>;
    };
    expect(two.mcpServers.everything?.args).toContain('record');
    const u = await cli(['unwrap', '--host', 'cursor']);
    expect(u.stdout).toContain('restored byte for byte');
    expect(snapshot()).toEqual(before);
  });

  it('keeps a server the user added while wrapped, and their other edits', async () => {
    const before = snapshot();
    expect((await cli(['wrap', '--host', 'cursor', '--host', 'vscode'])).code).toBe(0);
    const wrapped = readFileSync(fake.files.cursor!, 'utf8');
    const cfg = JSON.parse(wrapped) as { mcpServers: Record<string, Record<string, unknown>> };
    cfg.mcpServers.added = { command: 'added-server', args: ['--x'] };
    // The user also gave the wrapped entry an env var.
    cfg.mcpServers.everything!.env = { NEW: '1' };
    writeFileSync(fake.files.cursor!, `${JSON.stringify(cfg, null, 4)}\n`);
    const vs = readFileSync(fake.files.vscode!, 'utf8').replace(
      '"inputs": [',
      '// my note\n  "inputs": [',
    );
    writeFileSync(fake.files.vscode!, vs);

    const u = await cli(['unwrap', '--host', 'cursor', '--host', 'vscode']);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain('only the wrapped entries were restored');
    const cursor = JSON.parse(readFileSync(fake.files.cursor!, 'utf8')) as {
      mcpServers: Record<string, unknown>;
    };
    expect(cursor.mcpServers.added).toEqual({ command: 'added-server', args: ['--x'] });
    const original = JSON.parse(before.cursor!) as { mcpServers: Record<string, unknown> };
    expect(cursor.mcpServers.everything).toEqual({
      ...(original.mcpServers.everything as object),
      env: { NEW: '1' },
    });
    expect(u.stdout).toContain(
      '"everything" was edited while wrapped; unwrapped with your edits kept',
    );
    expect(cursor.mcpServers.remote).toEqual(original.mcpServers.remote);
    // The VS Code file: the original entries' exact text is back, with the user's comment.
    expect(readFileSync(fake.files.vscode!, 'utf8')).toBe(
      before.vscode!.replace('"inputs": [', '// my note\n  "inputs": ['),
    );
    // Hosts that were not named were never touched.
    expect(readFileSync(fake.files.gemini!, 'utf8')).toBe(before.gemini);
  });

  it('reports a broken config and leaves it untouched', async () => {
    const broken = '{\n  "mcpServers": {\n    "x": { "command": "a", }\n    "y": 1\n';
    writeFileSync(fake.files.windsurf!, broken);
    const w = await cli(['wrap', '--host', 'windsurf']);
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/mcp_config\.json is not valid JSON at line \d+, column \d+/);
    expect(readFileSync(fake.files.windsurf!, 'utf8')).toBe(broken);
    const h = await cli(['hosts']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/error {2}.*is not valid JSON/);

    // A file broken after wrapping: unwrap refuses to touch it and keeps the record for later.
    expect((await cli(['wrap', '--host', 'cursor'])).code).toBe(0);
    writeFileSync(fake.files.cursor!, broken);
    const u = await cli(['unwrap', '--host', 'cursor']);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('left it untouched');
    expect(readFileSync(fake.files.cursor!, 'utf8')).toBe(broken);
    // One backup per cursor file (user and project).
    expect(readdirSync(join(data, 'hosts', 'backups')).length).toBe(2);
  });

  it('rejects bad usage with exit 2', async () => {
    const r = await cli(['wrap', '--host', 'notepad']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown host "notepad"');
    expect((await cli(['wrap', '--all', '--host', 'cursor'])).code).toBe(2);
  });
});
