// Small display formatters for timeline cells.

export function fmtRelMs(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  if (ms < 1000) return `+${ms.toFixed(1)}ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(3)}s`;
  const m = Math.floor(ms / 60_000);
  return `+${m}m${((ms % 60_000) / 1000).toFixed(1)}s`;
}

export function fmtLatency(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function fmtSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function fmtDate(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
