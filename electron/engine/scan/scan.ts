// Scan runners: capture files (offline, the whole timeline) and live targets (connect, list,
// scan the metadata, compare with pins). Pure detection lives in shared/detect; this file adds
// what needs Node: files, processes, secretlint, the pin store.

import {
  CaptureFormatError,
  readCapture,
  type ReadCapture,
} from '../../../shared/capture/index.js';
import { detectAcrossServers, detectEndpoint, detectServers } from '../../../shared/detect/run.js';
import { pinServer, type ServerPins } from '../../../shared/detect/rugpull.js';
import { detectTimeline, type CaptureScan } from '../../../shared/detect/timeline.js';
import type { ServerMeta } from '../../../shared/detect/detector.js';
import type { Finding } from '../../../shared/detect/types.js';
import { CaptureFileError } from '../capture/load.js';
import { detectPass } from '../export/passes.js';
import { ConnectError, inspectTarget, type ServerTarget } from '../client/index.js';
import { targetIdentity, type ConfiguredServer } from './config.js';
import { captureIdentity, PinStore } from './pins.js';
import { mergeSecretFindings, secretlintFindings, type LintText } from './secretlint.js';
import { isAuthHeader } from '../../../shared/secrets.js';

export interface ScanServerSummary {
  name: string;
  status: 'ok' | 'error';
  error?: string;
  tools: number;
  prompts: number;
  resources: number;
  /** Capture file, command line or URL the server was scanned from. */
  source: string;
}

export interface ScanReport {
  servers: ScanServerSummary[];
  findings: Finding[];
  /** Characters of frame/stderr text scanned (captures). */
  scannedChars: number;
  durationMs: number;
  /** Line of each record in each capture file, for SARIF regions. */
  lines: Record<string, Record<number, number>>;
  /** Pin files written by this scan. */
  pinned: string[];
  /** What each scanned server offered (for cross-server checks over several captures). */
  metas: ServerMeta[];
}

export interface CaptureScanOptions {
  /** Also run secretlint's recommended preset (default true). */
  secretlint?: boolean;
  /** age identities for encrypted capture files (decrypted in memory). */
  identities?: readonly string[];
  /**
   * Rug-pull pins to compare the capture's listings with (default: the pin store of the data
   * directory, as for live scans; null: none). Captures are compared, never pinned.
   */
  pins?: PinStore | null;
}

/** Several captures: each scanned alone, then the cross-server rules over the servers they show. */
export async function scanCaptureFiles(
  paths: string[],
  opts: CaptureScanOptions = {},
): Promise<ScanReport> {
  const reports: ScanReport[] = [];
  for (const p of paths) reports.push(await scanCaptureFile(p, opts));
  const metas = reports.flatMap((r) => r.metas);
  return {
    servers: reports.flatMap((r) => r.servers),
    findings: [
      ...reports.flatMap((r) => r.findings),
      ...(metas.length > 1 ? detectAcrossServers(metas) : []),
    ],
    scannedChars: reports.reduce((n, r) => n + r.scannedChars, 0),
    durationMs: reports.reduce((n, r) => n + r.durationMs, 0),
    lines: Object.assign({}, ...reports.map((r) => r.lines)) as ScanReport['lines'],
    pinned: [],
    metas,
  };
}

export async function scanCaptureFile(
  path: string,
  opts: CaptureScanOptions = {},
): Promise<ScanReport> {
  const t0 = performance.now();
  // Streamed line by line (export's detect pass, without its chain check): any capture size, and
  // memory bounded by the session model and the findings, never by the records.
  const scan = await detectPass(
    { file: path, ...(opts.identities ? { identities: opts.identities } : {}) },
    undefined,
    {
      chain: false,
      ...(opts.pins !== undefined ? { pins: opts.pins } : {}),
      ...(opts.secretlint !== undefined ? { secretlint: opts.secretlint } : {}),
    },
  );
  const lineOf: Record<number, number> = Object.create(null) as Record<number, number>;
  for (const f of scan.findings) {
    f.target.capture = path;
    const seq = f.target.seq;
    const line = seq === undefined ? undefined : scan.lineOfSeq(seq);
    if (seq !== undefined && line !== undefined) lineOf[seq] = line;
  }
  const meta = scan.server;
  return {
    servers: [
      {
        name: meta.name,
        status: 'ok',
        tools: meta.tools.length,
        prompts: meta.prompts.length,
        resources: meta.resources.length + meta.resourceTemplates.length,
        source: path,
      },
    ],
    findings: scan.findings,
    scannedChars: scan.scannedChars,
    durationMs: performance.now() - t0,
    lines: { [path]: lineOf },
    pinned: [],
    metas: [meta],
  };
}

/**
 * The one detection pipeline over a capture's text: every registered detector (TimelineDetector:
 * items, frames, in-session rug pulls, protocol and transport checks) plus secretlint. `mcpscope
 * scan FILE`, the app's sessions (host API getFindings) and exports all call this.
 */
export async function scanCaptureText(
  text: string,
  opts: CaptureScanOptions = {},
  name = 'capture',
): Promise<CaptureScan & { records: number }> {
  let read;
  try {
    read = readCapture(text);
  } catch (e) {
    if (e instanceof CaptureFormatError) throw new CaptureFileError(`${name}: ${e.message}`);
    throw e;
  }
  return scanRead(read, opts);
}

