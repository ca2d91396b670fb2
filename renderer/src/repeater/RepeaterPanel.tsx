// The Repeater: tabs of requests to edit and resend. The text is edited in Monaco, checked
// against the tool's input schema for tools/call, sent on the session's live connection (or a new
// one started from the recorded source), and the answer is shown beside the recorded one with
// the differences listed by JSON pointer.

import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type {
  ConnectionInfo,
  ConnectionProfile,
  HostApi,
  McpTool,
} from '../../../shared/host-api.js';
import { diffValues, describeDifference, makeRules } from '../../../shared/replay/index.js';
import { SafeText, toDisplay } from '../components/SafeText.js';
import { validateArgs, type SchemaError } from '../interact/validate.js';
import { useApp, useHost } from '../store/hooks.js';
import { SessionActions } from './ReplayView.js';
import { repeaterStore, type RepeaterTab } from './store.js';

const JsonEditor = lazy(() => import('../monaco/JsonEditor.js'));

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `{result}` or `{error}` of an answer, so pointers read /result/… like `mcpscope replay`. */
function body(text: string | undefined): unknown {
  const v = parse(text);
  if (!isObject(v)) return v;
  return 'error' in v ? { error: v.error } : { result: v.result };
}

function pretty(text: string | undefined): string {
  const v = parse(text);
  return v === undefined ? (text ?? '') : JSON.stringify(v, null, 2);
}

