// A text field that asks the server for completions (completion/complete) as the user types,
// debounced, and offers them in a dropdown to pick from. Used for prompt arguments (ref/prompt)
// and resource template variables (ref/resource). Suggestions are server text: escaped and bounded.

import { useEffect, useRef, useState } from 'react';
import type { HostApi, JsonObject } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';

export const COMPLETE_DEBOUNCE_MS = 250;
const MAX_SHOWN = 100;

export interface CompletionInputProps {
  host: HostApi;
  connectionId: string;
  /** `{type:'ref/prompt', name}` or `{type:'ref/resource', uri}`. */
  completionRef: JsonObject;
  name: string;
  value: string;
  onChange: (v: string) => void;
  /** Values of the other arguments (sent as context.arguments). */
  others?: Record<string, string>;
  /** False when the server did not declare `completions`: a plain field. */
  enabled: boolean;
  testId?: string;
}

/** The values of a completion/complete answer (server data): strings only, at most MAX_SHOWN. */
export function completionValues(result: JsonObject): { values: string[]; more: boolean } {
  const c = result.completion;
  const o = typeof c === 'object' && c !== null && !Array.isArray(c) ? c : {};
  const vals = Array.isArray(o.values) ? o.values.filter((v) => typeof v === 'string') : [];
  return {
    values: vals.slice(0, MAX_SHOWN),
    more: o.hasMore === true || vals.length > MAX_SHOWN,
  };
}

export function CompletionInput(props: CompletionInputProps) {
  const { host, connectionId, completionRef, name, value, onChange, others, enabled } = props;
  const [open, setOpen] = useState(false);
  const [sugg, setSugg] = useState<{ values: string[]; more: boolean }>();
  const [error, setError] = useState<string>();
  // What to complete: set by typing (and focus), not by picking or by another field changing,
  // so the server is asked only about what the user is typing here.
  const [query, setQuery] = useState<string>();
  const othersRef = useRef(others);
  othersRef.current = others;

  useEffect(() => {
    if (!enabled || query === undefined) return;
    let live = true;
    const t = setTimeout(() => {
      const ctx = othersRef.current;
      const context = ctx && Object.keys(ctx).length ? { arguments: ctx } : undefined;
      host
        .complete({
          connectionId,
          ref: completionRef,
          argument: { name, value: query },
          ...(context ? { context } : {}),
        })
        .then(
          (r) => {
            if (!live) return;
            setError(undefined);
            setSugg(completionValues(r.result));
          },
          (e: unknown) => live && setError((e as Error).message),
        );
    }, COMPLETE_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [host, connectionId, JSON.stringify(completionRef), name, query, enabled]);

  const shown = open && sugg && sugg.values.length > 0;
  return (
    <span className="completion">
      <input
        value={value}
        data-testid={props.testId}
        data-name={name}
        autoComplete="off"
        onChange={(e) => {
          setOpen(true);
          setQuery(e.target.value);
          onChange(e.target.value);
        }}
        onFocus={() => {
          setOpen(true);
          setQuery(value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
      />
      {shown && (
        <ul className="completion-list" data-testid="completion-list" role="listbox">
          {sugg.values.map((v) => (
            <li key={v}>
              <button
                type="button"
                role="option"
                aria-selected={v === value}
                data-testid="completion-option"
                data-value={v}
                onClick={() => {
                  onChange(v);
                  setOpen(false);
                }}
              >
                <SafeText text={v} max={200} />
              </button>
            </li>
          ))}
          {sugg.more && <li className="dim">more values exist: keep typing</li>}
        </ul>
      )}
      {error && <SafeText text={`completion failed: ${error}`} max={300} className="err" />}
    </span>
  );
}
