// Finding the host config files that exist (user files, the current project, and every project
// Claude Code knows) and describing their servers.

import { existsSync } from 'node:fs';
import { redactArgs, redactUrl } from '../../../shared/capture/index.js';
import type {
  HostConfigInfo,
  HostServerInfo,
  HostsReport,
} from '../../../shared/host-api-hosts.js';
import type { JsonValue } from '../../../shared/host-api.js';
import {
  ConfigParseError,
  parseConfig,
  readConfigText,
  serversIn,
  valueAt,
  type ParsedConfig,
} from './config.js';
import { classify, isObject, isWrapped, wrappedTarget } from './entries.js';
import {
  HOST_IDS,
  HOST_LABELS,
  pathApi,
  projectFiles,
  userFiles,
  type HostEnv,
  type HostFile,
  type HostId,
} from './locations.js';

/** At most this many project folders from ~/.claude.json are looked at (it lists every folder ever opened). */
const MAX_PROJECTS = 200;

export interface LoadedFile {
  file: HostFile;
  /** Undefined when the file does not exist. */
  text?: string;
  cfg?: ParsedConfig;
  error?: string;
}

export function loadFile(file: HostFile): LoadedFile {
  let text: string | undefined;
  try {
    text = readConfigText(file.path);
  } catch (e) {
    return { file, error: `cannot read ${file.path}: ${(e as Error).message}` };
  }
  if (text === undefined) return { file };
  // An empty file (a host created it, no servers yet) has nothing to wrap; it is not an error.
  if (text.replace(/^\uFEFF/, '').trim() === '')
    return { file, text, cfg: parseConfig('{}', file.path) };
  try {
    return { file, text, cfg: parseConfig(text, file.path) };
  } catch (e) {
    if (e instanceof ConfigParseError) return { file, text, error: e.message };
    throw e;
  }
}

/** Every candidate file, user-level first, then project folders (cwd, then Claude Code's projects). */
export function candidateFiles(h: HostEnv): HostFile[] {
  const files = userFiles(h);
  const p = pathApi(h.platform);
  const dirs: string[] = [p.resolve(h.cwd)];
  const claude = loadFile(files.find((f) => f.host === 'claude-code' && f.scope === 'user')!);
  const projects = claude.cfg ? valueAt(claude.cfg, ['projects']) : undefined;
  if (isObject(projects)) {
    for (const dir of Object.keys(projects).slice(0, MAX_PROJECTS))
      if (p.isAbsolute(dir) && !dirs.includes(dir)) dirs.push(dir);
  }
  const seen = new Set(files.map((f) => f.path));
  for (const dir of dirs) {
    for (const f of projectFiles(h, dir)) {
      if (seen.has(f.path)) continue; // ~/.gemini/settings.json when cwd is home
      seen.add(f.path);
      files.push(f);
    }
  }
  return files;
}

export function describeServer(name: string, path: string[], value: JsonValue): HostServerInfo {
  const k = classify(value);
  if (k.kind === 'unknown')
    return { name, path, kind: 'unknown', wrapped: false, problem: k.reason };
  if (isWrapped(value) && isObject(value)) {
    const t = wrappedTarget(value);
    if (t.url !== undefined)
      return { name, path, kind: 'remote', wrapped: true, url: redactUrl(t.url) };
    return {
      name,
      path,
      kind: 'stdio',
      wrapped: true,
      ...(t.command ? { command: redactArgs(t.command) } : {}),
    };
  }
  if (k.kind === 'stdio')
    return {
      name,
      path,
      kind: 'stdio',
      wrapped: false,
      command: redactArgs([k.command, ...k.args]),
    };
  return {
    name,
    path,
    kind: 'remote',
    wrapped: false,
    url: redactUrl(k.url),
    transport: k.transport,
  };
}

export function describeFile(l: LoadedFile, managed: boolean): HostConfigInfo {
  const base = {
    host: l.file.host,
    hostLabel: HOST_LABELS[l.file.host],
    scope: l.file.scope,
    path: l.file.path,
    managed,
  };
  if (l.error !== undefined || !l.cfg)
    return { ...base, error: l.error ?? 'not parsed', servers: [] };
  return {
    ...base,
    servers: serversIn(l.file, l.cfg).map((s) => describeServer(s.name, s.path, s.value)),
  };
}

/** The files that exist, loaded, for the chosen hosts. */
export function loadHostFiles(h: HostEnv, hosts: readonly HostId[] = HOST_IDS): LoadedFile[] {
  return candidateFiles(h)
    .filter((f) => hosts.includes(f.host) && existsSync(f.path))
    .map(loadFile);
}

export function hostsReport(h: HostEnv, managed: (path: string) => boolean): HostsReport {
  const loaded = loadHostFiles(h);
  return {
    hosts: HOST_IDS.map((host) => {
      const files = loaded
        .filter((l) => l.file.host === host)
        .map((l) => describeFile(l, managed(l.file.path)));
      return { host, label: HOST_LABELS[host], found: files.length > 0, files };
    }),
  };
}
