// Interact with a client session's server: tools, resources, prompts, raw JSON-RPC, ping.

import { useEffect, useState } from 'react';
import type { HostApi, McpPrompt, McpResource, McpTool } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { useApp, useHost } from '../store/hooks.js';
import { FuzzPanel } from './FuzzPanel.js';
import { ToolCaller } from './ToolCaller.js';

type Tab = 'tools' | 'resources' | 'prompts' | 'raw' | 'fuzz';

export function InteractPanel() {
  const host = useHost();
  const active = useApp((s) => s.active);
  const conn = useApp((s) => s.connections.find((c) => c.sessionId === s.active));
  const [tab, setTab] = useState<Tab>('tools');
  if (!host || !active) return <p className="dim">Interact needs the mcpscope engine (browser mode or the app).</p>;
  if (!conn) return <p className="dim" data-testid="interact-unavailable">This session is a recording. Interact is available on client connections (Connect screen).</p>;
  if (conn.status !== 'open') {
    return (
      <p className="dim" data-testid="interact-status">
        Connection {conn.status}
        {conn.error ? ': ' : ''}
        <SafeText text={conn.error ?? ''} max={500} />
      </p>
    );
  }
  return (
    <section className="interact" data-testid="interact">
      <nav className="tabs">
        {(['tools', 'resources', 'prompts', 'raw', 'fuzz'] as const).map((t) => (
          <button key={t} type="button" className={t === tab ? 'on' : ''} data-testid={`interact-tab-${t}`} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
        <button type="button" onClick={() => void host.ping({ connectionId: conn.id })}>
          ping
        </button>
        <button type="button" onClick={() => void host.disconnect({ connectionId: conn.id })}>
          disconnect
        </button>
      </nav>
      {tab === 'tools' && <Tools host={host} connectionId={conn.id} />}
      {tab === 'resources' && <Resources host={host} connectionId={conn.id} />}
      {tab === 'prompts' && <Prompts host={host} connectionId={conn.id} />}
      {tab === 'raw' && <Raw host={host} connectionId={conn.id} />}
      {tab === 'fuzz' && <FuzzPanel host={host} connectionId={conn.id} />}
    </section>
  );
}

function useList<T>(load: () => Promise<T[]>, deps: unknown[]): { items: T[]; error?: string; reload: () => void } {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<string>();
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (x) => live && setItems(x),
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { items, error, reload: () => setN((x) => x + 1) };
}

function Tools({ host, connectionId }: { host: HostApi; connectionId: string }) {
  const { items, error, reload } = useList<McpTool>(async () => (await host.listTools({ connectionId })).tools, [connectionId]);
  const [sel, setSel] = useState<string>();
  const tool = items.find((t) => t.name === sel);
  return (
    <div className="split">
      <ul className="pick-list" data-testid="tool-list">
        <li>
          <button type="button" data-testid="tools-refresh" onClick={reload}>
            ↻ refresh ({items.length})
          </button>
        </li>
        {error && <li className="err">{error}</li>}
        {items.map((t) => (
          <li key={t.name}>
            <button type="button" className={t.name === sel ? 'on' : ''} data-testid="tool-item" data-name={t.name} onClick={() => setSel(t.name)}>
              <SafeText text={t.name} max={120} />
            </button>
          </li>
        ))}
      </ul>
      {tool ? <ToolCaller key={tool.name} host={host} connectionId={connectionId} tool={tool} /> : <p className="dim">Pick a tool.</p>}
    </div>
  );
}

function Resources({ host, connectionId }: { host: HostApi; connectionId: string }) {
  const { items, error } = useList<McpResource>(async () => (await host.listResources({ connectionId })).resources, [connectionId]);
  const [out, setOut] = useState<string>();
  return (
    <div className="split">
      <ul className="pick-list">
        {error && <li className="err">{error}</li>}
        {items.slice(0, 500).map((r) => (
          <li key={r.uri}>
            <button
              type="button"
              data-testid="resource-item"
              onClick={() =>
                void host.readResource({ connectionId, uri: r.uri }).then(
                  (x) => setOut(JSON.stringify(x.result, null, 2)),
                  (e: unknown) => setOut((e as Error).message),
                )
              }
            >
              <SafeText text={r.name ?? r.uri} max={120} />
            </button>
          </li>
        ))}
      </ul>
      <pre className="result" data-testid="resource-result">
        <SafeText text={out ?? 'Pick a resource to read it.'} max={50_000} multiline />
      </pre>
    </div>
  );
}

function Prompts({ host, connectionId }: { host: HostApi; connectionId: string }) {
  const { items, error } = useList<McpPrompt>(async () => (await host.listPrompts({ connectionId })).prompts, [connectionId]);
  const [sel, setSel] = useState<string>();
  const [args, setArgs] = useState<Record<string, string>>({});
  const [out, setOut] = useState<string>();
  const prompt = items.find((p) => p.name === sel);
  const argDefs = Array.isArray(prompt?.arguments) ? (prompt.arguments as { name?: unknown; required?: unknown }[]) : [];
  return (
    <div className="split">
      <ul className="pick-list">
        {error && <li className="err">{error}</li>}
        {items.map((p) => (
          <li key={p.name}>
            <button type="button" className={p.name === sel ? 'on' : ''} data-testid="prompt-item" onClick={() => setSel(p.name)}>
              <SafeText text={p.name} max={120} />
            </button>
          </li>
        ))}
      </ul>
      {prompt && (
        <div>
          {argDefs.map((a) =>
            typeof a.name === 'string' ? (
              <label key={a.name} className="field">
                <SafeText text={a.name} max={100} />
                {a.required === true ? ' *' : ''}
                <input value={args[a.name] ?? ''} onChange={(e) => setArgs((o) => ({ ...o, [a.name as string]: e.target.value }))} />
              </label>
            ) : null,
          )}
          <button
            type="button"
            className="primary"
            data-testid="prompt-get"
            onClick={() =>
              void host.getPrompt({ connectionId, name: prompt.name, arguments: args }).then(
                (x) => setOut(JSON.stringify(x.result, null, 2)),
                (e: unknown) => setOut((e as Error).message),
              )
            }
          >
            Get prompt
          </button>
          <pre className="result" data-testid="prompt-result">
            <SafeText text={out ?? ''} max={50_000} multiline />
          </pre>
        </div>
      )}
    </div>
  );
}

function Raw({ host, connectionId }: { host: HostApi; connectionId: string }) {
  const [text, setText] = useState('{"jsonrpc":"2.0","id":"raw-1","method":"ping"}');
  const [out, setOut] = useState<string>();
  return (
    <div>
      <textarea className="mono" rows={6} value={text} spellCheck={false} data-testid="raw-input" onChange={(e) => setText(e.target.value)} />
      <button
        type="button"
        className="primary"
        data-testid="raw-send"
        onClick={() =>
          void host.sendRaw({ connectionId, text }).then(
            (r) => setOut(r.response ?? (r.timedOut ? 'no answer before the timeout' : r.expectsAnswer ? '' : 'sent (no answer expected)')),
            (e: unknown) => setOut((e as Error).message),
          )
        }
      >
        Send
      </button>
      <pre className="result" data-testid="raw-result">
        <SafeText text={out ?? ''} max={50_000} multiline />
      </pre>
    </div>
  );
}
