// Interact → Resources: read a resource, fill a resource template's variables (with the server's
// completions) and read the expanded URI, subscribe to a resource and see its
// notifications/resources/updated as they come.

import { useEffect, useState } from 'react';
import type {
  HostApi,
  JsonObject,
  McpResource,
  McpResourceTemplate,
  NotificationEvent,
} from '../../../shared/host-api.js';
import { expandTemplate, templateVariables } from '../../../shared/protocol/uri-template.js';
import { SafeText } from '../components/SafeText.js';
import { CompletionInput } from './CompletionInput.js';
import { useFeed } from './feed.js';
import { newOpId, RunningOp } from './Progress.js';
import { errorResult, ResultView } from './ResultView.js';
import { useList } from './useList.js';

export interface Subscriptions {
  /** URIs subscribed to on this connection. */
  uris: Set<string>;
  /** notifications/resources/updated received, newest last (bounded). */
  updates: { uri: string; at: number }[];
  subscribe: (uri: string) => Promise<void>;
  unsubscribe: (uri: string) => Promise<void>;
}

const MAX_UPDATES = 200;

function resourceUpdate(n: NotificationEvent): { uri: string; at: number } | undefined {
  if (n.method !== 'notifications/resources/updated') return undefined;
  return { uri: typeof n.params?.uri === 'string' ? n.params.uri : '(no uri)', at: Date.now() };
}

/** Subscriptions of a connection (from the engine) and the updates the server sends for them. */
export function useSubscriptions(host: HostApi, connectionId: string): Subscriptions {
  const [uris, setUris] = useState<Set<string>>(new Set());
  const updates = useFeed(host, connectionId, 'resource-updates', resourceUpdate, MAX_UPDATES);
  // The engine knows the subscriptions, so leaving Interact and coming back shows them again.
  useEffect(() => {
    let live = true;
    host.listSubscriptions({ connectionId }).then(
      (r) => live && setUris(new Set(r.uris)),
      () => undefined, // shown as not subscribed; Subscribe reports its own errors
    );
    return () => {
      live = false;
    };
  }, [host, connectionId]);
  return {
    uris,
    updates,
    subscribe: async (uri) => {
      await host.subscribeResource({ connectionId, uri });
      setUris((s) => new Set(s).add(uri));
    },
    unsubscribe: async (uri) => {
      await host.unsubscribeResource({ connectionId, uri });
      setUris((s) => {
        const n = new Set(s);
        n.delete(uri);
        return n;
      });
    },
  };
}

type Read = { uri: string; opId?: string; result?: JsonObject; failed?: boolean };

export function ResourcesTab({
  host,
  connectionId,
  open,
  capabilities,
  subs,
}: {
  host: HostApi;
  connectionId: string;
  open?: string;
  capabilities: JsonObject | undefined;
  subs: Subscriptions;
}) {
  const resources = useList<McpResource>(
    async () => (await host.listResources({ connectionId })).resources,
    [connectionId],
  );
  const templates = useList<McpResourceTemplate>(
    async () => (await host.listResourceTemplates({ connectionId })).resourceTemplates,
    [connectionId],
  );
  const caps = capabilities?.resources;
  const canSubscribe =
    typeof caps === 'object' && caps !== null && !Array.isArray(caps) && caps.subscribe === true;
  const canComplete = capabilities?.completions !== undefined;
  const [out, setOut] = useState<Read>();
  const [tpl, setTpl] = useState<string>();
  const read = (uri: string, fromTemplate = false): void => {
    const opId = newOpId('read');
    if (!fromTemplate) setTpl(undefined);
    setOut({ uri, opId }); // never leave the previous answer under the new request
    void host.readResource({ connectionId, uri, opId, progress: true }).then(
      (x) => setOut((o) => (o?.opId === opId ? { uri, opId, result: x.result } : o)),
      (e: unknown) =>
        setOut((o) =>
          o?.opId === opId
            ? { uri, opId, result: errorResult((e as Error).message), failed: true }
            : o,
        ),
    );
  };
  useEffect(() => {
    if (open) read(open);
  }, []);
  const template = templates.items.find((t) => t.uriTemplate === tpl);
  return (
    <div className="split">
      <ul className="pick-list">
        {resources.error && <li className="err">{resources.error}</li>}
        {resources.items.slice(0, 500).map((r) => (
          <li key={r.uri}>
            <button
              type="button"
              data-testid="resource-item"
              data-uri={r.uri}
              className={out?.uri === r.uri && !tpl ? 'on' : ''}
              onClick={() => read(r.uri)}
            >
              {subs.uris.has(r.uri) ? '★ ' : ''}
              <SafeText text={r.name ?? r.uri} max={120} />
            </button>
          </li>
        ))}
        {templates.items.length > 0 && <li className="dim">templates</li>}
        {templates.error && <li className="err">{templates.error}</li>}
        {templates.items.slice(0, 500).map((t) => (
          <li key={t.uriTemplate}>
            <button
              type="button"
              data-testid="template-item"
              data-template={t.uriTemplate}
              className={tpl === t.uriTemplate ? 'on' : ''}
              onClick={() => {
                setTpl(t.uriTemplate);
                setOut(undefined);
              }}
            >
              <SafeText text={t.name ?? t.uriTemplate} max={120} />
            </button>
          </li>
        ))}
      </ul>
      <div>
        {template && (
          <TemplateForm
            key={template.uriTemplate}
            host={host}
            connectionId={connectionId}
            template={template}
            canComplete={canComplete}
            onRead={(uri) => read(uri, true)}
          />
        )}
        {out && (
          <div>
            <div className="row">
              <SafeText text={out.uri} max={500} className="mono dim" testId="resource-uri" />
              {canSubscribe && <SubscribeButton uri={out.uri} subs={subs} />}
            </div>
            {out.opId && !out.result && (
              <RunningOp
                host={host}
                connectionId={connectionId}
                opId={out.opId}
                testId="resource-running"
              />
            )}
            {out.result && (
              <ResultView
                result={out.result}
                error={out.failed === true}
                testId="resource-result"
              />
            )}
          </div>
        )}
        {!out && !template && <p className="dim">Pick a resource to read it, or a template.</p>}
        {canSubscribe && <Updates subs={subs} onRead={read} />}
      </div>
    </div>
  );
}

