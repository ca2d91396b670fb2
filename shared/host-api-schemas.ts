// Zod schemas of every host-api command's argument: they give the argument types (host-api.ts
// re-exports them) AND the runtime check the engine runs before acting, since the adapters
// deliver whatever a WebSocket or IPC peer sent. A new command adds its schema to COMMAND_ARGS
// (the compiler lists a missing one).

import { z } from 'zod';
import { httpTargetSchema, stdioTargetSchema, stringMap } from './target.js';
import { FEATURE_COMMAND_ARGS } from './host-api-schemas-features.js';
import { HostApiError, type CommandArgs, type CommandName, type JsonObject } from './host-api.js';
import { isObject } from './json.js';

// ---------------------------------------------------------------------------------------------
// Building blocks: each says what is wrong in words (see describeIssue).

/** A non-empty string of at most `max` characters. */
export const str = (max = 10_000) =>
  z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(max, { error: 'is too long' });
/** An optional string (may be empty) of at most `max` characters. */
export const optStr = (max = 10_000) =>
  z.string({ error: 'must be a string' }).max(max, { error: 'is too long' }).optional();
export const int = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
export const bool = () => z.boolean({ error: 'must be true or false' });
/** Arguments arrive as JSON (WebSocket) or a structured clone of JSON (IPC): an object is JSON. */
export const jsonObject = () =>
  z.custom<JsonObject>((v) => isObject(v), { error: 'must be a JSON object' });
const noArgs = z.unknown().transform((): undefined => undefined);

const MAX_TIMEOUT_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Connections

const clientOptions = {
  /** Label shown in the UI and written into the capture source. */
  name: optStr(200),
  /** Protocol version sent in `initialize` (default: the SDK's latest). */
  protocolVersion: optStr(50),
  /** Client capabilities to declare; answered via onServerRequest. Default: all declared. */
  capabilities: z
    .object(
      { sampling: bool().optional(), elicitation: bool().optional(), roots: bool().optional() },
      { error: 'must be a JSON object' },
    )
    .optional(),
  /** Roots offered when the server asks (roots/list). */
  roots: z
    .array(z.object({ uri: str(), name: optStr() }), { error: 'must be an array of {uri, name?}' })
    .optional(),
  /** Per-request timeout in ms. */
  timeoutMs: int(1, MAX_TIMEOUT_MS).optional(),
};

export const stdioProfileSchema = stdioTargetSchema.extend(clientOptions);
/**
 * `bearerToken` is sent as `Authorization: Bearer …` and masked in the capture. `auth: "oauth"`
 * runs the OAuth flow before connecting (host-api-oauth.ts); a profile keeps it, never a token.
 */
export const httpProfileSchema = httpTargetSchema.extend({
  ...clientOptions,
  bearerToken: optStr(),
  auth: z.literal('oauth', { error: 'must be "oauth" (or left out)' }).optional(),
});
export const connectionProfileSchema = z.discriminatedUnion(
  'transport',
  [stdioProfileSchema, httpProfileSchema],
  {
    error: 'must be "stdio", "streamable-http" or "sse"',
  },
);

export type ClientOptions = z.infer<z.ZodObject<typeof clientOptions>>;
export type StdioProfile = z.infer<typeof stdioProfileSchema>;
export type HttpProfile = z.infer<typeof httpProfileSchema>;
/** A target plus how to talk to it: what `connect` takes and the UI saves. */
export type ConnectionProfile = z.infer<typeof connectionProfileSchema>;

const onConnection = { connectionId: str() };
const operation = {
  /** Caller-chosen id, to `cancel` this operation while it runs. */
  opId: optStr(200),
  /** Ask for progress notifications (sends a progressToken; progress arrives via onNotification). */
  progress: bool().optional(),
  timeoutMs: int(1, MAX_TIMEOUT_MS).optional(),
};
const onConnectionSchema = z.object(onConnection);
const uriSchema = z.object({ ...onConnection, uri: str() });
export const callToolArgsSchema = z.object({
  ...onConnection,
  ...operation,
  name: str(),
  arguments: jsonObject().optional(),
});
export const sendRawArgsSchema = z.object({
  ...onConnection,
  /** The JSON-RPC message exactly as typed; it may be invalid on purpose. */
  text: str(64 * 1024 * 1024),
  /** How long to wait for an answer when the message is a request (default 10 s). */
  timeoutMs: int(1, 600_000).optional(),
});
export const cancelArgsSchema = z.object({ ...onConnection, opId: str(), reason: optStr() });
export const answerServerRequestArgsSchema = z.object({ id: str(), result: jsonObject() });
export const rejectServerRequestArgsSchema = z.object({
  id: str(),
  code: int(-2_147_483_648, 2_147_483_647).optional(),
  message: str(),
});
export const recorderRequestSchema = z.discriminatedUnion(
  'transport',
  [
    z.object({
      transport: z.literal('stdio'),
      name: optStr(200),
      command: str(),
      args: z.array(z.string(), { error: 'must be an array of strings' }).optional(),
      env: stringMap().optional(),
      out: optStr(),
    }),
    z.object({
      transport: z.literal('http'),
      name: optStr(200),
      target: str(),
      listen: optStr(200),
      out: optStr(),
    }),
  ],
  { error: 'must be "stdio" or "http"' },
);

