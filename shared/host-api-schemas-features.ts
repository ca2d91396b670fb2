// Argument schemas of the feature parts of the host API (export, hosts, replay, findings,
// validation, profiles, interact, fuzz): spread into COMMAND_ARGS (host-api-schemas.ts), so every
// command's argument is checked by zod before its handler runs.

import { z } from 'zod';
import { EXPORT_FORMAT_NAMES } from './host-api-export.js';
import { HOST_ID_LIST, type HostId } from './host-api-hosts.js';
import { MAX_CAPTURE_BYTES_READ } from './host-api-scale.js';
import { UI_STATE_KEYS } from './host-api-uistate.js';
import type { JsonObject } from './host-api.js';
import { isObject } from './json.js';
import { MAX_SUBSCRIBED_SESSIONS } from './host-api-subscriptions.js';
import { retentionPolicySchema } from './retention.js';
import { ARG_MODES, FUZZ_FAMILIES, type ArgMode, type FuzzFamily } from './fuzz/index.js';

const str = (max = 10_000) =>
  z.string({ error: 'must be a string' }).max(max, { error: 'is too long' });
const names = (max = 100) =>
  z.array(str(1000).min(1), { error: 'must be a list of names' }).max(max);
const int = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min)
    .max(max);
const onConnection = { connectionId: str(200) };
/** Commands without an argument accept whatever an adapter sends for "none" (undefined, null). */
const none = z.unknown().transform((): undefined => undefined);
const hostIds = z
  .array(z.enum(HOST_ID_LIST as unknown as [HostId, ...HostId[]]), {
    error: `must be a list of ${HOST_ID_LIST.join(', ')}`,
  })
  .max(20);

const storeUrl = str(4000).regex(/^postgres(ql)?:\/\//, {
  error: 'must be a PostgreSQL URL: postgres://user:password@host:port/database',
});
/** An exportAs file's id (random hex, made by the engine). */
const downloadId = () =>
  str(64).regex(/^[0-9a-f]{32}$/, { error: 'must be the downloadId an exportAs returned' });
const storeId = str(128).regex(/^[A-Za-z0-9_-]+$/, {
  error: 'must be an id (letters, digits, - and _)',
});

const sessionIds = z.object({
  sessionIds: z
    .array(str(200).min(1), { error: 'must be a list of session ids' })
    .max(MAX_SUBSCRIBED_SESSIONS, {
      error: `lists at most ${MAX_SUBSCRIBED_SESSIONS} sessions; subscribe to the ones on screen`,
    }),
});

