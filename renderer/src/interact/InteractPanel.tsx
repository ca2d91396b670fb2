// Interact with a client session's server: tools, resources, prompts, raw JSON-RPC, ping.

import { useEffect, useState } from 'react';
import type {
  HostApi,
  JsonObject,
  McpPrompt,
  McpResource,
  McpTool,
} from '../../../shared/host-api.js';
import { atLeast, type Severity } from '../../../shared/detect/types.js';
import { SafeText } from '../components/SafeText.js';
import { sessionData } from '../model/session-data.js';
import { useApp, useHost } from '../store/hooks.js';
import { InteractExtras, ReconnectButton } from './InteractExtras.js';
import { errorResult, ResultView } from './ResultView.js';
import { FuzzPanel } from './FuzzPanel.js';
import { ToolCaller } from './ToolCaller.js';

type Tab = 'tools' | 'resources' | 'prompts' | 'raw' | 'fuzz';

export function InteractPanel() {
  const host = useHost();
  const active = useApp((s) => s.active);
  const conn = useApp((s) => s.connections.find((c) => c.sessionId === s.active));
  const [tab, setTab] = useState<Tab>('tools');
  // A resource link in a result opens the Resources tab on that URI.
  const [openUri, setOpenUri] = useState<{ uri: string; n: number }>();
  const openResource = (uri: string): void => {
    setOpenUri((o) => ({ uri, n: (o?.n ?? 0) + 1 }));
    setTab('resources');
  };
  if (!host || !active)
    return <p className="dim">Interact needs the mcpscope engine (browser mode or the app).</p>;
  if (!conn)
    return (
      <p className="dim" data-testid="interact-unavailable">
        This session is a recording. Interact is available on client connections (Connect screen).
      </p>
    );
  if (conn.status !== 'open') {
    return (
      <p className="dim" data-testid="interact-status">
        Connection {conn.status}
        {conn.error ? ': ' : ''}
        <SafeText text={conn.error ?? ''} max={500} />{' '}
        <ReconnectButton host={host} connectionId={conn.id} />
      </p>
    );
  }
  return (
    <section className="interact" data-testid="interact">
      <nav className="tabs">
        {(['tools', 'resources', 'prompts', 'raw', 'fuzz'] as const).map((t) => (
          <button
            key={t}
            type="button"
            className={t === tab ? 'on' : ''}
            data-testid={`interact-tab-${t}`}
            onClick={() => setTab(t)}
          >
            {t}
          </button>
        ))}
        <InteractExtras
          host={host}
          connectionId={conn.id}
          capabilities={conn.handshake?.serverCapabilities}
        />
      </nav>
      {tab === 'tools' && (
        <Tools host={host} connectionId={conn.id} onOpenResource={openResource} />
      )}
      {tab === 'resources' && (
        <Resources
          key={openUri?.n ?? 0}
          host={host}
          connectionId={conn.id}
          {...(openUri ? { open: openUri.uri } : {})}
        />
      )}
      {tab === 'prompts' && <Prompts host={host} connectionId={conn.id} />}
      {tab === 'raw' && <Raw host={host} connectionId={conn.id} />}
      {tab === 'fuzz' && <FuzzPanel host={host} connectionId={conn.id} />}
    </section>
  );
}

