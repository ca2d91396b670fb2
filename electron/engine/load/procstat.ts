// CPU and memory of a stdio server's process tree, read from /proc (Linux) the way pidusage
// does: utime+stime ticks from /proc/<pid>/stat, VmRSS from /proc/<pid>/status, children from
// /proc/<pid>/task/<tid>/children (a server started through `npx` or a shell is a tree).
// Elsewhere it returns nothing and the report says so.

import { readdirSync, readFileSync } from 'node:fs';
import type { ProcessSample } from '../../../shared/load/types.js';

// USER_HZ is 100 on every Linux architecture Node supports (sysconf(_SC_CLK_TCK)).
const TICKS_PER_SECOND = 100;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** utime + stime in ticks, or undefined when the process is gone. */
export function cpuTicks(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
}

/** Resident set size in bytes, or undefined when the process is gone. */
export function rssBytes(pid: number): number | undefined {
  const status = read(`/proc/${pid}/status`);
  const m = status ? /^VmRSS:\s+(\d+)\s+kB/m.exec(status) : null;
  return m ? Number(m[1]) * 1024 : undefined;
}

/** The process and its descendants (at most 64). */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && out.length < 64) {
    const p = queue.shift()!;
    out.push(p);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      const kids = read(`/proc/${p}/task/${t}/children`);
      if (kids) for (const k of kids.trim().split(/\s+/)) if (k) queue.push(Number(k));
    }
  }
  return out;
}

export const procAvailable = (): boolean =>
  process.platform === 'linux' && read('/proc/self/stat') !== undefined;

/** Samples a process tree at a fixed interval; `samples` is what the report and findings read. */
export class ProcessSampler {
  readonly samples: ProcessSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastTicks: number | undefined;
  private lastAt = 0;

  constructor(
    private readonly pid: number,
    private readonly t0: number,
    private readonly everyMs = 250,
    /** Keep at most this many samples: older ones are thinned (every other one dropped). */
    private readonly maxSamples = 2000,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  sample(): ProcessSample | undefined {
    const now = performance.now();
    let rss = 0;
    let ticks = 0;
    let alive = false;
    for (const p of processTree(this.pid)) {
      const r = rssBytes(p);
      const c = cpuTicks(p);
      if (r !== undefined) {
        rss += r;
        alive = true;
      }
      if (c !== undefined) ticks += c;
    }
    if (!alive) return undefined;
    const dt = (now - this.lastAt) / 1000;
    const cpu =
      this.lastTicks !== undefined && dt > 0
        ? Math.max(0, ((ticks - this.lastTicks) / TICKS_PER_SECOND / dt) * 100)
        : 0;
    this.lastTicks = ticks;
    this.lastAt = now;
    const s: ProcessSample = { t: Math.round(now - this.t0), rss, cpu: Math.round(cpu * 10) / 10 };
    this.samples.push(s);
    if (this.samples.length > this.maxSamples) {
      const kept = this.samples.filter((_, i) => i % 2 === 0);
      this.samples.length = 0;
      this.samples.push(...kept);
    }
    return s;
  }
}
