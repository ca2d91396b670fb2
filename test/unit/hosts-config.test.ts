// Host config locations per OS, entry shapes (wrap/unwrap forms), edits that keep formatting, and the diff.
import { describe, expect, it } from 'vitest';
import {
  editEntry,
  parseConfig,
  ConfigParseError,
  serversIn,
} from '../../electron/engine/hosts/config.js';
import { unifiedDiff } from '../../electron/engine/hosts/diff.js';
import {
  classify,
  isWrapped,
  unwrapStdioForm,
  wrapEntry,
  type Launcher,
} from '../../electron/engine/hosts/entries.js';
import {
  parseHostName,
  projectFiles,
  userFiles,
  type HostEnv,
} from '../../electron/engine/hosts/locations.js';

const L: Launcher = { command: '/opt/node/bin/node', args: ['/opt/mcpscope/bin/mcpscope.js'] };
const files = (h: HostEnv): Record<string, string> =>
  Object.fromEntries(
    userFiles(h).map((f) => [
      `${f.host}:${f.scope}:${f.path.includes('Insiders') ? 'i' : ''}`,
      f.path,
    ]),
  );

describe('host config locations', () => {
  it('macOS', () => {
    const f = files({ home: '/Users/ana', platform: 'darwin', env: {}, cwd: '/Users/ana/src' });
    expect(f['claude-desktop:user:']).toBe(
      '/Users/ana/Library/Application Support/Claude/claude_desktop_config.json',
    );
    expect(f['vscode:user:']).toBe('/Users/ana/Library/Application Support/Code/User/mcp.json');
    expect(f['vscode:settings:i']).toBe(
      '/Users/ana/Library/Application Support/Code - Insiders/User/settings.json',
    );
    expect(f['claude-code:user:']).toBe('/Users/ana/.claude.json');
    expect(f['windsurf:user:']).toBe('/Users/ana/.codeium/windsurf/mcp_config.json');
  });
  it('Windows (APPDATA, backslashes)', () => {
    const h: HostEnv = {
      home: 'C:\\Users\\ana',
      platform: 'win32',
      env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' },
      cwd: 'D:\\src\\app',
    };
    const f = files(h);
    expect(f['claude-desktop:user:']).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    );
    expect(f['vscode:user:']).toBe('C:\\Users\\ana\\AppData\\Roaming\\Code\\User\\mcp.json');
    expect(f['cursor:user:']).toBe('C:\\Users\\ana\\.cursor\\mcp.json');
    expect(f['gemini:user:']).toBe('C:\\Users\\ana\\.gemini\\settings.json');
    expect(projectFiles(h, 'D:\\src\\app').map((x) => x.path)).toEqual([
      'D:\\src\\app\\.mcp.json',
      'D:\\src\\app\\.cursor\\mcp.json',
      'D:\\src\\app\\.vscode\\mcp.json',
      'D:\\src\\app\\.gemini\\settings.json',
    ]);
  });
  it('Linux honours XDG_CONFIG_HOME', () => {
    const f = files({
      home: '/home/ana',
      platform: 'linux',
      env: { XDG_CONFIG_HOME: '/cfg' },
      cwd: '/',
    });
    expect(f['claude-desktop:user:']).toBe('/cfg/Claude/claude_desktop_config.json');
    expect(f['vscode:settings:']).toBe('/cfg/Code/User/settings.json');
  });
  it('host names and aliases', () => {
    expect(parseHostName('VS Code')).toBe('vscode');
    expect(parseHostName('gemini-cli')).toBe('gemini');
    expect(parseHostName('constructor')).toBeUndefined();
    expect(parseHostName('__proto__')).toBeUndefined();
  });
});

describe('entries', () => {
  it('classifies each host spelling of a remote server', () => {
    expect(classify({ serverUrl: 'https://x/mcp' })).toMatchObject({
      kind: 'remote',
      urlKey: 'serverUrl',
      transport: 'auto',
    });
    expect(classify({ httpUrl: 'https://x/mcp' })).toMatchObject({
      kind: 'remote',
      transport: 'streamable-http',
    });
    expect(classify({ type: 'sse', url: 'https://x/sse' })).toMatchObject({
      kind: 'remote',
      transport: 'sse',
    });
    expect(classify({ type: 'http', url: 'https://x/mcp', headers: { A: 'b' } })).toMatchObject({
      transport: 'streamable-http',
      headers: [['A', 'b']],
    });
    expect(classify({ command: 'x', args: [1] })).toMatchObject({ kind: 'unknown' });
    expect(classify('nope')).toMatchObject({ kind: 'unknown' });
  });
  it('wraps stdio keeping everything else, and unwraps from the form', () => {
    const e = { command: 'npx', args: ['-y', 'srv'], env: { K: 'v' }, cwd: '/w', disabled: false };
    const w = wrapEntry(e, L)!;
    expect(w).toEqual({
      command: L.command,
      args: [...L.args, 'record', '--', 'npx', '-y', 'srv'],
      env: { K: 'v' },
      cwd: '/w',
      disabled: false,
    });
    expect(Object.keys(w)).toEqual(Object.keys(e));
    expect(isWrapped(w)).toBe(true);
    expect(wrapEntry(w, L)).toBeUndefined();
    expect(unwrapStdioForm(w)).toEqual(e);
  });
  it('wraps a remote entry into the bridge; type becomes stdio, URL and headers move to args', () => {
    const w = wrapEntry(
      {
        type: 'http',
        url: 'https://x/mcp',
        headers: { Authorization: 'Bearer t' },
        description: 'd',
      },
      L,
    )!;
    expect(w).toEqual({
      type: 'stdio',
      description: 'd',
      command: L.command,
      args: [
        ...L.args,
        'record',
        '--bridge-to',
        'https://x/mcp',
        '--header',
        'Authorization: Bearer t',
        '--transport',
        'streamable-http',
      ],
    });
    expect(isWrapped(w)).toBe(true);
    expect(unwrapStdioForm(w)).toBeUndefined();
  });
  it('Electron launcher env is added on wrap and removed on unwrap', () => {
    const EL: Launcher = { ...L, env: { ELECTRON_RUN_AS_NODE: '1' } };
    const w = wrapEntry({ command: 'a', env: { X: '1' } }, EL)!;
    expect(w.env).toEqual({ X: '1', ELECTRON_RUN_AS_NODE: '1' });
    expect(unwrapStdioForm(w, ['ELECTRON_RUN_AS_NODE'])?.env).toEqual({ X: '1' });
  });
  it('does not take a server that merely has "record" in its args for a wrapped one', () => {
    expect(isWrapped({ command: 'recorder', args: ['record', '--', 'x'] })).toBe(false);
    expect(isWrapped({ command: 'mcpscope', args: ['record', '--', 'x'] })).toBe(true);
  });
});