function SubscribeButton({ uri, subs }: { uri: string; subs: Subscriptions }) {
  const [error, setError] = useState<string>();
  const on = subs.uris.has(uri);
  return (
    <>
      <button
        type="button"
        data-testid={on ? 'resource-unsubscribe' : 'resource-subscribe'}
        onClick={() => {
          setError(undefined);
          void (on ? subs.unsubscribe(uri) : subs.subscribe(uri)).catch((e: unknown) =>
            setError((e as Error).message),
          );
        }}
      >
        {on ? 'Unsubscribe' : 'Subscribe'}
      </button>
      {error && <SafeText text={error} max={500} className="err" />}
    </>
  );
}

function Updates({ subs, onRead }: { subs: Subscriptions; onRead: (uri: string) => void }) {
  if (subs.uris.size === 0 && subs.updates.length === 0) return null;
  return (
    <div data-testid="subscriptions">
      <h4>
        Subscribed: {subs.uris.size} · updates received:{' '}
        <span data-testid="update-count">{subs.updates.length}</span>
      </h4>
      <ul className="sub-updates">
        {subs.updates
          .slice(-20)
          .reverse()
          .map((u, i) => (
            <li key={`${u.at}-${i}`} data-testid="resource-update">
              {new Date(u.at).toLocaleTimeString()} notifications/resources/updated{' '}
              <button type="button" className="link" onClick={() => onRead(u.uri)}>
                <SafeText text={u.uri} max={300} className="mono" />
              </button>
            </li>
          ))}
      </ul>
    </div>
  );
}

function TemplateForm({
  host,
  connectionId,
  template,
  canComplete,
  onRead,
}: {
  host: HostApi;
  connectionId: string;
  template: McpResourceTemplate;
  canComplete: boolean;
  onRead: (uri: string) => void;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  let vars: { name: string }[] = [];
  let problem: string | undefined;
  let uri = '';
  try {
    vars = templateVariables(template.uriTemplate);
    uri = expandTemplate(template.uriTemplate, values);
  } catch (e) {
    problem = (e as Error).message;
  }
  const missing = vars.filter((v) => !values[v.name]).map((v) => v.name);
  return (
    <div className="template-form" data-testid="template-form">
      <h4>
        <SafeText text={template.uriTemplate} max={500} className="mono" />
      </h4>
      <p className="dim">
        <SafeText text={template.description ?? ''} max={2000} />
      </p>
      {problem && <p className="err">{problem}</p>}
      {vars.map((v) => (
        <label key={v.name} className="field">
          <SafeText text={v.name} max={100} />
          <CompletionInput
            host={host}
            connectionId={connectionId}
            completionRef={{ type: 'ref/resource', uri: template.uriTemplate }}
            name={v.name}
            value={values[v.name] ?? ''}
            others={values}
            enabled={canComplete}
            testId="template-var"
            onChange={(x) => setValues((o) => ({ ...o, [v.name]: x }))}
          />
        </label>
      ))}
      <p>
        URI: <SafeText text={uri} max={2000} className="mono" testId="template-uri" />
      </p>
      <button
        type="button"
        className="primary"
        data-testid="template-read"
        disabled={problem !== undefined}
        title={missing.length ? `not filled: ${missing.join(', ')}` : undefined}
        onClick={() => onRead(uri)}
      >
        Read {missing.length ? '(some variables empty)' : ''}
      </button>
    </div>
  );
}
