// Flags of `mcpscope load` → the engine's LoadOptions. Every bound has a default and a ceiling,
// so a run always ends; bad values get a usage error naming the flag and the accepted range.

import { isSeverity, SEVERITIES, type Severity } from '../../../shared/detect/types.js';
import { isRemoteTarget, type LoadOptions, type LoadTarget } from '../../engine/load/run.js';
import { UsageError } from '../args.js';
import { targetFromArgs, type TargetValues } from './inspect.js';

export const LOAD_OPTIONS = {
  url: { type: 'string' },
  header: { type: 'string', multiple: true },
  env: { type: 'string', multiple: true },
  cwd: { type: 'string' },
  timeout: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  sarif: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  rate: { type: 'string' },
  concurrency: { type: 'string' },
  duration: { type: 'string' },
  requests: { type: 'string' },
  method: { type: 'string' },
  tool: { type: 'string' },
  args: { type: 'string' },
  ramp: { type: 'boolean' },
  'ramp-p99': { type: 'string' },
  'ramp-errors': { type: 'string' },
  'ramp-step': { type: 'string' },
  'include-destructive': { type: 'boolean' },
  'i-own-this-server': { type: 'boolean' },
  'no-record': { type: 'boolean' },
  'fail-on': { type: 'string' },
} as const;

export interface LoadValues extends Omit<TargetValues, 'sse' | 'protocol-version'> {
  sarif?: boolean;
  rate?: string;
  concurrency?: string;
  duration?: string;
  requests?: string;
  method?: string;
  tool?: string;
  args?: string;
  ramp?: boolean;
  'ramp-p99'?: string;
  'ramp-errors'?: string;
  'ramp-step'?: string;
  'include-destructive'?: boolean;
  'i-own-this-server'?: boolean;
  'no-record'?: boolean;
  'fail-on'?: string;
}

export const LIMITS = {
  rate: 1_000_000,
  concurrency: 10_000,
  durationS: 3600,
  requests: 100_000_000,
};
export const DEFAULTS = {
  rate: 100,
  durationS: 10,
  rampDurationS: 60,
  requests: 10_000_000,
  timeoutMs: 10_000,
  rampP99Ms: 100,
  rampErrors: 0.01,
  rampStepS: 2,
};

function num(
  flag: string,
  v: string | undefined,
  min: number,
  max: number,
  integer: boolean,
): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${flag} "${v}": expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}.`,
    );
  }
  return n;
}

export interface ParsedLoad {
  options: Omit<LoadOptions, 'onProgress' | 'signal'>;
  failOn: Severity;
  remote: boolean;
}

export function parseLoad(
  values: LoadValues,
  command: string[] | undefined,
  usage: string,
): ParsedLoad {
  if (values.json && values.sarif)
    throw new UsageError(`give --json or --sarif, not both.\n\n${usage}`);
  if (values.rate !== undefined && values.concurrency !== undefined)
    throw new UsageError(
      'give --rate N (open model: N requests a second) or --concurrency N (N in flight), not both.',
    );
  if (values.ramp && values.concurrency !== undefined)
    throw new UsageError(
      '--ramp steps up the arrival rate: use it with --rate (the starting rate), not --concurrency.',
    );
  if (values.tool !== undefined && values.method !== undefined && values.method !== 'tools/call')
    throw new UsageError(`--tool calls tools/call; it cannot go with --method ${values.method}.`);
  if (values.args !== undefined && values.tool === undefined)
    throw new UsageError('--args goes with --tool NAME.');
  const failOn = values['fail-on'] ?? 'high';
  if (!isSeverity(failOn))
    throw new UsageError(`--fail-on "${failOn}": expected one of ${SEVERITIES.join(', ')}.`);
  const target: LoadTarget = targetFromArgs({ ...values }, command, usage);
  if (target.transport !== 'stdio') {
    let u: URL;
    try {
      u = new URL(target.url);
    } catch {
      throw new UsageError(
        `--url "${target.url}" is not a valid URL. Give a full URL such as http://127.0.0.1:3001/mcp`,
      );
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new UsageError(`--url: unsupported scheme "${u.protocol}"; use http:// or https://.`);
  }
  let args: Record<string, unknown> | undefined;
  if (values.args !== undefined) {
    try {
      args = JSON.parse(values.args) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(
        `--args is not valid JSON (${(e as Error).message}). Give an object, e.g. --args '{"text":"hi"}'.`,
      );
    }
    if (args === null || typeof args !== 'object' || Array.isArray(args))
      throw new UsageError('--args must be a JSON object, e.g. --args \'{"text":"hi"}\'.');
  }
  const concurrency = num('concurrency', values.concurrency, 1, LIMITS.concurrency, true);
  const rate = num('rate', values.rate, 0.1, LIMITS.rate, false) ?? DEFAULTS.rate;
  const durationS =
    num('duration', values.duration, 0.1, LIMITS.durationS, false) ??
    (values.ramp ? DEFAULTS.rampDurationS : DEFAULTS.durationS);
  const requests = num('requests', values.requests, 1, LIMITS.requests, true) ?? DEFAULTS.requests;
  const timeoutMs = num('timeout', values.timeout, 1, 600_000, true) ?? DEFAULTS.timeoutMs;
  const options: ParsedLoad['options'] = {
    target,
    mode: concurrency !== undefined ? { kind: 'concurrency', concurrency } : { kind: 'rate', rate },
    durationMs: Math.round(durationS * 1000),
    requests,
    timeoutMs,
    includeDestructive: values['include-destructive'] === true,
  };
  if (values.method !== undefined) options.method = values.method;
  if (values.tool !== undefined) options.tool = values.tool;
  if (args) options.args = args;
  if (values.ramp) {
    options.ramp = {
      stepMs: Math.round(
        (num('ramp-step', values['ramp-step'], 0.5, 600, false) ?? DEFAULTS.rampStepS) * 1000,
      ),
      factor: 1.5,
      p99Ms: num('ramp-p99', values['ramp-p99'], 0.1, 600_000, false) ?? DEFAULTS.rampP99Ms,
      errorRate: num('ramp-errors', values['ramp-errors'], 0, 1, false) ?? DEFAULTS.rampErrors,
    };
  } else if (
    values['ramp-p99'] !== undefined ||
    values['ramp-errors'] !== undefined ||
    values['ramp-step'] !== undefined
  ) {
    throw new UsageError('--ramp-p99, --ramp-errors and --ramp-step go with --ramp.');
  }
  return { options, failOn, remote: isRemoteTarget(target) };
}
