// Runtime checks of command arguments. The adapters deliver whatever a WebSocket or IPC peer sent;
// the static types say what it should be, these checks make sure it is before the engine acts.

import { HostApiError, type ConnectionProfile, type JsonObject, type RecorderRequest } from '../../../shared/host-api.js';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(command: string, what: string): never {
  throw new HostApiError('bad-request', `${command}: ${what}`);
}

export function obj(command: string, v: unknown): Obj {
  if (!isObject(v)) bad(command, 'expects one argument object');
  return v;
}

export function str(command: string, o: Obj, key: string, opts: { optional?: boolean; max?: number } = {}): string {
  const v = o[key];
  if (v === undefined && opts.optional) return undefined as unknown as string;
  if (typeof v !== 'string') bad(command, `"${key}" must be a string`);
  if (!opts.optional && v.length === 0) bad(command, `"${key}" must not be empty`);
  if (v.length > (opts.max ?? 10_000)) bad(command, `"${key}" is too long`);
  return v;
}

export function optStr(command: string, o: Obj, key: string, max?: number): string | undefined {
  if (o[key] === undefined) return undefined;
  return str(command, o, key, max === undefined ? {} : { max });
}

export function optInt(command: string, o: Obj, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(command, `"${key}" must be an integer from ${min} to ${max}`);
  return v;
}

export function optBool(command: string, o: Obj, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') bad(command, `"${key}" must be true or false`);
  return v;
}

export function jsonObj(command: string, o: Obj, key: string, optional = false): JsonObject | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (!isObject(v)) bad(command, `"${key}" must be a JSON object`);
  return v as JsonObject;
}

export function strArray(command: string, o: Obj, key: string): string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) bad(command, `"${key}" must be an array of strings`);
  return v as string[];
}

export function strMap(command: string, o: Obj, key: string): Record<string, string> | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) bad(command, `"${key}" must be an object of strings`);
  return v as Record<string, string>;
}

export function profile(v: unknown): ConnectionProfile {
  const c = 'connect';
  const o = obj(c, v);
  const common = {
    ...(optStr(c, o, 'name', 200) !== undefined ? { name: o.name as string } : {}),
    ...(optStr(c, o, 'protocolVersion', 50) !== undefined ? { protocolVersion: o.protocolVersion as string } : {}),
    ...(optInt(c, o, 'timeoutMs', 1, 86_400_000) !== undefined ? { timeoutMs: o.timeoutMs as number } : {}),
  } as Partial<ConnectionProfile>;
  if (o.capabilities !== undefined) {
    const caps = obj(`${c}: capabilities`, o.capabilities);
    common.capabilities = {};
    for (const k of ['sampling', 'elicitation', 'roots'] as const) {
      const b = optBool(c, caps, k);
      if (b !== undefined) common.capabilities[k] = b;
    }
  }
  if (o.roots !== undefined) {
    if (!Array.isArray(o.roots)) bad(c, '"roots" must be an array of {uri, name?}');
    common.roots = o.roots.map((r) => {
      const ro = obj(`${c}: roots[]`, r);
      const name = optStr(c, ro, 'name');
      return { uri: str(c, ro, 'uri'), ...(name !== undefined ? { name } : {}) };
    });
  }
  if (o.transport === 'stdio') {
    const args = strArray(c, o, 'args');
    const env = strMap(c, o, 'env');
    const cwd = optStr(c, o, 'cwd');
    return { ...common, transport: 'stdio', command: str(c, o, 'command'), ...(args ? { args } : {}), ...(env ? { env } : {}), ...(cwd ? { cwd } : {}) };
  }
  if (o.transport === 'streamable-http' || o.transport === 'sse') {
    const url = str(c, o, 'url');
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      bad(c, `"url" is not a URL: ${JSON.stringify(url)}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') bad(c, '"url" must be http: or https:');
    const headers = strMap(c, o, 'headers');
    const bearerToken = optStr(c, o, 'bearerToken');
    return { ...common, transport: o.transport, url, ...(headers ? { headers } : {}), ...(bearerToken ? { bearerToken } : {}) };
  }
  bad(c, '"transport" must be "stdio", "streamable-http" or "sse"');
}

export function recorderRequest(v: unknown): RecorderRequest {
  const c = 'recorderInstructions';
  const o = obj(c, v);
  const name = optStr(c, o, 'name', 200);
  const out = optStr(c, o, 'out');
  const extra = { ...(name ? { name } : {}), ...(out ? { out } : {}) };
  if (o.transport === 'stdio') {
    const args = strArray(c, o, 'args');
    const env = strMap(c, o, 'env');
    return { transport: 'stdio', command: str(c, o, 'command'), ...(args ? { args } : {}), ...(env ? { env } : {}), ...extra };
  }
  if (o.transport === 'http') {
    const listen = optStr(c, o, 'listen', 200);
    return { transport: 'http', target: str(c, o, 'target'), ...(listen ? { listen } : {}), ...extra };
  }
  bad(c, '"transport" must be "stdio" or "http"');
}
