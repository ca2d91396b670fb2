// Interact → Prompts: fill a prompt's arguments, with the server's completions as you type
// (completion/complete, ref/prompt; the other arguments go along as context), and get it.

import { useState } from 'react';
import type { HostApi, JsonObject, McpPrompt } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { CompletionInput } from './CompletionInput.js';
import { newOpId, RunningOp } from './Progress.js';
import { errorResult, ResultView } from './ResultView.js';
import { useList } from './useList.js';

export function PromptsTab({
  host,
  connectionId,
  capabilities,
}: {
  host: HostApi;
  connectionId: string;
  capabilities: JsonObject | undefined;
}) {
  const { items, error } = useList<McpPrompt>(
    async () => (await host.listPrompts({ connectionId })).prompts,
    [connectionId],
  );
  const [sel, setSel] = useState<string>();
  const [args, setArgs] = useState<Record<string, string>>({});
  const [out, setOut] = useState<{ opId: string; result?: JsonObject; failed?: boolean }>();
  const prompt = items.find((p) => p.name === sel);
  const argDefs = Array.isArray(prompt?.arguments)
    ? (prompt.arguments as { name?: unknown; required?: unknown; description?: unknown }[])
    : [];
  const canComplete = capabilities?.completions !== undefined;
  const get = (p: McpPrompt): void => {
    const opId = newOpId('prompt');
    setOut({ opId });
    void host.getPrompt({ connectionId, name: p.name, arguments: args, opId, progress: true }).then(
      (x) => setOut((o) => (o?.opId === opId ? { opId, result: x.result } : o)),
      (e: unknown) =>
        setOut((o) =>
          o?.opId === opId ? { opId, result: errorResult((e as Error).message), failed: true } : o,
        ),
    );
  };
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
              data-name={p.name}
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
          <p className="dim">
            <SafeText text={prompt.description ?? ''} max={2000} />
          </p>
          {argDefs.map((a) =>
            typeof a.name === 'string' ? (
              <label key={a.name} className="field">
                <span title={typeof a.description === 'string' ? a.description : undefined}>
                  <SafeText text={a.name} max={100} />
                  {a.required === true ? ' *' : ''}
                </span>
                <CompletionInput
                  host={host}
                  connectionId={connectionId}
                  completionRef={{ type: 'ref/prompt', name: prompt.name }}
                  name={a.name}
                  value={args[a.name] ?? ''}
                  others={Object.fromEntries(Object.entries(args).filter(([k]) => k !== a.name))}
                  enabled={canComplete}
                  testId="prompt-arg"
                  onChange={(v) => setArgs((o) => ({ ...o, [a.name as string]: v }))}
                />
              </label>
            ) : null,
          )}
          <button
            type="button"
            className="primary"
            data-testid="prompt-get"
            onClick={() => get(prompt)}
          >
            Get prompt
          </button>
          {out && !out.result && (
            <RunningOp
              host={host}
              connectionId={connectionId}
              opId={out.opId}
              testId="prompt-running"
            />
          )}
          {out?.result && (
            <ResultView result={out.result} error={out.failed === true} testId="prompt-result" />
          )}
        </div>
      )}
    </div>
  );
}
