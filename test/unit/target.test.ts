// The one target model and parser (shared/target.ts) on its three inputs: CLI flags, a host
// config's mcpServers entry and the connect form; and the host-api argument schemas built on it.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/cli/args.js';
import { targetFromArgs } from '../../electron/cli/commands/inspect.js';
import { entryFields, parseConfig } from '../../electron/engine/scan/config.js';
import { toProfile } from '../../renderer/src/containers/ConnectScreen.js';
import { FUZZ_TRANSPORTS } from '../../electron/engine/fuzz/index.js';
import { probeLoad } from '../../electron/engine/load/run.js';
import { checkCommandArgs } from '../../shared/host-api-schemas.js';
import { HostApiError } from '../../shared/host-api.js';
import {
  parsePairs,
  parseTarget,
  requireTransport,
  serverTargetSchema,
  TargetError,
  type ServerTarget,
} from '../../shared/target.js';

const FORM = {
  name: '',
  kind: 'stdio' as const,
  command: '',
  args: '',
  env: '',
  url: '',
  headers: '',
  bearer: '',
};

describe('parseTarget', () => {
  it('assembles stdio and HTTP targets and infers legacy SSE from an untyped /sse URL', () => {
    expect(parseTarget({ command: ' node ', args: ['s.js'], env: { A: '1' }, cwd: '/w' })).toEqual({
      transport: 'stdio',
      command: 'node',
      args: ['s.js'],
      env: { A: '1' },
      cwd: '/w',
    });
    expect(parseTarget({ url: 'http://h/sse' })).toEqual({ transport: 'sse', url: 'http://h/sse' });
    expect(parseTarget({ url: 'http://h/sse', transport: 'streamable-http' })).toEqual({
      transport: 'streamable-http',
      url: 'http://h/sse',
    });
    expect(parseTarget({ url: 'https://h/mcp', transport: 'http', headers: { A: 'b' } })).toEqual({
      transport: 'streamable-http',
      url: 'https://h/mcp',
      headers: { A: 'b' },
    });
  });

  it.each([
    [{}, /which server/],
    [{ command: 'x', url: 'http://h' }, /not both/],
    [{ url: 'http://h', env: {} }, /stdio servers/],
    [{ command: 'x', headers: {} }, /HTTP servers/],
    [{ command: 'x', transport: 'sse' }, /HTTP servers/],
    [{ transport: 'stdio' }, /enter the command/],
    [{ transport: 'sse' }, /enter the server URL/],
    [{ url: 'nope' }, /is not a URL/],
    [{ url: 'ftp://h/' }, /http:\/\/ or https:\/\//],
    [{ url: 'http://h/', transport: 'carrier-pigeon' }, /unknown transport "carrier-pigeon"/],
  ])('refuses %j with a reason', (fields, msg) => {
    expect(() => parseTarget(fields)).toThrow(TargetError);
    expect(() => parseTarget(fields)).toThrow(msg);
  });

  it('parses pairs and every result satisfies the schema', () => {
    expect(parsePairs(['A=1', '', ' B = x=y '], '=')).toEqual({ A: '1', B: 'x=y' });
    expect(() => parsePairs([':x'], ':')).toThrow(/": expected "Name: value"/);
    const t: ServerTarget = parseTarget({ url: 'http://127.0.0.1:1/mcp' });
    expect(serverTargetSchema.parse(t)).toEqual(t);
  });
});

describe('one parser, three inputs, one result', () => {
  it('CLI flags, a config entry and the form give the same stdio target', () => {
    const cli = targetFromArgs({ env: ['K=v'] }, ['node', 'srv.js'], 'u');
    const config = parseConfig(
      JSON.stringify({ mcpServers: { s: { command: 'node', args: ['srv.js'], env: { K: 'v' } } } }),
      'c.json',
    )[0]!.target;
    const form = toProfile({ ...FORM, command: 'node', args: 'srv.js', env: 'K=v' });
    expect(cli).toEqual({ transport: 'stdio', command: 'node', args: ['srv.js'], env: { K: 'v' } });
    expect(config).toEqual(cli);
    expect(form).toEqual(cli);
  });

  it('CLI flags, a config entry and the form give the same legacy SSE target', () => {
    const cli = targetFromArgs(
      { url: 'http://h/events', sse: true, header: ['X-A: 1'] },
      undefined,
      'u',
    );
    const config = parseConfig(
      JSON.stringify({
        mcpServers: { s: { type: 'sse', url: 'http://h/events', headers: { 'X-A': '1' } } },
      }),
      'c.json',
    )[0]!.target;
    const form = toProfile({ ...FORM, kind: 'sse', url: 'http://h/events', headers: 'X-A: 1' });
    expect(cli).toEqual({ transport: 'sse', url: 'http://h/events', headers: { 'X-A': '1' } });
    expect(config).toEqual(cli);
    expect(form).toEqual(cli);
  });

  it('each input reports the same mistake in its own terms', () => {
    expect(() => targetFromArgs({ url: 'file:///etc/passwd' }, undefined, 'u')).toThrow(UsageError);
    expect(() => targetFromArgs({ url: 'file:///etc/passwd' }, undefined, 'u')).toThrow(
      /http:\/\/ or https:\/\//,
    );
    expect(parseConfig('{"mcpServers":{"s":{"url":"file:///etc/passwd"}}}', 'c')[0]!.error).toMatch(
      /http:\/\/ or https:\/\//,
    );
    expect(() =>
      toProfile({ ...FORM, kind: 'streamable-http', url: 'file:///etc/passwd' }),
    ).toThrow(/http:\/\/ or https:\/\//);
  });

  it('a config entry with a command ignores its url (hosts run the command)', () => {
    expect(entryFields({ command: 'x', url: 'http://h' })).toEqual({
      transport: 'stdio',
      command: 'x',
      args: [],
    });
  });
});

describe('host-api argument schemas', () => {
  const bad = (name: Parameters<typeof checkCommandArgs>[0], args: unknown): string => {
    try {
      checkCommandArgs(name, args);
    } catch (e) {
      expect(e).toBeInstanceOf(HostApiError);
      expect((e as HostApiError).code).toBe('bad-request');
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('says which field is wrong and how', () => {
    expect(bad('getSession', undefined)).toBe('getSession: expects one argument object');
    expect(bad('readRecords', { sessionId: 5 })).toBe('readRecords: "sessionId" must be a string');
    expect(bad('readRecords', { sessionId: 'x', limit: 0 })).toBe(
      'readRecords: "limit" must be an integer from 1 to 50000',
    );
    expect(bad('connect', { transport: 'ftp' })).toBe(
      'connect: "transport" must be "stdio", "streamable-http" or "sse"',
    );
    expect(bad('connect', { transport: 'stdio', command: 'x', env: { A: 1 } })).toBe(
      'connect: "env" must be an object of strings',
    );
    expect(bad('connect', { transport: 'sse', url: 'javascript:alert(1)' })).toMatch(
      /^connect: "url" the URL must start with http/,
    );
    expect(bad('callTool', { connectionId: 'c', name: 't', arguments: [] })).toBe(
      'callTool: "arguments" must be a JSON object',
    );
    expect(bad('recorderInstructions', { transport: 'tcp' })).toBe(
      'recorderInstructions: "transport" must be "stdio" or "http"',
    );
  });

  it('passes good arguments through, without unknown keys, with defaults', () => {
    expect(checkCommandArgs('connect', { transport: 'stdio', command: 'node', extra: 1 })).toEqual({
      transport: 'stdio',
      command: 'node',
    });
    expect(
      checkCommandArgs('complete', {
        connectionId: 'c',
        ref: { type: 'ref/prompt', name: 'p' },
        argument: { name: 'a' },
      }),
    ).toEqual({
      connectionId: 'c',
      ref: { type: 'ref/prompt', name: 'p' },
      argument: { name: 'a', value: '' },
    });
    expect(checkCommandArgs('appInfo', { ignored: true })).toBeUndefined();
  });
});

describe('fuzz and load on the shared target model', () => {
  const sse: ServerTarget = { transport: 'sse', url: 'http://127.0.0.1:1/sse' };

  it('requireTransport passes a transport the engine speaks and names the ones it does not', () => {
    const stdio = parseTarget({ command: 'node', args: ['s.js'] });
    expect(() => requireTransport(stdio, ['stdio', 'streamable-http'], 'x')).not.toThrow();
    expect(() => requireTransport(sse, ['stdio', 'streamable-http'], 'the fuzzer')).toThrow(
      /the fuzzer works with stdio and Streamable HTTP servers, not sse/,
    );
  });

  it('a load run refuses a legacy HTTP+SSE target before connecting; the fuzzer speaks it', async () => {
    expect(() => requireTransport(sse, FUZZ_TRANSPORTS, 'the fuzzer')).not.toThrow();
    expect(() => requireTransport(sse, ['stdio', 'streamable-http'], 'x')).toThrow(TargetError);
    await expect(
      probeLoad({
        target: sse,
        mode: { kind: 'rate', rate: 1 },
        durationMs: 10,
        requests: 1,
        timeoutMs: 100,
      }),
    ).rejects.toThrow(/a load run works with stdio and Streamable HTTP servers, not sse/);
  });
});
