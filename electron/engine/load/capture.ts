// Records a load run as a capture: the handshake in full, then a sample of the load's exchanges
// (at most `perSecond` a second, so a 20,000/s run does not become a 40,000-records/s file), the
// first non-2xx HTTP answers and stderr lines, the server's exit, and at the end one note with
// the run's summary — every count in it exact, whatever was sampled.

import type { Channel, CaptureSource } from '../../../shared/capture/index.js';
import { loadSummaryNote, type LoadSummary } from '../../../shared/load/types.js';
import { CaptureWriter } from '../capture/writer.js';
import type { SetupFrame } from './driver.js';
import type { LoadRecorderHooks } from './generator.js';

export class LoadCapture implements LoadRecorderHooks {
  readonly writer: CaptureWriter;
  /** Exchanges recorded during the load. */
  recorded = 0;
  private second = -1;
  private inSecond = 0;
  private httpRecords = 0;
  private stderrLines = 0;
  private readonly c2s: Channel;
  private readonly s2c: Channel;

  constructor(
    path: string,
    source: CaptureSource,
    private readonly perSecond = 100,
    onError?: (e: Error) => void,
  ) {
    this.writer = new CaptureWriter({ path, source, ...(onError ? { onError } : {}) });
    const http = source.transport !== 'stdio';
    this.c2s = http ? 'http-post' : 'stdio';
    this.s2c = http ? 'http-response' : 'stdio';
  }

  setupFrame = (f: SetupFrame): void => {
    this.writer.append({
      type: 'frame',
      dir: f.dir,
      channel: f.dir === 'c2s' ? this.c2s : this.s2c,
      text: f.text,
    });
  };

  spawn(command: string, args: string[], pid: number | undefined): void {
    this.writer.append({ type: 'spawn', command, args, ...(pid !== undefined ? { pid } : {}) });
  }

  sample(nowMs: number): boolean {
    const s = Math.floor(nowMs / 1000);
    if (s !== this.second) {
      this.second = s;
      this.inSecond = 0;
    }
    if (this.inSecond >= this.perSecond) return false;
    this.inSecond++;
    this.recorded++;
    return true;
  }

  request(line: string): void {
    this.writer.append({ type: 'frame', dir: 'c2s', channel: this.c2s, text: line });
  }

  response(raw: string | undefined, cls: string | undefined): void {
    if (raw !== undefined && raw.startsWith('{'))
      this.writer.append({ type: 'frame', dir: 's2c', channel: this.s2c, text: raw });
    else if (cls !== undefined)
      this.writer.append({
        type: 'error',
        where: 'client',
        message: `load request failed: ${cls}`,
      });
  }

  http(status: number, headers: Record<string, string>): void {
    if (this.httpRecords >= 20) return;
    this.httpRecords++;
    this.writer.append({
      type: 'http',
      dir: 's2c',
      stream: `load${this.httpRecords}`,
      status,
      headers,
    });
  }

  stderr(line: string): void {
    if (this.stderrLines >= 1000) return;
    this.stderrLines++;
    this.writer.append({ type: 'stderr', text: line });
  }

  exit(code: number | null, signal: string | null): void {
    this.writer.append({ type: 'exit', code, signal });
  }

  finish(summary: LoadSummary): void {
    this.writer.append({ type: 'note', text: loadSummaryNote(summary) });
    this.writer.close('load run finished');
  }
}
