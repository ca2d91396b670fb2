// A running operation of Interact (tool call, resource read, prompt get): its progress bar
// (notifications/progress, delivered as onProgress for the operation's opId) and Cancel, which
// sends notifications/cancelled for the request.

import { useEffect, useState } from 'react';
import type { HostApi, ProgressEvent } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';

let counter = 0;

/** A fresh operation id for `opId` (unique in this page). */
export function newOpId(kind: string): string {
  return `ui-${kind}-${Date.now()}-${++counter}`;
}

/** The latest progress of one operation (undefined until the server sends some). */
export function useProgress(
  host: HostApi,
  connectionId: string,
  opId: string | undefined,
): ProgressEvent | undefined {
  const [p, setP] = useState<ProgressEvent>();
  useEffect(() => {
    setP(undefined);
    if (!opId) return;
    return host.onProgress((e) => {
      if (e.connectionId === connectionId && e.opId === opId) setP(e);
    });
  }, [host, connectionId, opId]);
  return p;
}

/** Progress numbers are server data: only finite, non-negative ones make a bar. */
export function progressFraction(p: { progress: number; total?: number }): number | undefined {
  const { progress, total } = p;
  if (typeof total !== 'number' || !Number.isFinite(total) || total <= 0) return undefined;
  if (!Number.isFinite(progress) || progress < 0) return undefined;
  return Math.min(1, progress / total);
}

export function RunningOp({
  host,
  connectionId,
  opId,
  testId,
}: {
  host: HostApi;
  connectionId: string;
  opId: string;
  testId: string;
}) {
  const p = useProgress(host, connectionId, opId);
  const [cancelling, setCancelling] = useState(false);
  const frac = p ? progressFraction(p) : undefined;
  const label = p
    ? frac !== undefined
      ? `${Math.round(frac * 100)}% (${p.progress}/${p.total})`
      : `${p.progress}${p.total !== undefined ? `/${p.total}` : ''}`
    : 'waiting for the server…';
  return (
    <div className="running-op" data-testid={testId}>
      <progress
        data-testid={`${testId}-bar`}
        max={1}
        {...(frac !== undefined ? { value: frac } : {})}
      />
      <SafeText text={label} max={100} className="dim" testId={`${testId}-label`} />
      {p?.message !== undefined && (
        <SafeText text={p.message} max={300} testId={`${testId}-message`} />
      )}
      <button
        type="button"
        data-testid={`${testId}-cancel`}
        disabled={cancelling}
        onClick={() => {
          setCancelling(true);
          void host
            .cancel({ connectionId, opId, reason: 'cancelled from the mcpscope UI' })
            .catch(() => setCancelling(false));
        }}
      >
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
