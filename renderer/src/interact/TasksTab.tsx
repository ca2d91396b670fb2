// Tasks (MCP 2025-11-25): a tool called as a task answers at once with a task; its status is
// polled with tasks/get (at the server's pollInterval, bounded), its result fetched with
// tasks/result (which waits for the end, and carries any input the server needs meanwhile) and
// it can be cancelled with tasks/cancel. The Tasks tab lists the server's tasks (tasks/list).

import { useEffect, useState } from 'react';
import type { HostApi, JsonObject, McpTask } from '../../../shared/host-api.js';
import { SafeText } from '../components/SafeText.js';
import { errorResult, ResultView } from './ResultView.js';

export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const MIN_POLL_MS = 250;
const MAX_POLL_MS = 5000;
/** A task polled this often without ending is left to the Refresh button. */
const MAX_POLLS = 2000;

/** Does the server accept task-augmented tools/call (capabilities.tasks.requests.tools.call)? */
export function serverTasksTools(caps: JsonObject | undefined): boolean {
  const t = caps?.tasks as { requests?: { tools?: { call?: unknown } } } | undefined;
  return typeof t === 'object' && t !== null && t.requests?.tools?.call !== undefined;
}

/** The tool's `execution.taskSupport` ('forbidden' when absent, as the spec says). */
export function taskSupport(tool: JsonObject): 'required' | 'optional' | 'forbidden' {
  const e = tool.execution as { taskSupport?: unknown } | undefined;
  const s = typeof e === 'object' && e !== null ? e.taskSupport : undefined;
  return s === 'required' || s === 'optional' ? s : 'forbidden';
}

function pollDelay(task: McpTask): number {
  const p = typeof task.pollInterval === 'number' ? task.pollInterval : 1000;
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, Number.isFinite(p) ? p : 1000));
}

/** One task: status (polled until it ends), status message, result, Cancel. */
export function TaskView({
  host,
  connectionId,
  initial,
}: {
  host: HostApi;
  connectionId: string;
  initial: McpTask;
}) {
  const [task, setTask] = useState<McpTask>(initial);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<{ result: JsonObject; failed?: boolean }>();
  const [fetching, setFetching] = useState(false);
  const taskId = initial.taskId;
  const ended = TERMINAL.has(task.status);

  useEffect(() => {
    let live = true;
    let n = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = (t: McpTask): void => {
      if (!live || TERMINAL.has(t.status) || ++n > MAX_POLLS) return;
      timer = setTimeout(() => {
        host.getTask({ connectionId, taskId }).then(
          (r) => {
            if (!live) return;
            setTask(r.task);
            poll(r.task);
          },
          (e: unknown) => live && setError((e as Error).message),
        );
      }, pollDelay(t));
    };
    poll(initial);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [host, connectionId, taskId]);

  const fetchResult = (): void => {
    setFetching(true);
    host
      .getTaskResult({ connectionId, taskId, timeoutMs: 600_000 })
      .then(
        (r) => setResult({ result: r.result }),
        (e: unknown) => setResult({ result: errorResult((e as Error).message), failed: true }),
      )
      .finally(() => setFetching(false));
  };
  // A finished task's result is fetched at once, and so is a task waiting for input (the spec's
  // SHOULD): tasks/result delivers the request the task needs (e.g. an elicitation, answered in
  // the dialog). While it works, Get result is the user's call: it waits for the end.
  useEffect(() => {
    if (['completed', 'failed', 'input_required'].includes(task.status)) {
      if (!result && !fetching) fetchResult();
    }
  }, [task.status]);

  return (
    <div className="task-view" data-testid="task-view" data-task={taskId}>
      <p>
        task <SafeText text={taskId} max={200} className="mono" /> ·{' '}
        <b data-testid="task-status">
          <SafeText text={task.status} max={40} />
        </b>
        {typeof task.statusMessage === 'string' && (
          <>
            {' '}
            · <SafeText text={task.statusMessage} max={500} testId="task-status-message" />
          </>
        )}
      </p>
      <div className="row">
        {!ended && (
          <button
            type="button"
            data-testid="task-cancel"
            onClick={() =>
              void host.cancelTask({ connectionId, taskId }).then(
                (r) => setTask(r.task),
                (e: unknown) => setError((e as Error).message),
              )
            }
          >
            Cancel task
          </button>
        )}
        <button
          type="button"
          data-testid="task-result-get"
          disabled={fetching}
          title="tasks/result: waits until the task ends"
          onClick={fetchResult}
        >
          {fetching ? 'Waiting for the result…' : 'Get result'}
        </button>
      </div>
      {error && <SafeText text={error} max={500} className="err" />}
      {result && (
        <ResultView result={result.result} error={result.failed === true} testId="task-result" />
      )}
    </div>
  );
}

export function TasksTab({ host, connectionId }: { host: HostApi; connectionId: string }) {
  const [tasks, setTasks] = useState<McpTask[]>([]);
  const [error, setError] = useState<string>();
  const [sel, setSel] = useState<McpTask>();
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    host.listTasks({ connectionId }).then(
      (r) => {
        if (!live) return;
        setError(undefined);
        setTasks(r.tasks);
      },
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [host, connectionId, n]);
  return (
    <div className="split">
      <ul className="pick-list task-list" data-testid="task-list">
        <li>
          <button type="button" data-testid="tasks-refresh" onClick={() => setN((x) => x + 1)}>
            ↻ refresh ({tasks.length})
          </button>
        </li>
        {error && <li className="err">{error}</li>}
        {tasks.slice(0, 500).map((t) => (
          <li key={t.taskId}>
            <button
              type="button"
              className={sel?.taskId === t.taskId ? 'on' : ''}
              data-testid="task-item"
              data-status={t.status}
              onClick={() => setSel(t)}
            >
              <SafeText text={`${t.status} · ${t.taskId}`} max={120} />
            </button>
          </li>
        ))}
      </ul>
      {sel ? (
        <TaskView key={sel.taskId} host={host} connectionId={connectionId} initial={sel} />
      ) : (
        <p className="dim">
          Tasks of this connection (tasks/list). Start one with “Run as task” on a tool that
          supports tasks.
        </p>
      )}
    </div>
  );
}
