// Answers server→client requests (sampling, elicitation, roots) the user has to decide on. One
// dialog at a time, oldest first; everything the server sent is shown as text.

import { useState } from 'react';
import type { HostApi, JsonObject, ServerRequest } from '../../../shared/host-api.js';
import { Modal } from '../components/Modal.js';
import { SafeText } from '../components/SafeText.js';
import { useApp, useHost } from '../store/hooks.js';
import { ElicitForm } from './ElicitForm.js';

export function ServerRequestDialog() {
  const host = useHost();
  const req = useApp((s) => s.serverRequests[0]);
  const more = useApp((s) => s.serverRequests.length - 1);
  if (!host || !req) return null;
  return (
    // Esc means "not now": an elicitation is cancelled (the spec's dismiss), anything else declined.
    <Modal
      key={req.id}
      testId="server-request-dialog"
      data={{ method: req.method }}
      label={`The server asks: ${req.method}`}
      onClose={() =>
        void (
          req.method === 'elicitation/create'
            ? host.answerServerRequest({ id: req.id, result: { action: 'cancel' } })
            : host.rejectServerRequest({
                id: req.id,
                message: 'The user dismissed the request in mcpscope',
              })
        ).catch(() => undefined)
      }
    >
      <h3>
        The server asks: <SafeText text={req.method} max={100} className="mono" />
        {more > 0 && <small className="dim"> (+{more} more waiting)</small>}
      </h3>
      <Body key={req.id} host={host} req={req} />
    </Modal>
  );
}

function samplingPrompt(params: JsonObject | undefined): string {
  const msgs = Array.isArray(params?.messages) ? params.messages : [];
  return msgs
    .map((m) => {
      const o = typeof m === 'object' && m !== null && !Array.isArray(m) ? m : {};
      const c = o.content as { type?: unknown; text?: unknown } | undefined;
      const text =
        c && c.type === 'text' && typeof c.text === 'string' ? c.text : JSON.stringify(c);
      return `${String(o.role)}: ${text}`;
    })
    .join('\n');
}

function Body({ host, req }: { host: HostApi; req: ServerRequest }) {
  const [error, setError] = useState<string>();
  const answer = (result: JsonObject): void => {
    host
      .answerServerRequest({ id: req.id, result })
      .catch((e: unknown) => setError((e as Error).message));
  };
  const reject = (): void => {
    host
      .rejectServerRequest({ id: req.id, message: 'The user declined the request in mcpscope' })
      .catch((e: unknown) => setError((e as Error).message));
  };

  let body: React.ReactNode;
  if (req.method === 'sampling/createMessage') body = <Sampling req={req} onAnswer={answer} />;
  else if (req.method === 'elicitation/create') body = <Elicitation req={req} onAnswer={answer} />;
  else body = <Generic req={req} onAnswer={answer} />;
  return (
    <>
      {body}
      <div className="row">
        <button type="button" data-testid="server-request-reject" onClick={reject}>
          Reject
        </button>
      </div>
      {error && <p className="err">{error}</p>}
    </>
  );
}

function Sampling({ req, onAnswer }: { req: ServerRequest; onAnswer: (r: JsonObject) => void }) {
  const [text, setText] = useState('');
  const [model, setModel] = useState('mcpscope-manual');
  return (
    <>
      <pre className="result" data-testid="sampling-prompt">
        <SafeText text={samplingPrompt(req.params)} max={20_000} multiline />
      </pre>
      {typeof req.params?.systemPrompt === 'string' && (
        <p className="dim">
          system: <SafeText text={req.params.systemPrompt} max={2000} />
        </p>
      )}
      <label className="field">
        Reply
        <textarea
          rows={4}
          data-testid="sampling-reply"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <label className="field">
        Model name
        <input value={model} onChange={(e) => setModel(e.target.value)} />
      </label>
      <button
        type="button"
        className="primary"
        data-testid="server-request-answer"
        onClick={() =>
          onAnswer({
            role: 'assistant',
            content: { type: 'text', text },
            model,
            stopReason: 'endTurn',
          })
        }
      >
        Send reply
      </button>
    </>
  );
}

