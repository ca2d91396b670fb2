// `mcpscope load` flags: defaults and ceilings (every run bounded), and a clear usage error for
// every bad combination.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/cli/args.js';
import { DEFAULTS, parseLoad, type LoadValues } from '../../electron/cli/commands/load-args.js';

const CMD = ['node', 'server.js'];
// `null`: no `-- CMD` at all (an HTTP target, or a missing target).
const parse = (v: LoadValues, cmd: string[] | null = CMD) =>
  parseLoad(v, cmd ?? undefined, 'usage');

describe('parseLoad', () => {
  it('has bounded defaults', () => {
    const { options, failOn, remote } = parse({});
    expect(options.mode).toEqual({ kind: 'rate', rate: DEFAULTS.rate });
    expect(options.durationMs).toBe(10_000);
    expect(options.requests).toBe(10_000_000);
    expect(options.timeoutMs).toBe(10_000);
    expect(options.includeDestructive).toBe(false);
    expect(options.target).toEqual({ transport: 'stdio', command: 'node', args: ['server.js'] });
    expect(failOn).toBe('high');
    expect(remote).toBe(false);
    expect(parse({ ramp: true }).options.durationMs).toBe(60_000);
    expect(parse({ ramp: true }).options.ramp).toEqual({
      stepMs: 2000,
      factor: 1.5,
      p99Ms: 100,
      errorRate: 0.01,
    });
  });

  it('reads the model, bounds, tool and arguments', () => {
    const { options } = parse({
      concurrency: '32',
      requests: '500',
      duration: '2.5',
      tool: 'echo',
      args: '{"text":"hi"}',
      timeout: '750',
    });
    expect(options.mode).toEqual({ kind: 'concurrency', concurrency: 32 });
    expect(options.requests).toBe(500);
    expect(options.durationMs).toBe(2500);
    expect(options.tool).toBe('echo');
    expect(options.args).toEqual({ text: 'hi' });
    expect(options.timeoutMs).toBe(750);
  });

  it('knows remote targets', () => {
    expect(parse({ url: 'http://127.0.0.1:3000/mcp' }, null).remote).toBe(false);
    expect(parse({ url: 'http://localhost:3000/mcp' }, null).remote).toBe(false);
    expect(parse({ url: 'https://mcp.example.com/mcp' }, null).remote).toBe(true);
    expect(parse({ url: 'http://10.0.0.5/mcp' }, null).remote).toBe(true);
  });

  it.each<[LoadValues, RegExp, string[] | null]>([
    [{ rate: '10', concurrency: '2' }, /--rate N .* or --concurrency N/, CMD],
    [{ ramp: true, concurrency: '2' }, /--ramp steps up the arrival rate/, CMD],
    [{ rate: '0' }, /--rate "0": expected a number from 0.1 to 1000000/, CMD],
    [{ rate: 'fast' }, /--rate "fast"/, CMD],
    [{ duration: '7200' }, /--duration "7200": expected a number from 0.1 to 3600/, CMD],
    [{ requests: '1.5' }, /--requests "1.5": expected a whole number/, CMD],
    [{ concurrency: '20000' }, /--concurrency "20000"/, CMD],
    [{ args: '{}' }, /--args goes with --tool/, CMD],
    [{ tool: 't', args: '[1]' }, /--args must be a JSON object/, CMD],
    [{ tool: 't', args: '{nope' }, /--args is not valid JSON/, CMD],
    [{ tool: 't', method: 'ping' }, /--tool calls tools\/call/, CMD],
    [{ 'ramp-p99': '5' }, /go with --ramp/, CMD],
    [{ json: true, sarif: true }, /--json or --sarif, not both/, CMD],
    [{ 'fail-on': 'severe' }, /--fail-on "severe"/, CMD],
    [{ url: 'ftp://x/mcp' }, /must start with http:\/\/ or https:\/\//, null],
    [{}, /which server\?/, null],
  ])('rejects %j', (v, msg, cmd) => {
    expect(() => parse(v, cmd)).toThrow(UsageError);
    expect(() => parse(v, cmd)).toThrow(msg);
  });
});