/** The pipeline over records already read (a live session held in memory has no file yet). */
export async function scanRead(
  read: ReadCapture,
  opts: CaptureScanOptions = {},
): Promise<CaptureScan & { records: number }> {
  const store = opts.pins === undefined ? new PinStore() : opts.pins;
  const identity = read.header ? captureIdentity(read.header.source) : undefined;
  const source = read.header?.source.name;
  const scan = detectTimeline(
    read,
    store && identity !== undefined
      ? {
          // The server's own name (serverInfo), as `scan -- CMD` pins it; else the recorded label
          // (a config key or connection name). A corrupt pin file throws: the rug-pull detector
          // reports it as internal.detector-error, like a live scan does.
          pins: (server) =>
            store.load(server, identity) ??
            (source !== undefined && source !== server ? store.load(source, identity) : undefined),
        }
      : {},
  );
  let findings = scan.findings;
  if (opts.secretlint !== false) {
    const texts: LintText[] = [];
    for (const r of read.records) {
      if (r.type === 'frame' && r.text !== undefined)
        texts.push({ seq: r.seq, text: r.text, json: true, dir: r.dir });
      else if (r.type === 'stderr' && r.text !== undefined)
        texts.push({ seq: r.seq, text: r.text, json: false });
    }
    findings = [
      ...findings,
      ...mergeSecretFindings(findings, await secretlintFindings(texts, scan.server.name)),
    ];
  }
  return { ...scan, findings, records: read.records.length + 1 };
}

export interface LiveScanOptions {
  /** null: neither read nor write pins. */
  pins?: PinStore | null;
  /** Replace existing pins with what was seen now (after reviewing a change). */
  updatePins?: boolean;
  timeoutMs?: number;
}

function describeTarget(t: ServerTarget): string {
  return t.transport === 'stdio'
    ? [t.command, ...(t.args ?? [])].join(' ')
    : t.url.replace(/[?#].*$/, '');
}

export async function scanLiveTargets(
  servers: ConfiguredServer[],
  opts: LiveScanOptions = {},
): Promise<ScanReport> {
  const t0 = performance.now();
  const store = opts.pins === undefined ? new PinStore() : opts.pins;
  const summaries: ScanServerSummary[] = [];
  const metas: ServerMeta[] = [];
  const endpointFindings: Finding[] = [];
  const pins = new Map<string, ServerPins>();
  const pinErrors: Finding[] = [];
  // One at a time: config files list servers that may share resources (ports, lock files).
  for (const s of servers) {
    const summary: ScanServerSummary = {
      name: s.name,
      status: 'ok',
      tools: 0,
      prompts: 0,
      resources: 0,
      source: s.error ? '' : describeTarget(s.target),
    };
    summaries.push(summary);
    if (s.error) {
      Object.assign(summary, { status: 'error', error: s.error });
      continue;
    }
    try {
      const r = await inspectTarget(s.target, {
        name: s.name,
        timeoutMs: opts.timeoutMs ?? 30_000,
      });
      const own = r.serverInfo.name;
      if (s.nameFromServer && typeof own === 'string' && own.trim() !== '')
        summary.name = s.name = own.slice(0, 100);
      const meta: ServerMeta = {
        name: s.name,
        tools: r.tools,
        prompts: r.prompts,
        resources: r.resources,
        resourceTemplates: r.resourceTemplates,
      };
      if (r.instructions !== null) meta.instructions = r.instructions;
      metas.push(meta);
      Object.assign(summary, {
        tools: r.tools.length,
        prompts: r.prompts.length,
        resources: r.resources.length + r.resourceTemplates.length,
      });
      if (store) {
        try {
          const old = store.load(s.name, targetIdentity(s.target));
          if (old) pins.set(s.name, old);
        } catch (e) {
          pinErrors.push({
            rule: 'internal.detector-error',
            severity: 'info',
            title: 'A detector failed',
            message: (e as Error).message,
            target: { server: s.name, kind: 'server' },
          });
        }
      }
    } catch (e) {
      const msg =
        e instanceof ConnectError
          ? `${e.message}${e.stderrTail.length ? `\n  server stderr: ${e.stderrTail.slice(-5).join('\n  ')}` : ''}`
          : (e as Error).message;
      Object.assign(summary, { status: 'error', error: msg });
      continue;
    }
    if (s.target.transport !== 'stdio') {
      const authenticated = Object.keys(s.target.headers ?? {}).some((h) => isAuthHeader(h));
      endpointFindings.push(
        ...detectEndpoint(
          { url: s.target.url, transport: s.target.transport, authenticated, answered: true },
          { server: s.name },
        ),
      );
    }
  }
  const findings = [...detectServers(metas, { pins }), ...endpointFindings, ...pinErrors];
  const pinned: string[] = [];
  if (store) {
    for (const meta of metas) {
      const s = servers.find((x) => x.name === meta.name)!;
      if (!pins.has(meta.name) || opts.updatePins)
        pinned.push(
          store.save(pinServer(meta, new Date().toISOString()), targetIdentity(s.target)),
        );
    }
  }
  return {
    servers: summaries,
    findings,
    scannedChars: 0,
    durationMs: performance.now() - t0,
    lines: {},
    pinned,
    metas,
  };
}