function Elicitation({ req, onAnswer }: { req: ServerRequest; onAnswer: (r: JsonObject) => void }) {
  const url =
    req.params?.mode === 'url' && typeof req.params.url === 'string' ? req.params.url : undefined;
  return (
    <>
      <p>
        <SafeText text={req.params?.message ?? ''} max={5000} multiline />
      </p>
      {url !== undefined ? (
        <UrlElicitation url={url} onOpen={() => onAnswer({ action: 'accept' })} />
      ) : (
        <ElicitForm
          schema={req.params?.requestedSchema}
          onAccept={(content) => onAnswer({ action: 'accept', content })}
        />
      )}
      <div className="row">
        <button
          type="button"
          data-testid="elicit-decline"
          onClick={() => onAnswer({ action: 'decline' })}
        >
          Decline
        </button>
        <button
          type="button"
          data-testid="elicit-cancel"
          onClick={() => onAnswer({ action: 'cancel' })}
        >
          Cancel
        </button>
      </div>
    </>
  );
}

/** The parts of a URL to show: the host stands out, so a look-alike address is easier to spot. */
export function urlParts(
  url: string,
): { ok: true; before: string; host: string; after: string } | { ok: false; reason: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, reason: 'this is not a valid URL' };
  }
  // The same rule as the Electron shell's window-open guard: https only, no credentials in it.
  if (u.protocol !== 'https:')
    return { ok: false, reason: `mcpscope opens only https addresses, not ${u.protocol}` };
  if (u.username || u.password)
    return {
      ok: false,
      reason: 'the address carries a user name or password; mcpscope does not open it',
    };
  const i = url.toLowerCase().indexOf(u.host.toLowerCase());
  if (i < 0)
    return {
      ok: true,
      before: `${u.protocol}//`,
      host: u.host,
      after: u.pathname + u.search + u.hash,
    };
  return {
    ok: true,
    before: url.slice(0, i),
    host: url.slice(i, i + u.host.length),
    after: url.slice(i + u.host.length),
  };
}

/**
 * URL mode (2025-11-25): the server wants the user to visit a page of its own (sign-in, payment).
 * The address is shown escaped with its host emphasised; Open opens it in the browser (never
 * inside mcpscope) and tells the server the user agreed; Decline and Cancel are below.
 */
function UrlElicitation({ url, onOpen }: { url: string; onOpen: () => void }) {
  const parts = urlParts(url);
  return (
    <div data-testid="elicit-url">
      <p className="dim">The server asks you to open this address. Check the host before you do:</p>
      <pre className="mono" data-testid="elicit-url-text">
        {parts.ok ? (
          <>
            <SafeText text={parts.before} max={200} />
            <span className="url-host" data-testid="elicit-url-host">
              <SafeText text={parts.host} max={300} />
            </span>
            <SafeText text={parts.after} max={4000} />
          </>
        ) : (
          <SafeText text={url} max={4000} />
        )}
      </pre>
      {parts.ok ? (
        <button
          type="button"
          className="primary"
          data-testid="elicit-url-open"
          onClick={() => {
            window.open(url, '_blank', 'noopener,noreferrer');
            onOpen();
          }}
        >
          Open in the browser
        </button>
      ) : (
        <p className="err" data-testid="elicit-url-problem">
          <SafeText text={parts.reason} max={300} />
        </p>
      )}
    </div>
  );
}

function Generic({ req, onAnswer }: { req: ServerRequest; onAnswer: (r: JsonObject) => void }) {
  const [text, setText] = useState(req.method === 'roots/list' ? '{"roots":[]}' : '{}');
  const [problem, setProblem] = useState<string>();
  return (
    <>
      <pre className="result">
        <SafeText text={JSON.stringify(req.params ?? {}, null, 2)} max={20_000} multiline />
      </pre>
      <label className="field">
        Result (JSON)
        <textarea
          className="mono"
          rows={5}
          value={text}
          data-testid="server-request-json"
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {problem && <p className="err">{problem}</p>}
      <button
        type="button"
        className="primary"
        data-testid="server-request-answer"
        onClick={() => {
          try {
            const v = JSON.parse(text) as unknown;
            if (typeof v !== 'object' || v === null || Array.isArray(v))
              throw new Error('the result must be a JSON object');
            onAnswer(v as JsonObject);
          } catch (e) {
            setProblem((e as Error).message);
          }
        }}
      >
        Send result
      </button>
    </>
  );
}
