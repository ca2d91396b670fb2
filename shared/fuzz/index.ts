// The fuzzer's pure core: case generation (schema, protocol, framing), oracles, minimisation.
export * from './types.js';
export * from './attacks.js';
export { valueArb, setOwn } from './schema-arb.js';
export { mutateInvalid, confuse } from './mutate.js';
export {
  protocolCase,
  framingCase,
  caseId,
  PROTOCOL_MUTATIONS,
  FRAMING_MUTATIONS,
} from './protocol.js';
export {
  planCampaign,
  argsArb,
  subSeed,
  split,
  toolCaseId,
  toolCallLine,
  caseText,
  type PlanOptions,
} from './plan.js';
export {
  judgeToolAnswer,
  leakVerdicts,
  secretVerdicts,
  frameVerdict,
  unexpectedIdVerdict,
  excerpt,
  type Verdict,
  type SchemaCheck,
  type ToolJudgeInput,
} from './oracles.js';
export { minimizeJson, minimizeWith, candidates, weight, type MinimizeBudget } from './minimize.js';
export { lineVariants, chunkVariants, withLines, withChunks, escapeBytes } from './shrink-raw.js';
export { shellQuote, callCommand, rawCommand, bytesCommand, type ReproTarget } from './repro.js';
export { selectTools, type ToolSelection } from './select.js';