export type OnConnection = z.infer<typeof onConnectionSchema>;
export type OperationOptions = z.infer<z.ZodObject<typeof operation>>;
export type CallToolArgs = z.infer<typeof callToolArgsSchema>;
export type SendRawArgs = z.infer<typeof sendRawArgsSchema>;
export type CancelArgs = z.infer<typeof cancelArgsSchema>;
export type AnswerServerRequestArgs = z.infer<typeof answerServerRequestArgsSchema>;
export type RejectServerRequestArgs = z.infer<typeof rejectServerRequestArgsSchema>;
export type RecorderRequest = z.infer<typeof recorderRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Sessions

const sessionRef = z.object({ sessionId: str() });
export const readRecordsArgsSchema = z.object({
  sessionId: str(),
  /** First seq wanted (default 1: the first record after the header). */
  fromSeq: int(0, Number.MAX_SAFE_INTEGER).optional(),
  /** At most this many records (default 5000, capped at 50000). */
  limit: int(1, 50_000).optional(),
});
export const importCaptureArgsSchema = z.object({
  /** File name shown to the user (used for the stored copy). */
  name: str(500),
  /** The capture file's text (JSON Lines). */
  text: str(1024 * 1024 * 1024),
});
export type ReadRecordsArgs = z.infer<typeof readRecordsArgsSchema>;
export type ImportCaptureArgs = z.infer<typeof importCaptureArgsSchema>;

// ---------------------------------------------------------------------------------------------
// The map, and the check

type ArgsSchemas = { [K in CommandName]: z.ZodType<CommandArgs<K>, unknown> };

export const COMMAND_ARGS: ArgsSchemas = {
  appInfo: noArgs,
  listSessions: noArgs,
  getSession: sessionRef,
  readRecords: readRecordsArgsSchema,
  importCapture: importCaptureArgsSchema,
  exportCapture: sessionRef,
  deleteSession: sessionRef,
  rescanCaptures: noArgs,
  verifySession: sessionRef,
  listConnections: noArgs,
  connect: connectionProfileSchema,
  disconnect: onConnectionSchema,
  listTools: onConnectionSchema,
  listResources: onConnectionSchema,
  listResourceTemplates: onConnectionSchema,
  listPrompts: onConnectionSchema,
  callTool: callToolArgsSchema,
  readResource: z.object({ ...onConnection, ...operation, uri: str() }),
  subscribeResource: uriSchema,
  unsubscribeResource: uriSchema,
  getPrompt: z.object({
    ...onConnection,
    ...operation,
    name: str(),
    arguments: stringMap().optional(),
  }),
  complete: z.object({
    ...onConnection,
    ref: jsonObject(),
    argument: z.object(
      {
        name: str(),
        value: z
          .string({ error: 'must be a string' })
          .max(10_000, { error: 'is too long' })
          .default(''),
      },
      { error: 'must be a JSON object' },
    ),
    context: jsonObject().optional(),
  }),
  setLoggingLevel: z.object({ ...onConnection, level: str(20) }),
  ping: onConnectionSchema,
  sendRaw: sendRawArgsSchema,
  cancel: cancelArgsSchema,
  listServerRequests: noArgs,
  answerServerRequest: answerServerRequestArgsSchema,
  rejectServerRequest: rejectServerRequestArgsSchema,
  recorderInstructions: recorderRequestSchema,
  saveProfile: z.object({ name: str(200), profile: connectionProfileSchema }),
  ...FEATURE_COMMAND_ARGS,
};

/** One issue in words: `"key.sub" must be …`, or for the argument itself, what it must be. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (path === '')
    return issue.code === 'invalid_type' ? 'expects one argument object' : issue.message;
  return `"${path}" ${issue.message}`;
}

/** The argument of `name`, checked; a HostApiError('bad-request') says what was wrong. */
export function checkCommandArgs<K extends CommandName>(name: K, args: unknown): CommandArgs<K> {
  const schema = COMMAND_ARGS[name] as z.ZodType<CommandArgs<K>, unknown>;
  const r = schema.safeParse(args);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new HostApiError(
    'bad-request',
    `${name}: ${issue ? describeIssue(issue) : 'invalid argument'}`,
  );
}
