// What the server offered: tools (schemas, annotations), resources, templates, prompts, and how
// each list changed during the session.

import { useState } from 'react';
import { LIST_KINDS, type ListKind } from '../../../shared/protocol/session.js';
import { SafeText, safeImageSrc } from '../components/SafeText.js';
import { fmtRelMs } from '../components/format.js';
import { sessionData } from '../model/session-data.js';
import { useApp } from '../store/hooks.js';

const LABEL: Record<ListKind, string> = {
  tools: 'Tools',
  resources: 'Resources',
  resourceTemplates: 'Templates',
  prompts: 'Prompts',
};

function keyOf(kind: ListKind, item: Record<string, unknown>): unknown {
  return kind === 'resources'
    ? item.uri
    : kind === 'resourceTemplates'
      ? item.uriTemplate
      : item.name;
}

function firstIcon(item: Record<string, unknown>): string | undefined {
  const icons = item.icons;
  if (!Array.isArray(icons)) return undefined;
  for (const i of icons) {
    const src = safeImageSrc((i as { src?: unknown } | null)?.src);
    if (src) return src;
  }
  return undefined;
}

export function CapabilitiesPanel() {
  const active = useApp((s) => s.active);
  useApp((s) => s.version);
  const [kind, setKind] = useState<ListKind>('tools');
  const data = active ? sessionData.get(active) : undefined;
  if (!data) return null;
  const state = data.builder.session.lists[kind];
  return (
    <section className="capabilities" data-testid="capabilities">
      <nav className="tabs">
        {LIST_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className={k === kind ? 'on' : ''}
            onClick={() => setKind(k)}
            data-testid={`cap-tab-${k}`}
          >
            {LABEL[k]} ({data.builder.session.lists[k].items.length})
          </button>
        ))}
      </nav>
      <ul className="cap-items">
        {state.items.map((item, i) => {
          const icon = firstIcon(item);
          return (
            <li key={i} data-testid="cap-item">
              <details>
                <summary>
                  {icon && <img src={icon} alt="" width={14} height={14} />}{' '}
                  <SafeText text={keyOf(kind, item)} max={200} className="mono" />{' '}
                  <SafeText text={item.title ?? ''} max={200} className="dim" />
                </summary>
                <p>
                  <SafeText text={item.description ?? ''} max={5000} />
                </p>
                <pre className="schema">
                  <SafeText text={JSON.stringify(item, null, 2)} max={20_000} multiline />
                </pre>
              </details>
            </li>
          );
        })}
      </ul>
      {state.history.length > 0 && (
        <div className="cap-history" data-testid="cap-history">
          <h4>Changes</h4>
          <ol>
            {state.history.map((h) => (
              <li key={h.seq}>
                {fmtRelMs(h.ts - data.builder.startTs)} (seq {h.seq}): +{h.added.length} −
                {h.removed.length} ~{h.changed.length}
                {h.changed.length > 0 && (
                  <>
                    {' '}
                    changed: <SafeText text={h.changed.join(', ')} max={500} />
                  </>
                )}
                {h.removed.length > 0 && (
                  <>
                    {' '}
                    removed: <SafeText text={h.removed.join(', ')} max={500} />
                  </>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
