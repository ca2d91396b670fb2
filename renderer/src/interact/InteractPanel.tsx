// Interact with a client session's server: tools, resources (templates, subscriptions),
// prompts, tasks, the server's log, raw JSON-RPC, fuzzing; ping, log level and roots in the toolbar.

import { useState } from 'react';
import type { HostApi, JsonObject, McpTool } from '../../../shared/host-api.js';
import { atLeast, type Severity } from '../../../shared/detect/types.js';
import { SafeText } from '../components/SafeText.js';
import { sessionData } from '../model/session-data.js';
import { useApp, useHost } from '../store/hooks.js';
import { InteractExtras, ReconnectButton } from './InteractExtras.js';
import { FuzzPanel } from './FuzzPanel.js';
import { LogTab, useServerLog } from './LogTab.js';
import { PromptsTab } from './PromptsTab.js';
import { ResourcesTab, useSubscriptions } from './ResourcesTab.js';
import { TasksTab } from './TasksTab.js';
import { ToolCaller } from './ToolCaller.js';
import { useList } from './useList.js';

type Tab = 'tools' | 'resources' | 'prompts' | 'tasks' | 'log' | 'raw' | 'fuzz';
const TABS: Tab[] = ['tools', 'resources', 'prompts', 'tasks', 'log', 'raw', 'fuzz'];

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
    <OpenConnection
      key={conn.id}
      host={host}
      connectionId={conn.id}
      capabilities={conn.handshake?.serverCapabilities}
      tab={tab}
      setTab={setTab}
      openUri={openUri}
      openResource={openResource}
    />
  );
}

/** Interact on an open connection; subscriptions and the log live here, across tab switches. */
function OpenConnection({
  host,
  connectionId,
  capabilities,
  tab,
  setTab,
  openUri,
  openResource,
}: {
  host: HostApi;
  connectionId: string;
  capabilities: JsonObject | undefined;
  tab: Tab;
  setTab: (t: Tab) => void;
  openUri: { uri: string; n: number } | undefined;
  openResource: (uri: string) => void;
}) {
  const subs = useSubscriptions(host, connectionId);
  const log = useServerLog(host, connectionId);
  const conn = { id: connectionId };
  return (
    <section className="interact" data-testid="interact">
      <nav className="tabs">
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            className={t === tab ? 'on' : ''}
            data-testid={`interact-tab-${t}`}
            onClick={() => setTab(t)}
          >
            {t}
            {t === 'log' && log.length > 0 ? ` (${log.length})` : ''}
          </button>
        ))}
        <InteractExtras host={host} connectionId={conn.id} capabilities={capabilities} />
      </nav>
      {tab === 'tools' && (
        <Tools
          host={host}
          connectionId={conn.id}
          capabilities={capabilities}
          onOpenResource={openResource}
        />
      )}
      {tab === 'resources' && (
        <ResourcesTab
          key={openUri?.n ?? 0}
          host={host}
          connectionId={conn.id}
          capabilities={capabilities}
          subs={subs}
          {...(openUri ? { open: openUri.uri } : {})}
        />
      )}
      {tab === 'prompts' && (
        <PromptsTab host={host} connectionId={conn.id} capabilities={capabilities} />
      )}
      {tab === 'tasks' && <TasksTab host={host} connectionId={conn.id} />}
      {tab === 'log' && <LogTab lines={log} />}
      {tab === 'raw' && <Raw host={host} connectionId={conn.id} />}
      {tab === 'fuzz' && <FuzzPanel host={host} connectionId={conn.id} />}
    </section>
  );
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
  capabilities,
  onOpenResource,
}: {
  host: HostApi;
  connectionId: string;
  capabilities: JsonObject | undefined;
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
          capabilities={capabilities}
          onOpenResource={onOpenResource}
        />
      ) : (
        <p className="dim">Pick a tool.</p>
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
