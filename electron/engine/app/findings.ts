// Findings of the app's sessions, from the engine: the capture file goes through the same
// pipeline as `mcpscope scan FILE` (scanRead: detectors + secretlint), read as a stream. Results are cached
// per file state (size + mtime), so a closed session is scanned once and a live one again only
// when it has grown; one scan per session runs at a time.

import { statSync } from 'node:fs';
import type { SessionFindings } from '../../../shared/host-api-findings.js';
import { loadCaptureFile } from '../capture/load.js';
import type { ReadOptions } from '../capture/lines.js';
import { scanRead, type CaptureScanOptions } from '../scan/scan.js';
import type { EventRecord, HeaderRecord } from '../../../shared/capture/types.js';
import { HostApiError } from '../../../shared/host-api.js';

interface Entry {
  key: string;
  result: Promise<SessionFindings>;
}

export class SessionFindingsCache {
  private readonly entries = new Map<string, Entry>();

  /** `opts` carries the engine's pin store, so sessions are compared with pins as `scan` does. */
  constructor(private readonly opts: CaptureScanOptions = {}) {}

  async get(
    sessionId: string,
    path: string | undefined,
    memory?: { header: HeaderRecord; records: readonly EventRecord[] },
    readOpts: ReadOptions = {},
  ): Promise<SessionFindings> {
    if (!path) {
      // A live session whose recorder did not say where it writes: scan the records held in memory.
      if (!memory)
        throw new HostApiError(
          'unavailable',
          'this session has no capture file and no records in memory; findings come once records arrive',
        );
      const key = `mem:${memory.records.length}`;
      const cached = this.entries.get(sessionId);
      if (cached && cached.key === key) return cached.result;
      const read = {
        header: memory.header,
        records: [...memory.records],
        problems: [],
        closed: false,
      };
      const result = scanRead(read, this.opts).then((scan) => ({
        sessionId,
        findings: scan.findings,
        records: scan.records,
      }));
      this.entries.set(sessionId, { key, result });
      result.catch(() => this.entries.delete(sessionId));
      return result;
    }
    let key: string;
    try {
      const st = statSync(path);
      key = `${st.size}:${st.mtimeMs}`;
    } catch (e) {
      throw new HostApiError(
        'unavailable',
        `cannot read this session's capture: ${(e as Error).message}`,
      );
    }
    const cached = this.entries.get(sessionId);
    if (cached && cached.key === key) return cached.result;
    const result = (async (): Promise<SessionFindings> => {
      // Streamed (and decrypted in memory for an encrypted capture): never one string of the file.
      const scan = await scanRead(await loadCaptureFile(path, readOpts), this.opts);
      return { sessionId, findings: scan.findings, records: scan.records };
    })();
    this.entries.set(sessionId, { key, result });
    result.catch(() => this.entries.delete(sessionId));
    return result;
  }

  drop(sessionId: string): void {
    this.entries.delete(sessionId);
  }
}
