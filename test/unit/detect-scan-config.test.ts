// Host config files for `mcpscope scan --config`: the shapes hosts use, and errors that say what
// to do. Also the pin store's file naming (rug-pull pins per server and per way of reaching it).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinServer } from '../../shared/detect/rugpull.js';
import { ConfigError, parseConfig, targetIdentity } from '../../electron/engine/scan/config.js';
import { pinPath, PinStore } from '../../electron/engine/scan/pins.js';
import { makeServer } from '../helpers/factories.js';

describe('host config', () => {
  it('reads stdio and HTTP entries, skips disabled ones, reports unusable ones', () => {
    const servers = parseConfig(
      JSON.stringify({
        mcpServers: {
          fs: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
            env: { A: '1' },
          },
          remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer x' } },
          legacy: { url: 'http://127.0.0.1:3001/sse' },
          typed: { type: 'sse', url: 'http://127.0.0.1:3001/events' },
          off: { command: 'x', disabled: true },
          broken: { args: ['nothing to run'] },
        },
      }),
      'mcp.json',
    );
    expect(servers.map((s) => [s.name, s.target.transport, s.error ?? ''])).toEqual([
      ['fs', 'stdio', ''],
      ['remote', 'streamable-http', ''],
      ['legacy', 'sse', ''],
      ['typed', 'sse', ''],
      ['broken', 'stdio', 'entry has neither "command" nor "url"'],
    ]);
    expect(servers[0]!.target).toEqual({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
      env: { A: '1' },
    });
    expect(servers[1]!.target).toMatchObject({
      transport: 'streamable-http',
      headers: { Authorization: 'Bearer x' },
    });
    expect(servers[2]!.target).toMatchObject({ transport: 'sse' });
    expect(servers[3]!.target).toMatchObject({ transport: 'sse' });
  });

  it('accepts VS Code\'s "servers" key', () => {
    expect(
      parseConfig('{"servers":{"a":{"command":"node","args":["s.js"]}}}', 'x').map((s) => s.name),
    ).toEqual(['a']);
  });

  it.each([
    ['not JSON', '{mcpServers:', /not valid JSON/],
    ['no servers object', '{"other":1}', /no "mcpServers" object/],
  ])('explains a config that is %s', (_n, text, msg) => {
    expect(() => parseConfig(text, 'c.json')).toThrow(ConfigError);
    expect(() => parseConfig(text, 'c.json')).toThrow(msg);
  });

  it('identifies targets without their secrets', () => {
    expect(targetIdentity({ transport: 'streamable-http', url: 'https://h/mcp?token=abc' })).toBe(
      'https://h/mcp',
    );
    expect(
      targetIdentity({ transport: 'stdio', command: 'node', args: ['a.js'], env: { KEY: 's' } }),
    ).toBe('["node","a.js"]');
  });
});

describe('pin store', () => {
  it('keeps one file per server and target, round-trips pins, explains corrupt files', () => {
    const env = { MCPSCOPE_HOME: mkdtempSync(join(tmpdir(), 'mcpscope-pins-')) };
    const store = new PinStore(env);
    expect(store.load('srv', 'id-1')).toBeUndefined();
    const pins = pinServer(
      makeServer('srv', [{ name: 't', description: 'T.' }]),
      '2026-01-01T00:00:00Z',
    );
    const path = store.save(pins, 'id-1');
    expect(path).toBe(pinPath('srv', 'id-1', env));
    expect(path.startsWith(join(env.MCPSCOPE_HOME, 'pins'))).toBe(true);
    expect(store.load('srv', 'id-1')).toEqual(pins);
    expect(store.load('srv', 'id-2')).toBeUndefined();
    // A hostile server name cannot leave the pins folder.
    expect(dirname(pinPath('../../etc/passwd', 'x', env))).toBe(join(env.MCPSCOPE_HOME, 'pins'));
    writeFileSync(path, '{not json');
    expect(() => store.load('srv', 'id-1')).toThrow(/corrupt.*delete the file/);
  });
});