export const FEATURE_COMMAND_ARGS = {
  readCaptureBytes: z.object({
    sessionId: str(200),
    start: int(0, Number.MAX_SAFE_INTEGER),
    length: int(1, MAX_CAPTURE_BYTES_READ),
  }),
  subscribeSessions: sessionIds,
  unsubscribeSessions: sessionIds,
  addStoreSource: z.object({ url: storeUrl, remember: z.boolean().optional() }),
  listStoreSources: none,
  removeStoreSource: z.object({ sourceId: storeId }),
  listStoreSessions: z.object({
    sourceId: storeId,
    text: str(200).optional(),
    server: str(1000).optional(),
    finding: str(200).optional(),
    since: str(40)
      .refine((s) => !Number.isNaN(new Date(s).getTime()), {
        message: 'must be an ISO 8601 date, e.g. 2026-12-01',
      })
      .optional(),
    limit: int(1, 10_000).optional(),
  }),
  openStoreSession: z.object({ sourceId: storeId, sessionId: storeId }),
  exportAs: z
    .object({
      sessionId: str(200).optional(),
      capture: z.object({ name: str(500), text: str(1024 * 1024 * 1024) }).optional(),
      format: z.enum(EXPORT_FORMAT_NAMES),
      redact: z.boolean().optional(),
      endpoint: str(2000)
        .refine((u) => /^https?:\/\/[^\s/]+/.test(u), {
          message:
            'must be the http:// or https:// URL of an OTLP/HTTP collector, e.g. http://127.0.0.1:4318',
        })
        .optional(),
      encryptTo: z
        .array(
          str(200).regex(/^age1[02-9ac-hj-np-z]{20,}$/, {
            message:
              'must be an age X25519 recipient: age1 followed by lower-case bech32 (from `mcpscope key age-keygen`)',
          }),
        )
        .min(1)
        .max(20)
        .optional(),
      jobId: str(100)
        .regex(/^[A-Za-z0-9_-]+$/, { message: 'letters, digits, _ and - only' })
        .optional(),
    })
    .refine((a) => (a.sessionId === undefined) !== (a.capture === undefined), {
      message: 'give exactly one of sessionId and capture',
    })
    .refine((a) => a.endpoint === undefined || a.format === 'otlp', {
      message: 'endpoint goes with format otlp (it sends traces to a collector)',
    })
    .refine((a) => a.endpoint === undefined || a.encryptTo === undefined, {
      message: 'endpoint sends traces in the clear to a collector: drop encryptTo',
    }),
  exportProgress: z.object({ jobId: str(100) }),
  exportDownload: z.object({ downloadId: downloadId() }),
  exportDiscard: z.object({ downloadId: downloadId() }),
  listHosts: none,
  wrapHosts: z
    .object({
      hosts: hostIds.optional(),
      servers: names().optional(),
      dryRun: z.boolean().optional(),
    })
    .optional()
    .transform((v) => v ?? {}),
  unwrapHosts: z
    .object({ hosts: hostIds.optional(), dryRun: z.boolean().optional() })
    .optional()
    .transform((v) => v ?? {}),
  replaySession: z.object({
    sessionId: str(200),
    ignore: z.array(str(2000)).max(500).optional(),
    timeoutMs: int(1, 600_000).optional(),
  }),
  serveMock: z.object({ sessionId: str(200), strict: z.boolean().optional() }),
  stopMock: z.object({ sessionId: str(200) }),
  getFindings: z.object({ sessionId: str(200) }),
  scanCapture: z.object({ text: str(1024 * 1024 * 1024) }),
  validateToolArgs: z.object({ schema: z.unknown(), arguments: z.unknown() }),
  listProfiles: none,
  deleteProfile: z.object({ name: str(200) }),
  getRoots: z.object(onConnection),
  setRoots: z.object({
    ...onConnection,
    roots: z
      .array(z.object({ uri: str(4000), name: str(500).optional() }), {
        error: 'must be an array of {uri, name?}',
      })
      .max(1000),
  }),
  reconnect: z.object(onConnection),
  listSubscriptions: z.object(onConnection),
  callToolTask: z.object({
    ...onConnection,
    name: str(1000),
    arguments: z
      .custom<JsonObject>((v) => isObject(v), { error: 'must be a JSON object' })
      .optional(),
    ttlMs: int(1, 7 * 24 * 3600_000).optional(),
  }),
  getTask: z.object({ ...onConnection, taskId: str(1000) }),
  getTaskResult: z.object({
    ...onConnection,
    taskId: str(1000),
    timeoutMs: int(1, 3600_000).optional(),
  }),
  listTasks: z.object(onConnection),
  cancelTask: z.object({ ...onConnection, taskId: str(1000) }),
  startFuzz: z.object({
    ...onConnection,
    cases: int(1, 1_000_000).optional(),
    seed: int(-(2 ** 31), 2 ** 31 - 1).optional(),
    timeoutMs: int(1, 600_000).optional(),
    tools: names(1000).optional(),
    families: z
      .array(z.enum(FUZZ_FAMILIES as unknown as [FuzzFamily, ...FuzzFamily[]]))
      .max(10)
      .optional(),
    modes: z
      .array(z.enum(ARG_MODES as unknown as [ArgMode, ...ArgMode[]]))
      .max(10)
      .optional(),
    includeDestructive: z.boolean().optional(),
  }),
  stopFuzz: z.object({ runId: str(200) }),
  listOAuthFlows: none,
  cancelOAuth: z.object(onConnection),
  getUiState: z.object({ key: z.enum(UI_STATE_KEYS) }),
  setUiState: z.object({ key: z.enum(UI_STATE_KEYS), value: z.json() }),
  getAgeIdentity: none,
  setAgeIdentity: z.object({ path: z.string().min(1).max(4096).nullable() }),
  importEncrypted: z.object({
    name: z.string().min(1).max(500),
    b64: z
      .string()
      .max(700 * 1024 * 1024)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
  }),
  importBegin: z.object({
    name: z.string().min(1).max(500),
    size: z
      .number()
      .int()
      .min(1)
      .max(64 * 1024 ** 3),
  }),
  importChunk: z.object({
    uploadId: z.string().min(1).max(100),
    offset: z.number().int().min(0),
    b64: z
      .string()
      .min(1)
      .max(12 * 1024 * 1024)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
  }),
  importFinish: z.object({ uploadId: z.string().min(1).max(100) }),
  importAbort: z.object({ uploadId: z.string().min(1).max(100) }),
  getRetention: none,
  setRetention: z.object({ policy: retentionPolicySchema }),
  runRetention: z.object({
    dryRun: z.boolean({ error: 'must be true (list only) or false (delete)' }),
    policy: retentionPolicySchema.optional(),
  }),
};
