// Which tools a campaign may call. Safety first: a tool is fuzzed only when it says it is
// read-only, or at least does not say it is destructive, unless the user opts in.

import type { FuzzTool } from './types.js';

export interface ToolSelection {
  fuzzed: FuzzTool[];
  skipped: { name: string; reason: string }[];
}

export function selectTools(
  all: readonly FuzzTool[],
  opts: { only?: readonly string[]; includeDestructive?: boolean },
): ToolSelection {
  const fuzzed: FuzzTool[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const only = opts.only && opts.only.length > 0 ? new Set(opts.only) : undefined;
  for (const t of all) {
    if (only && !only.has(t.name)) continue;
    // MCP defaults: destructiveHint is true unless said otherwise, but only meaningful when readOnlyHint is false.
    const destructive = t.readOnlyHint !== true && t.destructiveHint === true;
    if (destructive && !opts.includeDestructive)
      skipped.push({
        name: t.name,
        reason: 'destructiveHint: true (use --include-destructive to fuzz it)',
      });
    else fuzzed.push(t);
  }
  return { fuzzed, skipped };
}
