// The fuzzer's domain: what a case is, what a finding is, and the `fuzz --json` report shape
// (PRODUCT.md). Plain JSON-serialisable data so the engine, the CLI and the app share it.

export const FINDING_KINDS = [
  'crash',
  'timeout',
  'protocol-violation',
  'schema-violation',
  'error-leak',
  'sensitive-output',
  'accepted-invalid',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** How a tool case's arguments were made. */
export type ArgMode = 'valid' | 'boundary' | 'invalid' | 'type-confusion' | 'attack';
export const ARG_MODES: readonly ArgMode[] = [
  'valid',
  'boundary',
  'invalid',
  'type-confusion',
  'attack',
];

/** Which families of cases a campaign sends. */
export type FuzzFamily = 'tools' | 'protocol' | 'framing';
export const FUZZ_FAMILIES: readonly FuzzFamily[] = ['tools', 'protocol', 'framing'];

/** A JSON Schema as a server sends it: hostile, any shape. */
export type JsonSchema = Record<string, unknown>;

export interface FuzzTool {
  name: string;
  inputSchema?: JsonSchema;
  outputSchema?: JsonSchema;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
}

/** One tools/call with generated arguments. */
export interface ToolCase {
  family: 'tools';
  index: number;
  tool: string;
  mode: ArgMode;
  /** Usually an object; type confusion may make it anything. */
  args: unknown;
}

/** One or more raw JSON-RPC lines; `ID` in a line is replaced by the case's fresh id. */
export interface ProtocolCase {
  family: 'protocol';
  index: number;
  mutation: string;
  lines: string[];
  /** Ids (as sent, after substitution: idKey form) that a conforming server must answer. */
  mustAnswer: string[];
  /** Ids that may be answered (invalid requests carrying an id, duplicates). */
  mayAnswer: string[];
}

/** Bytes for stdio, written in chunks with a pause between them. */
export interface FramingCase {
  family: 'framing';
  index: number;
  mutation: string;
  /** Each chunk as a binary string (one char per byte, 0–255); written in order with a short pause between. */
  chunks: string[];
  mustAnswer: string[];
  mayAnswer: string[];
}

export type FuzzCase = ToolCase | ProtocolCase | FramingCase;

export interface FuzzFinding {
  kind: FindingKind;
  tool?: string;
  method?: string;
  /** What was sent: a tool case's arguments, or the raw line(s) of a protocol/framing case. */
  input: unknown;
  /** The smallest input found that still triggers the same oracle. */
  minimized?: unknown;
  evidence: string;
  /** Campaign seed and case index: `--seed S` replays the campaign that found it. */
  seed: number;
  case: number;
  mode?: string;
  /** The exact JSON-RPC line that reproduces it (minimised when possible). */
  line: string;
  /** A shell command that reproduces it. */
  reproduce: string;
  /** How many cases triggered the same finding. */
  count: number;
}

export interface FuzzReport {
  cases: number;
  durationMs: number;
  seed: number;
  findings: FuzzFinding[];
  /** Tools fuzzed and tools skipped (with why). */
  tools: { fuzzed: string[]; skipped: { name: string; reason: string }[] };
  restarts: number;
  capture?: string;
}

export interface FuzzProgress {
  cases: number;
  total: number;
  findings: number;
  casesPerSecond: number;
  restarts: number;
  phase: 'starting' | 'fuzzing' | 'minimizing' | 'done';
}
