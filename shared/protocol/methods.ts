// The MCP method catalogue for the spec revisions mcpscope understands.
// `from` is the side that sends the request/notification.

export const PROTOCOL_VERSIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
export const LATEST_PROTOCOL_VERSION: ProtocolVersion = '2025-11-25';

export type Feature =
  | 'lifecycle'
  | 'utility'
  | 'tools'
  | 'resources'
  | 'prompts'
  | 'completion'
  | 'logging'
  | 'sampling'
  | 'elicitation'
  | 'roots'
  | 'tasks';

export interface MethodInfo {
  method: string;
  type: 'request' | 'notification';
  from: 'client' | 'server' | 'either';
  feature: Feature;
  /** First revision that defines it. */
  since: ProtocolVersion;
  summary: string;
}

const m = (
  method: string,
  type: MethodInfo['type'],
  from: MethodInfo['from'],
  feature: Feature,
  since: ProtocolVersion,
  summary: string,
): MethodInfo => ({ method, type, from, feature, since, summary });

export const METHODS: readonly MethodInfo[] = [
  m(
    'initialize',
    'request',
    'client',
    'lifecycle',
    '2024-11-05',
    'open a session: versions, capabilities, implementation info',
  ),
  m(
    'notifications/initialized',
    'notification',
    'client',
    'lifecycle',
    '2024-11-05',
    'client finished initialization',
  ),
  m('ping', 'request', 'either', 'utility', '2024-11-05', 'liveness check'),
  m(
    'notifications/cancelled',
    'notification',
    'either',
    'utility',
    '2024-11-05',
    'cancel an in-flight request',
  ),
  m(
    'notifications/progress',
    'notification',
    'either',
    'utility',
    '2024-11-05',
    'progress of a long-running request',
  ),
  m('tools/list', 'request', 'client', 'tools', '2024-11-05', 'list tools (paginated)'),
  m('tools/call', 'request', 'client', 'tools', '2024-11-05', 'invoke a tool'),
  m(
    'notifications/tools/list_changed',
    'notification',
    'server',
    'tools',
    '2024-11-05',
    'the tool list changed',
  ),
  m('resources/list', 'request', 'client', 'resources', '2024-11-05', 'list resources (paginated)'),
  m(
    'resources/templates/list',
    'request',
    'client',
    'resources',
    '2024-11-05',
    'list resource templates (paginated)',
  ),
  m('resources/read', 'request', 'client', 'resources', '2024-11-05', 'read a resource'),
  m(
    'resources/subscribe',
    'request',
    'client',
    'resources',
    '2024-11-05',
    'subscribe to a resource',
  ),
  m(
    'resources/unsubscribe',
    'request',
    'client',
    'resources',
    '2024-11-05',
    'unsubscribe from a resource',
  ),
  m(
    'notifications/resources/list_changed',
    'notification',
    'server',
    'resources',
    '2024-11-05',
    'the resource list changed',
  ),
  m(
    'notifications/resources/updated',
    'notification',
    'server',
    'resources',
    '2024-11-05',
    'a subscribed resource changed',
  ),
  m('prompts/list', 'request', 'client', 'prompts', '2024-11-05', 'list prompts (paginated)'),
  m('prompts/get', 'request', 'client', 'prompts', '2024-11-05', 'get a prompt'),
  m(
    'notifications/prompts/list_changed',
    'notification',
    'server',
    'prompts',
    '2024-11-05',
    'the prompt list changed',
  ),
  m(
    'completion/complete',
    'request',
    'client',
    'completion',
    '2024-11-05',
    'argument autocompletion',
  ),
  m('logging/setLevel', 'request', 'client', 'logging', '2024-11-05', 'set the server log level'),
  m('notifications/message', 'notification', 'server', 'logging', '2024-11-05', 'a log message'),
  m(
    'sampling/createMessage',
    'request',
    'server',
    'sampling',
    '2024-11-05',
    'ask the client for an LLM completion',
  ),
  m('roots/list', 'request', 'server', 'roots', '2024-11-05', 'ask the client for its roots'),
  m(
    'notifications/roots/list_changed',
    'notification',
    'client',
    'roots',
    '2024-11-05',
    "the client's roots changed",
  ),
  m(
    'elicitation/create',
    'request',
    'server',
    'elicitation',
    '2025-06-18',
    'ask the user for input via the client',
  ),
  m(
    'notifications/elicitation/complete',
    'notification',
    'server',
    'elicitation',
    '2025-11-25',
    'a URL-mode elicitation finished',
  ),
  m('tasks/get', 'request', 'either', 'tasks', '2025-11-25', 'status of a task'),
  m('tasks/result', 'request', 'either', 'tasks', '2025-11-25', 'result of a task'),
  m('tasks/list', 'request', 'either', 'tasks', '2025-11-25', 'list tasks (paginated)'),
  m('tasks/cancel', 'request', 'either', 'tasks', '2025-11-25', 'cancel a task'),
  m(
    'notifications/tasks/status',
    'notification',
    'either',
    'tasks',
    '2025-11-25',
    'a task changed status',
  ),
];

const byName = new Map(METHODS.map((x) => [x.method, x]));

export function lookupMethod(method: string): MethodInfo | undefined {
  return byName.get(method);
}

export function versionIndex(v: string): number {
  return (PROTOCOL_VERSIONS as readonly string[]).indexOf(v);
}

/** Is `method` defined in revision `version`? Unknown versions are treated as the latest. */
export function isMethodInVersion(method: string, version: string): boolean {
  const info = byName.get(method);
  if (!info) return false;
  const at = versionIndex(version);
  return at < 0 || versionIndex(info.since) <= at;
}

/** JSON-RPC batches were allowed only in 2025-03-26 (added then, removed in 2025-06-18). */
export function batchesAllowed(version: string): boolean {
  return version === '2025-03-26';
}
