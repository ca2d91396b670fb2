// Call one tool: form or raw JSON (validated against the input schema), a progress bar and
// Cancel while it runs, or run it as a task (MCP 2025-11-25) when the tool and server allow.

import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { HostApi, JsonObject, McpTask, McpTool } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { errorResult, ResultView } from './ResultView.js';
import { argsFromForm, fieldsOf, SchemaForm } from './SchemaForm.js';
import { newOpId, RunningOp } from './Progress.js';
import { serverTasksTools, taskSupport, TaskView } from './TasksTab.js';
import { validateArgs } from './validate.js';

export interface ToolCallerProps {
  host: HostApi;
  connectionId: string;
  tool: McpTool;
  /** The server's capabilities (tasks). */
  capabilities?: JsonObject | undefined;
  /** Open a resource a result links to. */
  onOpenResource?: (uri: string) => void;
}

const JsonEditor = lazy(() => import('../monaco/JsonEditor.js'));

export function ToolCaller(props: ToolCallerProps) {
  const { host, connectionId, tool, onOpenResource } = props;
  const fields = useMemo(() => fieldsOf(tool.inputSchema), [tool]);
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [json, setJson] = useState('{}');
  const [running, setRunning] = useState<string | undefined>();
  const [result, setResult] = useState<{ result: JsonObject; failed?: boolean } | undefined>();
  const [task, setTask] = useState<McpTask>();
  const support = taskSupport(tool);
  const asTask = support !== 'forbidden' && serverTasksTools(props.capabilities);

  const parsed = useMemo((): { args?: Record<string, unknown>; problems: string[] } => {
    try {
      const args = tab === 'form' ? argsFromForm(fields, values) : (JSON.parse(json) as unknown);
      if (typeof args !== 'object' || args === null || Array.isArray(args))
        return { problems: ['arguments must be a JSON object'] };
      const errs = validateArgs(tool.inputSchema, args);
      return {
        args: args as Record<string, unknown>,
        problems: errs.map((e) => `${e.path}: ${e.message}`),
      };
    } catch (e) {
      return { problems: [(e as Error).message] };
    }
  }, [tab, fields, values, json, tool]);

  // The full check (ajv: $ref, oneOf, format, pattern) runs in the engine with a time budget;
  // a hostile pattern costs the engine's worker, never this thread.
  const [engineProblems, setEngineProblems] = useState<string[]>([]);
  useEffect(() => {
    setEngineProblems([]);
    if (!parsed.args || parsed.problems.length > 0) return;
    let live = true;
    const t = setTimeout(() => {
      host
        .validateToolArgs({ schema: tool.inputSchema, arguments: parsed.args })
        .then((r) => live && setEngineProblems(r.errors.map((e) => `${e.path}: ${e.message}`)))
        .catch(() => undefined); // no engine (imported captures only): the structural check stands
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [host, tool, parsed]);
  const problems = parsed.problems.length > 0 ? parsed.problems : engineProblems;

  const call = async (): Promise<void> => {
    if (!parsed.args) return;
    const opId = newOpId('tool');
    setRunning(opId);
    setResult(undefined);
    setTask(undefined);
    try {
      const r = await host.callTool({
        connectionId,
        name: tool.name,
        arguments: parsed.args as JsonObject,
        opId,
        progress: true,
      });
      setResult({ result: r.result });
    } catch (e) {
      setResult({ result: errorResult((e as Error).message), failed: true });
    } finally {
      setRunning(undefined);
    }
  };

  const callAsTask = async (): Promise<void> => {
    if (!parsed.args) return;
    setResult(undefined);
    setTask(undefined);
    try {
      const r = await host.callToolTask({
        connectionId,
        name: tool.name,
        arguments: parsed.args as JsonObject,
      });
      setTask(r.task);
    } catch (e) {
      setResult({ result: errorResult((e as Error).message), failed: true });
    }
  };

  return (
    <div className="tool-caller" data-testid="tool-caller">
      <h4>
        <SafeText text={tool.name} max={200} className="mono" />
      </h4>
      <p className="dim">
        <SafeText text={tool.description ?? ''} max={3000} />
      </p>
      <nav className="tabs">
        <button
          type="button"
          className={tab === 'form' ? 'on' : ''}
          onClick={() => setTab('form')}
          data-testid="tool-tab-form"
        >
          Form
        </button>
        <button
          type="button"
          className={tab === 'json' ? 'on' : ''}
          data-testid="tool-tab-json"
          onClick={() => {
            if (parsed.args) setJson(JSON.stringify(parsed.args, null, 2));
            setTab('json');
          }}
        >
          Raw JSON
        </button>
      </nav>
      {tab === 'form' ? (
        <SchemaForm
          fields={fields}
          values={values}
          onChange={(n, v) => setValues((old) => ({ ...old, [n]: v }))}
        />
      ) : (
        <Suspense
          fallback={
            <textarea
              className="mono"
              rows={8}
              value={json}
              spellCheck={false}
              onChange={(e) => setJson(e.target.value)}
            />
          }
        >
          <JsonEditor
            value={json}
            onChange={setJson}
            schema={tool.inputSchema}
            testId="tool-json"
          />
        </Suspense>
      )}
      {problems.length > 0 && (
        <ul className="problems" data-testid="tool-problems">
          {problems.map((p) => (
            <li key={p}>
              <SafeText text={p} max={300} />
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        {/* Invalid arguments can still be sent on purpose (testing a server's validation). */}
        <button
          type="button"
          className="primary"
          data-testid="tool-call"
          data-invalid={problems.length > 0 ? 'true' : undefined}
          disabled={!parsed.args || running !== undefined}
          onClick={() => void call()}
        >
          {problems.length > 0 ? 'Call anyway' : 'Call'} {running ? '…' : ''}
        </button>
        {asTask && (
          <button
            type="button"
            className={support === 'required' ? 'primary' : ''}
            data-testid="tool-call-task"
            disabled={!parsed.args || running !== undefined}
            title="tools/call with a task: the server answers at once and works in the background"
            onClick={() => void callAsTask()}
          >
            Run as task
          </button>
        )}
        {support === 'required' && !asTask && (
          <span className="dim">
            This tool must run as a task, but the server does not declare tasks for tools/call.
          </span>
        )}
      </div>
      {running && (
        <RunningOp host={host} connectionId={connectionId} opId={running} testId="tool-running" />
      )}
      {task && (
        <TaskView key={task.taskId} host={host} connectionId={connectionId} initial={task} />
      )}
      {result && (
        <ResultView
          result={result.result}
          error={result.failed === true}
          testId="tool-result"
          {...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {})}
          {...(onOpenResource ? { onOpenResource } : {})}
        />
      )}
    </div>
  );
}