describe('edits keep the file as it was around them', () => {
  it('CRLF, tabs and a BOM survive; only the entry changes', () => {
    const text =
      '\uFEFF{\r\n\t"mcpServers": {\r\n\t\t"a": { "command": "x" }, // keep\r\n\t\t"b": { "command": "y" }\r\n\t}\r\n}\r\n';
    const cfg = parseConfig(text, 'f.json');
    expect(cfg.bom).toBe(true);
    const [a] = serversIn(
      { host: 'cursor', scope: 'user', path: 'f.json', containers: [['mcpServers']], jsonc: false },
      cfg,
    );
    const out = editEntry(
      cfg,
      cfg.text,
      a!.path,
      { command: 'x' },
      wrapEntry({ command: 'x' }, L)!,
    );
    expect(out).toContain('// keep\r\n\t\t"b": { "command": "y" }\r\n\t}\r\n}\r\n');
    expect(out).not.toMatch(/[^\r]\n/);
    expect(out).toContain('\t\t\t\t"record",');
  });
  it('a broken file is a ConfigParseError naming the line', () => {
    expect(() => parseConfig('{\n  "a": [1,,]\n}', '/x/mcp.json')).toThrow(ConfigParseError);
    expect(() => parseConfig('{\n  "a": [1,,]\n}', '/x/mcp.json')).toThrow(
      /mcp\.json is not valid JSON at line 2/,
    );
    expect(() => parseConfig('[]', '/x/mcp.json')).toThrow(/does not hold a JSON object/);
    expect(() => parseConfig('', '/x/mcp.json')).toThrow(/empty/);
  });
});

describe('unifiedDiff', () => {
  it('shows only the changed lines with context', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const b = a.replace('line 10', 'line ten');
    const d = unifiedDiff(a, b, 'a', 'b');
    expect(d).toBe(
      '--- a\n+++ b\n@@ -8,7 +8,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n line 11\n line 12\n line 13\n',
    );
    expect(unifiedDiff(a, a, 'a', 'b')).toBe('');
  });
});

describe('hostile or odd names', () => {
  it('a server called __proto__ or constructor is listed and wrapped like any other', () => {
    const text = '{"mcpServers": {"__proto__": {"command": "a"}, "constructor": {"command": "b"}}}';
    const cfg = parseConfig(text, 'f.json');
    const s = serversIn(
      { host: 'cursor', scope: 'user', path: 'f.json', containers: [['mcpServers']], jsonc: false },
      cfg,
    );
    expect(s.map((x) => x.name)).toEqual(['__proto__', 'constructor']);
    expect(s[0]!.value).toEqual({ command: 'a' });
    const out = editEntry(
      cfg,
      cfg.text,
      s[0]!.path,
      { command: 'a' },
      wrapEntry({ command: 'a' }, L)!,
    );
    const servers = (JSON.parse(out) as { mcpServers: object }).mcpServers;
    const own = Object.getOwnPropertyDescriptor(servers, '__proto__')?.value as { args: string[] };
    expect(own.args).toEqual([...L.args, 'record', '--', 'a']);
    expect(Object.getOwnPropertyDescriptor(servers, 'constructor')?.value).toEqual({
      command: 'b',
    });
    expect(({} as Record<string, unknown>).command).toBeUndefined();
  });
});

describe('loadFile', () => {
  it('an empty config file has no servers and is not an error', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { scratchDir } = await import('../helpers/paths.js');
    const { loadFile, describeFile } = await import('../../electron/engine/hosts/discover.js');
    const path = join(scratchDir('mcpscope-hosts-empty-'), 'mcp.json');
    writeFileSync(path, '\n');
    const l = loadFile({
      host: 'cursor',
      scope: 'user',
      path,
      containers: [['mcpServers']],
      jsonc: false,
    });
    expect(l.error).toBeUndefined();
    expect(describeFile(l, false)).toMatchObject({ servers: [], path });
    expect(describeFile(l, false).error).toBeUndefined();
  });
});