export function RepeaterPanel() {
  const host = useHost();
  const tabs = useStore(repeaterStore, (s) => s.tabs);
  const activeId = useStore(repeaterStore, (s) => s.activeTab);
  const active = useApp((s) => s.active);
  const tab = tabs.find((t) => t.id === activeId) ?? tabs[tabs.length - 1];
  const actions = host && active ? <SessionActions host={host} sessionId={active} /> : null;
  if (tabs.length === 0 || !tab) {
    return (
      <section className="repeater empty" data-testid="repeater">
        {actions}
        <p className="dim">
          Select a request on the timeline and choose Resend or Edit and resend.
        </p>
      </section>
    );
  }
  return (
    <section className="repeater" data-testid="repeater">
      {actions}
      <nav className="tabs repeater-tabs">
        {tabs.map((t) => (
          <span key={t.id} className={t.id === tab.id ? 'on' : ''}>
            <button
              type="button"
              data-testid="repeater-tab"
              onClick={() => repeaterStore.getState().setActive(t.id)}
            >
              {toDisplay(`${t.method}${t.seq !== undefined ? ` #${t.seq}` : ''}`, 40)}
            </button>
            <button
              type="button"
              aria-label="close tab"
              onClick={() => repeaterStore.getState().closeTab(t.id)}
            >
              ×
            </button>
          </span>
        ))}
      </nav>
      {host ? (
        <TabView key={tab.id} host={host} tab={tab} />
      ) : (
        <p className="dim">Resending needs the engine (the app or `mcpscope ui`).</p>
      )}
    </section>
  );
}

function TabView({ host, tab }: { host: HostApi; tab: RepeaterTab }) {
  const sessionConn = useApp((s) =>
    s.connections.find((c) => c.sessionId === tab.sessionId && c.status === 'open'),
  );
  const session = useApp((s) => s.sessions.find((r) => r.id === tab.sessionId));
  const [started, setStarted] = useState<ConnectionInfo | undefined>();
  const conn = sessionConn ?? (started?.status === 'open' ? started : undefined);
  const [tools, setTools] = useState<McpTool[]>([]);
  const [error, setError] = useState<string | undefined>();
  const sendNow = useStore(repeaterStore, (s) => s.sendNow);

  useEffect(() => {
    if (!conn) return;
    let live = true;
    host.listTools({ connectionId: conn.id }).then(
      (r) => live && setTools(r.tools),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [host, conn]);

  const message = parse(tab.text);
  const problems: SchemaError[] = useMemo(() => {
    if (!isObject(message) || message.method !== 'tools/call' || !isObject(message.params))
      return [];
    const tool = tools.find((t) => t.name === (message.params as Record<string, unknown>).name);
    return tool
      ? validateArgs(tool.inputSchema, (message.params as Record<string, unknown>).arguments ?? {})
      : [];
  }, [message, tools]);
  const toolSchema =
    isObject(message) && isObject(message.params)
      ? tools.find((t) => t.name === (message.params as Record<string, unknown>).name)?.inputSchema
      : undefined;

  const send = async (): Promise<void> => {
    if (!conn) return;
    const st = repeaterStore.getState();
    st.setSending(tab.id, true);
    setError(undefined);
    try {
      // The editor shows JSON pretty-printed; on the wire it is one line (a newline ends a stdio
      // frame). Text that is not JSON goes exactly as typed.
      const v = parse(tab.text);
      const r = await host.sendRaw({
        connectionId: conn.id,
        text: v === undefined ? tab.text : JSON.stringify(v),
      });
      const response =
        r.response !== undefined
          ? { text: r.response, at: Date.now() }
          : {
              error: r.timedOut
                ? 'no answer before the timeout'
                : r.httpBody !== undefined
                  ? `HTTP ${r.httpStatus}: ${r.httpBody}`
                  : 'no answer expected (a notification)',
              at: Date.now(),
            };
      st.setResponse(
        tab.id,
        r.latencyMs !== undefined ? { ...response, latencyMs: r.latencyMs } : response,
      );
    } catch (e) {
      st.setResponse(tab.id, { error: (e as Error).message, at: Date.now() });
    }
  };

  useEffect(() => {
    if (sendNow === tab.id && conn) {
      repeaterStore.getState().clearSendNow();
      void send();
    }
  });

  const startFromSource = async (): Promise<void> => {
    if (!session) return setError('the recorded session is not in the library');
    let profile: ConnectionProfile;
    if (session.command && session.command.length > 0)
      profile = {
        transport: 'stdio',
        command: session.command[0]!,
        args: session.command.slice(1),
        name: `repeater: ${session.title}`,
      };
    else if (session.url)
      profile = {
        transport: session.transport === 'sse' ? 'sse' : 'streamable-http',
        url: session.url,
        name: `repeater: ${session.title}`,
      };
    else
      return setError(
        'the recording does not say how to start its server; connect from the Connect screen',
      );
    try {
      setStarted(await host.connect(profile));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const differences =
    tab.response?.text !== undefined && tab.original !== undefined
      ? diffValues(body(tab.original), body(tab.response.text), makeRules())
      : undefined;

  return (
    <div className="repeater-tab" data-testid="repeater-tab-view">
      <div className="detail-tools">
        <button
          type="button"
          data-testid="repeater-send"
          disabled={!conn || tab.sending === true || message === undefined}
          data-invalid={problems.length > 0}
          onClick={() => void send()}
        >
          {tab.sending ? 'Sending…' : problems.length > 0 ? 'Send anyway' : 'Send'}
        </button>
        {!conn && (
          <button type="button" data-testid="repeater-start" onClick={() => void startFromSource()}>
            Start the recorded server
          </button>
        )}
        <span className="dim">
          {conn ? `on ${toDisplay(conn.name, 60)}` : 'no live connection for this session'}
        </span>
      </div>
      {error && (
        <SafeText className="badge b-error" text={error} max={500} testId="repeater-error" />
      )}
      <Suspense fallback={<pre>{toDisplay(tab.text, 20_000, true)}</pre>}>
        <JsonEditor
          value={tab.text}
          onChange={(t) => repeaterStore.getState().setText(tab.id, t)}
          testId="repeater-editor"
          schema={
            toolSchema
              ? {
                  type: 'object',
                  properties: { params: { type: 'object', properties: { arguments: toolSchema } } },
                }
              : undefined
          }
        />
      </Suspense>
      {message === undefined && <p className="badge b-error">The text is not JSON.</p>}
      {problems.length > 0 && (
        <ul className="problems" data-testid="repeater-problems">
          {problems.map((p, i) => (
            <li key={i}>
              <SafeText text={`${p.path || '/'}: ${p.message}`} max={300} />
            </li>
          ))}
        </ul>
      )}
      <div className="repeater-compare">
        <div>
          <h4>Recorded answer</h4>
          <pre data-testid="repeater-original">
            {toDisplay(pretty(tab.original) || '(none recorded)', 50_000, true)}
          </pre>
        </div>
        <div>
          <h4>
            Live answer
            {tab.response?.latencyMs !== undefined ? ` · ${tab.response.latencyMs} ms` : ''}
          </h4>
          <pre data-testid="repeater-response">
            {toDisplay(
              tab.response
                ? tab.response.text !== undefined
                  ? pretty(tab.response.text)
                  : `(${tab.response.error ?? 'no answer'})`
                : '(not sent yet)',
              50_000,
              true,
            )}
          </pre>
        </div>
      </div>
      {differences && (
        <div data-testid="repeater-diff" data-count={differences.length}>
          <h4>
            {differences.length === 0
              ? 'Same as recorded (timestamps normalised)'
              : `${differences.length} difference${differences.length === 1 ? '' : 's'}`}
          </h4>
          <ul>
            {differences.map((d, i) => (
              <li
                key={i}
                className="diff-row"
                data-testid="repeater-diff-row"
                data-pointer={d.pointer}
              >
                <SafeText text={describeDifference(d)} max={600} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