function useList<T>(
  load: () => Promise<T[]>,
  deps: unknown[],
): { items: T[]; error?: string; reload: () => void } {
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

/** Findings about each tool of the session (a Map: tool names are server text), worst severity and count. */
function useToolFindings(): Map<string, { worst: Severity; count: number }> {
  const active = useApp((s) => s.active);
  useApp((s) => s.findingsVersion); // re-read when findings arrive
  const out = new Map<string, { worst: Severity; count: number }>();
  for (const f of (active ? sessionData.get(active)?.findings : undefined) ?? []) {
    if (f.target.kind !== 'tool' || f.target.name === undefined) continue;
    const old = out.get(f.target.name);
    out.set(f.target.name, {
      worst: old && atLeast(old.worst, f.severity) ? old.worst : f.severity,
      count: (old?.count ?? 0) + 1,
    });
  }
  return out;
}

function Tools({
  host,
  connectionId,
  onOpenResource,
}: {
  host: HostApi;
  connectionId: string;
  onOpenResource: (uri: string) => void;
}) {
  const { items, error, reload } = useList<McpTool>(
    async () => (await host.listTools({ connectionId })).tools,
    [connectionId],
  );
  const flagged = useToolFindings();
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
            <button
              type="button"
              className={t.name === sel ? 'on' : ''}
              data-testid="tool-item"
              data-name={t.name}
              onClick={() => setSel(t.name)}
            >
              <SafeText text={t.name} max={120} />
              {flagged.get(t.name) && (
                <span
                  className={`badge sev-${flagged.get(t.name)!.worst}`}
                  data-testid="tool-finding"
                  title={`${flagged.get(t.name)!.count} finding(s) about this tool: see the Findings panel`}
                >
                  ⚠ {flagged.get(t.name)!.count}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {tool ? (
        <ToolCaller
          key={tool.name}
          host={host}
          connectionId={connectionId}
          tool={tool}
          onOpenResource={onOpenResource}
        />
      ) : (
        <p className="dim">Pick a tool.</p>
      )}
    </div>
  );
}

function Resources({
  host,
  connectionId,
  open,
}: {
  host: HostApi;
  connectionId: string;
  open?: string;
}) {
  const { items, error } = useList<McpResource>(
    async () => (await host.listResources({ connectionId })).resources,
    [connectionId],
  );
  const [out, setOut] = useState<{ uri: string; result: JsonObject; failed?: boolean }>();
  const read = (uri: string): void => {
    setOut(undefined); // never leave the previous answer under the new request
    void host.readResource({ connectionId, uri }).then(
      (x) => setOut({ uri, result: x.result }),
      (e: unknown) => setOut({ uri, result: errorResult((e as Error).message), failed: true }),
    );
  };
  useEffect(() => {
    if (open) read(open);
  }, []);
  return (
    <div className="split">
      <ul className="pick-list">
        {error && <li className="err">{error}</li>}
        {items.slice(0, 500).map((r) => (
          <li key={r.uri}>
            <button
              type="button"
              data-testid="resource-item"
              data-uri={r.uri}
              className={out?.uri === r.uri ? 'on' : ''}
              onClick={() => read(r.uri)}
            >
              <SafeText text={r.name ?? r.uri} max={120} />
            </button>
          </li>
        ))}
      </ul>
      {out ? (
        <div>
          <SafeText text={out.uri} max={500} className="mono dim" testId="resource-uri" />
          <ResultView result={out.result} error={out.failed === true} testId="resource-result" />
        </div>
      ) : (
        <p className="dim">Pick a resource to read it.</p>
      )}
    </div>
  );
}

function Prompts({ host, connectionId }: { host: HostApi; connectionId: string }) {
  const { items, error } = useList<McpPrompt>(
    async () => (await host.listPrompts({ connectionId })).prompts,
    [connectionId],
  );
  const [sel, setSel] = useState<string>();
  const [args, setArgs] = useState<Record<string, string>>({});
  const [out, setOut] = useState<{ result: JsonObject; failed?: boolean }>();
  const prompt = items.find((p) => p.name === sel);
  const argDefs = Array.isArray(prompt?.arguments)
    ? (prompt.arguments as { name?: unknown; required?: unknown }[])
    : [];
  return (
    <div className="split">
      <ul className="pick-list">
        {error && <li className="err">{error}</li>}
        {items.map((p) => (
          <li key={p.name}>
            <button
              type="button"
              className={p.name === sel ? 'on' : ''}
              data-testid="prompt-item"
              onClick={() => {
                setSel(p.name);
                setArgs({});
                setOut(undefined);
              }}
            >
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
                <input
                  value={args[a.name] ?? ''}
                  onChange={(e) => setArgs((o) => ({ ...o, [a.name as string]: e.target.value }))}
                />
              </label>
            ) : null,
          )}
          <button
            type="button"
            className="primary"
            data-testid="prompt-get"
            onClick={() => {
              setOut(undefined);
              void host.getPrompt({ connectionId, name: prompt.name, arguments: args }).then(
                (x) => setOut({ result: x.result }),
                (e: unknown) => setOut({ result: errorResult((e as Error).message), failed: true }),
              );
            }}
          >
            Get prompt
          </button>
          {out && (
            <ResultView result={out.result} error={out.failed === true} testId="prompt-result" />
          )}
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
      <textarea
        className="mono"
        rows={6}
        value={text}
        spellCheck={false}
        data-testid="raw-input"
        onChange={(e) => setText(e.target.value)}
      />
      <button
        type="button"
        className="primary"
        data-testid="raw-send"
        onClick={() =>
          void host.sendRaw({ connectionId, text }).then(
            (r) =>
              setOut(
                r.response ??
                  (r.timedOut
                    ? 'no answer before the timeout'
                    : r.expectsAnswer
                      ? ''
                      : 'sent (no answer expected)'),
              ),
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
