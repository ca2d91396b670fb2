// Answers server→client requests (sampling, elicitation, roots) the user has to decide on. One
// dialog at a time, oldest first; everything the server sent is shown as text.

import { useMemo, useState } from 'react';
import type { HostApi, JsonObject, ServerRequest } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { useApp, useHost } from '../store/hooks.js';
import { argsFromForm, fieldsOf, SchemaForm } from './SchemaForm.js';

export function ServerRequestDialog() {
  const host = useHost();
  const req = useApp((s) => s.serverRequests[0]);
  const more = useApp((s) => s.serverRequests.length - 1);
  if (!host || !req) return null;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" data-testid="server-request-dialog" data-method={req.method}>
        <h3>
          The server asks: <SafeText text={req.method} max={100} className="mono" />
          {more > 0 && <small className="dim"> (+{more} more waiting)</small>}
        </h3>
        <Body key={req.id} host={host} req={req} />
      </div>
    </div>
  );
}

function samplingPrompt(params: JsonObject | undefined): string {
  const msgs = Array.isArray(params?.messages) ? params.messages : [];
  return msgs
    .map((m) => {
      const o = typeof m === 'object' && m !== null && !Array.isArray(m) ? m : {};
      const c = o.content as { type?: unknown; text?: unknown } | undefined;
      const text = c && c.type === 'text' && typeof c.text === 'string' ? c.text : JSON.stringify(c);
      return `${String(o.role)}: ${text}`;
    })
    .join('\n');
}

function Body({ host, req }: { host: HostApi; req: ServerRequest }) {
  const [error, setError] = useState<string>();
  const answer = (result: JsonObject): void => {
    host.answerServerRequest({ id: req.id, result }).catch((e: unknown) => setError((e as Error).message));
  };
  const reject = (): void => {
    host.rejectServerRequest({ id: req.id, message: 'The user declined the request in mcpscope' }).catch((e: unknown) => setError((e as Error).message));
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
        <textarea rows={4} data-testid="sampling-reply" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <label className="field">
        Model name
        <input value={model} onChange={(e) => setModel(e.target.value)} />
      </label>
      <button
        type="button"
        className="primary"
        data-testid="server-request-answer"
        onClick={() => onAnswer({ role: 'assistant', content: { type: 'text', text }, model, stopReason: 'endTurn' })}
      >
        Send reply
      </button>
    </>
  );
}

function Elicitation({ req, onAnswer }: { req: ServerRequest; onAnswer: (r: JsonObject) => void }) {
  const fields = useMemo(() => fieldsOf(req.params?.requestedSchema), [req]);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [problem, setProblem] = useState<string>();
  return (
    <>
      <p>
        <SafeText text={req.params?.message ?? ''} max={5000} />
      </p>
      <SchemaForm fields={fields} values={values} onChange={(n, v) => setValues((o) => ({ ...o, [n]: v }))} />
      {problem && <p className="err">{problem}</p>}
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="server-request-answer"
          onClick={() => {
            try {
              onAnswer({ action: 'accept', content: argsFromForm(fields, values) as JsonObject });
            } catch (e) {
              setProblem((e as Error).message);
            }
          }}
        >
          Accept
        </button>
        <button type="button" onClick={() => onAnswer({ action: 'decline' })}>
          Decline
        </button>
        <button type="button" onClick={() => onAnswer({ action: 'cancel' })}>
          Cancel
        </button>
      </div>
    </>
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
        <textarea className="mono" rows={5} value={text} data-testid="server-request-json" onChange={(e) => setText(e.target.value)} />
      </label>
      {problem && <p className="err">{problem}</p>}
      <button
        type="button"
        className="primary"
        data-testid="server-request-answer"
        onClick={() => {
          try {
            const v = JSON.parse(text) as unknown;
            if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('the result must be a JSON object');
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
