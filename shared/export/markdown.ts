// The Markdown summary, for a pull request or a ticket. Text from the session is either escaped
// (every Markdown and HTML metacharacter, so no link, image or tag can form) or put in a code
// fence longer than any backtick run inside it.

import { visible } from '../text/visible.js';
import { SEVERITIES } from '../detect/types.js';
import { findingPlace, type ReportModel } from './report.js';

/**
 * Inline text: visible escapes; the characters that can form links, images, emphasis, code or
 * table cells backslash-escaped; HTML as entities (so no tag, and no image request, can form).
 */
export function mdText(s: string | number | undefined): string {
  if (s === undefined) return '';
  return visible(String(s))
    .replace(/[\\`*_[\]()!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A fenced block that nothing inside can close. */
export function mdFence(s: string): string {
  const runs = s.match(/`+/g) ?? [];
  const longest = runs.reduce((n, r) => Math.max(n, r.length), 0);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${s.split('\n').map(visible).join('\n')}\n${fence}`;
}

const cell = (s: string | number | undefined) => mdText(s).replace(/\r?\n/g, ' ');

export function renderMarkdown(m: ReportModel): string {
  const out: string[] = [];
  const server = m.handshake.serverInfo;
  out.push(`# mcpscope report: ${mdText(server?.name ?? m.header.source.name ?? m.header.id)}`, '');
  const src = m.header.source;
  out.push(
    `- **Capture**: ${mdText(m.file)} (id ${mdText(m.header.id)}, recorded ${mdText(m.header.created)})`,
  );
  out.push(
    `- **Transport**: ${mdText(src.transport)} ${mdText(src.url ?? src.command?.join(' ') ?? '')}`,
  );
  if (server)
    out.push(
      `- **Server**: ${mdText(server.title ?? server.name)} ${mdText(server.version)} (protocol ${mdText(m.handshake.protocolVersion ?? '?')})`,
    );
  out.push(
    `- **Traffic**: ${m.stats.frames} frames, ${m.stats.requests} requests, ${m.stats.errors} errors over ${(m.stats.durationMs / 1000).toFixed(1)} s`,
  );
  const i = m.integrity;
  out.push(
    `- **Integrity**: ${i.status.toUpperCase()} — ${mdText(i.detail)}.${i.finalHash ? ` Final hash \`${i.finalHash}\`.` : ''}${i.signer ? ` Signed by \`${i.signer}\`.` : ''}`,
  );
  if (m.header.redaction)
    out.push(
      `- **Redacted copy** of capture ${mdText(m.header.redaction.fromId)} (final hash \`${m.header.redaction.from}\`)`,
    );
  out.push(
    m.redacted
      ? `- **Redaction**: on — ${m.redacted.values} values masked (${m.redacted.replacements} replacements)`
      : '- **Redaction**: OFF — this summary may contain secrets in clear',
  );
  out.push('', '## Findings', '');
  const counts = SEVERITIES.slice()
    .reverse()
    .filter((s) => m.counts[s] > 0)
    .map((s) => `${m.counts[s]} ${s}`);
  if (m.findings.length === 0) out.push('No findings.');
  else {
    out.push(`${m.findings.length} findings: ${counts.join(', ')}.`, '');
    out.push('| severity | rule | where | what |', '| --- | --- | --- | --- |');
    for (const f of m.findings.slice(0, 200))
      out.push(
        `| ${f.severity} | ${cell(f.rule)} | ${cell(findingPlace(f))} | ${cell(f.message.length > 300 ? `${f.message.slice(0, 300)}…` : f.message)} |`,
      );
    if (m.findings.length > 200)
      out.push('', `…and ${m.findings.length - 200} more (see the HTML or SARIF export).`);
  }
  if (m.flows.length > 0) {
    out.push(
      '',
      '## Data flow',
      '',
      '| server | data class | direction | count |',
      '| --- | --- | --- | --- |',
    );
    for (const f of m.flows)
      out.push(
        `| ${cell(f.server)} | ${cell(f.dataClass)} | ${f.direction === 'to-server' ? 'sent to' : 'came from'} | ${f.count} |`,
      );
  }
  const tools = m.lists.tools;
  if (tools.length > 0) {
    out.push('', `## Tools (${tools.length})`, '');
    for (const t of tools)
      out.push(
        `- ${mdText(t.name)}${t.worst ? ` — **${t.worst}** (${t.findings} finding${t.findings === 1 ? '' : 's'})` : ''}`,
      );
  }
  const worst = m.findings.find((f) => f.evidence !== undefined);
  if (worst)
    out.push('', `### Top finding evidence (${mdText(worst.rule)})`, '', mdFence(worst.evidence!));
  out.push('', `_Generated ${mdText(m.generated)} by ${mdText(m.tool)}._`, '');
  return out.join('\n');
}
