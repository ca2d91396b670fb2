// The filter input: applies on every keystroke; errors are listed under it with their position.

import { forwardRef } from 'react';
import type { FilterError } from '../../../shared/filter/parse.js';

export interface FilterBarProps {
  value: string;
  errors: readonly FilterError[];
  shown: number;
  total: number;
  filterMs: number;
  /** The filter runs in a worker and has not answered yet. */
  busy?: boolean;
  onChange: (q: string) => void;
}

export const FilterBar = forwardRef<HTMLInputElement, FilterBarProps>(function FilterBar(
  { value, errors, shown, total, filterMs, busy, onChange },
  ref,
) {
  return (
    <div className="filterbar">
      <input
        ref={ref}
        type="search"
        className={errors.length > 0 ? 'invalid' : undefined}
        data-testid="filter-input"
        placeholder="Filter: method:tools/call dir:s2c status:error latency:>500 has:finding severity:high kind:request id:5 text…   (press / )"
        value={value}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
        }}
        aria-invalid={errors.length > 0}
        aria-describedby="filter-errors"
      />
      <span
        className="filter-count"
        data-testid="filter-count"
        data-busy={busy ? 'true' : 'false'}
        data-query={value}
      >
        {shown} / {total} <small>({busy ? 'filtering…' : `${filterMs.toFixed(1)} ms`})</small>
      </span>
      {errors.length > 0 && (
        <ul id="filter-errors" className="filter-errors" data-testid="filter-errors">
          {errors.map((e) => (
            <li key={`${e.start}-${e.end}`}>
              col {e.start + 1}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
