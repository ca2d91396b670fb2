// One timeline row. Props only; the container decides what is selected or paired.

import { memo } from 'react';
import type { Severity } from '../../../shared/detect/types.js';
import type { Message } from '../../../shared/protocol/messages.js';
import { fmtLatency, fmtRelMs, fmtSize } from './format.js';
import { toDisplay } from './SafeText.js';

export interface TimelineRowProps {
  msg: Message;
  startTs: number;
  top: number;
  height: number;
  selected: boolean;
  /** The selected row's request/response partner. */
  paired: boolean;
  /** Highest severity among this message's findings, and how many. */
  findingSeverity?: Severity;
  findingCount: number;
  /** Bumped when the message changed in place (paired, answered, findings). */
  version: number;
  onSelect: (mid: number) => void;
}

function idText(id: Message['id']): string {
  return id === undefined
    ? ''
    : id === null
      ? 'null'
      : typeof id === 'string'
        ? JSON.stringify(id)
        : String(id);
}

function TimelineRowImpl({
  msg,
  startTs,
  top,
  height,
  selected,
  paired,
  findingSeverity,
  findingCount,
  onSelect,
}: TimelineRowProps) {
  const isErr = msg.kind === 'error' || msg.kind === 'invalid';
  const cls = [
    'trow',
    `k-${msg.kind}`,
    selected ? 'selected' : '',
    paired ? 'paired' : '',
    isErr ? 'err' : '',
  ].join(' ');
  return (
    <div
      className={cls}
      role="row"
      aria-selected={selected}
      data-testid="timeline-row"
      data-mid={msg.mid}
      data-seq={msg.seq}
      data-kind={msg.kind}
      data-dir={msg.dir}
      data-paired={paired ? 'true' : undefined}
      style={{ transform: `translateY(${top}px)`, height }}
      onClick={() => onSelect(msg.mid)}
    >
      <span className="c-time">{fmtRelMs(msg.ts - startTs)}</span>
      <span
        className={`c-lane ${msg.dir}`}
        title={msg.dir === 'c2s' ? 'client → server' : 'server → client'}
      >
        {msg.dir === 'c2s' ? '→' : '←'}
      </span>
      <span className="c-kind">{msg.kind}</span>
      <span className="c-method">
        {toDisplay(msg.method ?? (msg.kind === 'invalid' ? msg.reason : ''), 200)}
      </span>
      <span className="c-id">{toDisplay(idText(msg.id), 40)}</span>
      <span className="c-lat">{fmtLatency(msg.latencyMs)}</span>
      <span className="c-size">{fmtSize(msg.size)}</span>
      <span className="c-badges">
        {isErr && (
          <span
            className="badge b-error"
            data-testid="badge-error"
            title={msg.reason ?? `error ${msg.errorCode ?? ''}`}
          >
            {msg.kind === 'invalid' ? 'invalid' : `err ${msg.errorCode ?? ''}`}
          </span>
        )}
        {msg.flags.map((f) => (
          <span key={f} className="badge b-flag">
            {f}
          </span>
        ))}
        {findingCount > 0 && (
          <span
            className={`badge b-finding sev-${findingSeverity ?? 'info'}`}
            data-testid="badge-finding"
            title={`${findingCount} finding(s)`}
          >
            ⚑ {findingSeverity} {findingCount > 1 ? `×${findingCount}` : ''}
          </span>
        )}
      </span>
    </div>
  );
}

export const TimelineRow = memo(TimelineRowImpl);
