// The standalone HTML audit report: one file, no script at all, no external request (a CSP in a
// meta tag forbids both, and the only style is inline, allowed by its hash), printable. Every
// string goes through `h()`: HTML-escaped and with control/invisible characters made visible, so
// nothing a server sent can become markup.

import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { visible } from '../text/visible.js';
import { SEVERITIES, type Severity } from '../detect/types.js';
import { findingPlace, type ReportModel, type TimelineRow } from './report.js';

const ESC: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape for HTML text and attribute values, after making invisible characters visible. */
export function h(s: string | number | undefined | null): string {
  if (s === undefined || s === null) return '';
  return visible(String(s)).replace(/[&<>"']/g, (c) => ESC[c]!);
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1d2330;--bg:#fff;--muted:#5d6677;--line:#d9dde5;--code:#f4f6f9}
@media (prefers-color-scheme:dark){:root{--fg:#e4e7ee;--bg:#14171d;--muted:#9aa3b3;--line:#2c323d;--code:#1c2029}}
body{font:14px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.muted{color:var(--muted)}code,pre{font:12px/1.4 ui-monospace,monospace;background:var(--code);border-radius:3px}
pre{padding:.5rem;white-space:pre-wrap;word-break:break-all;margin:.3rem 0}code{padding:0 .2rem;word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:.25rem .4rem;text-align:left;vertical-align:top}
th{font-weight:600}.sev{display:inline-block;min-width:5.5em;padding:0 .3rem;border-radius:3px;font-size:12px;font-weight:600;text-align:center}
.critical{background:#7a1020;color:#fff}.high{background:#c0392b;color:#fff}.medium{background:#e0a100;color:#111}.low{background:#5b7fa6;color:#fff}.info{background:#888;color:#fff}
.ok{color:#1e8e3e;font-weight:600}.bad{color:#c0392b;font-weight:600}.warn{color:#b07d00;font-weight:600}
.grid{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}.finding{border:1px solid var(--line);border-radius:4px;padding:.5rem .7rem;margin:.5rem 0;break-inside:avoid}
td.pre{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all;max-width:40rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
`;

function styleHash(): string {
  const bytes = sha256(utf8ToBytes(STYLE));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `sha256-${btoa(bin)}`;
}

export const REPORT_CSP = `default-src 'none'; style-src '${styleHash()}'; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;

const sev = (s: Severity) => `<span class="sev ${s}">${s}</span>`;
const json = (v: unknown) => h(JSON.stringify(v, null, 2));

function integrity(m: ReportModel): string {
  const i = m.integrity;
  const cls = i.status === 'intact' ? 'ok' : i.status === 'altered' ? 'bad' : 'warn';
  const rows = [
    ['status', `<span class="${cls}">${h(i.status.toUpperCase())}</span> — ${h(i.detail)}`],
    ['records checked', h(i.records)],
    [
      'final hash',
      i.finalHash ? `<code>${h(i.finalHash)}</code>` : '<span class="muted">none</span>',
    ],
    [
      'signed by',
      i.signer ? `<code>${h(i.signer)}</code>` : '<span class="muted">not signed</span>',
    ],
  ];
  if (m.header.redaction)
    rows.push([
      'redacted copy of',
      `capture <code>${h(m.header.redaction.fromId)}</code>, final hash <code>${h(m.header.redaction.from)}</code>`,
    ]);
  return `<div class="grid">${rows.map(([k, v]) => `<div class="muted">${k}</div><div>${v}</div>`).join('')}</div>`;
}

function summary(m: ReportModel): string {
  const s = m.stats;
  const src = m.header.source;
  const target = src.url ?? src.command?.join(' ') ?? src.name ?? '';
  const hs = m.handshake;
  const rows: [string, string][] = [
    [
      'capture',
      `<code>${h(m.file)}</code> (id <code>${h(m.header.id)}</code>, recorded ${h(m.header.created)} by ${h(m.header.tool)})`,
    ],
    ['transport', `${h(src.transport)} <code>${h(target)}</code>`],
    [
      'server',
      hs.serverInfo
        ? `${h(hs.serverInfo.title ?? hs.serverInfo.name)} <span class="muted">${h(hs.serverInfo.name)} ${h(hs.serverInfo.version)}</span>`
        : '<span class="muted">no handshake recorded</span>',
    ],
    [
      'traffic',
      `${s.frames} frames, ${s.requests} requests, ${s.errors} errors, ${s.stderr} stderr lines over ${(s.durationMs / 1000).toFixed(1)} s`,
    ],
    [
      'findings',
      SEVERITIES.slice()
        .reverse()
        .map((x) => `${m.counts[x]} ${x}`)
        .join(', '),
    ],
  ];
  if (m.redacted)
    rows.push([
      'redaction',
      `on: ${m.redacted.values} values masked (${m.redacted.replacements} replacements); placeholders read <code>[REDACTED:kind:n]</code>`,
    ]);
  else
    rows.push([
      'redaction',
      '<span class="bad">off: this report may contain secrets in clear</span>',
    ]);
  return `<div class="grid">${rows.map(([k, v]) => `<div class="muted">${k}</div><div>${v}</div>`).join('')}</div>`;
}

function handshake(m: ReportModel): string {
  const hs = m.handshake;
  const parts = [
    `<div class="grid"><div class="muted">protocol</div><div>requested <code>${h(hs.requestedVersion ?? '—')}</code>, agreed <code>${h(hs.protocolVersion ?? '—')}</code></div>`,
    `<div class="muted">client</div><div>${h(hs.clientInfo?.name ?? '—')} ${h(hs.clientInfo?.version)}</div></div>`,
  ];
  if (hs.error)
    parts.push(`<p class="bad">initialize failed: ${h(hs.error.code)} ${h(hs.error.message)}</p>`);
  if (hs.clientCapabilities)
    parts.push(`<h3>Client capabilities</h3><pre>${json(hs.clientCapabilities)}</pre>`);
  if (hs.serverCapabilities)
    parts.push(`<h3>Server capabilities</h3><pre>${json(hs.serverCapabilities)}</pre>`);
  if (hs.instructions) parts.push(`<h3>Server instructions</h3><pre>${h(hs.instructions)}</pre>`);
  return parts.join('');
}

function lists(m: ReportModel): string {
  const out: string[] = [];
  const names = {
    tools: 'Tools',
    prompts: 'Prompts',
    resources: 'Resources',
    resourceTemplates: 'Resource templates',
  } as const;
  for (const kind of ['tools', 'prompts', 'resources', 'resourceTemplates'] as const) {
    const items = m.lists[kind];
    if (items.length === 0) continue;
    out.push(
      `<h3>${names[kind]} (${items.length})</h3><table><tr><th>name</th><th>description</th><th>findings</th></tr>`,
    );
    for (const it of items) {
      const desc = it.description ?? '';
      out.push(
        `<tr><td><code>${h(it.name)}</code>${it.title ? `<br><span class="muted">${h(it.title)}</span>` : ''}</td><td class="pre">${h(desc.length > 600 ? `${desc.slice(0, 600)}…` : desc)}</td><td>${it.worst ? `${sev(it.worst)} ${it.findings}` : '—'}</td></tr>`,
      );
    }
    out.push('</table>');
  }
  return out.length
    ? out.join('')
    : '<p class="muted">The capture holds no tool, prompt or resource listing.</p>';
}

function findings(m: ReportModel): string {
  if (m.findings.length === 0) return '<p class="ok">No findings.</p>';
  return m.findings
    .map(
      (f) =>
        `<div class="finding">${sev(f.severity)} <code>${h(f.rule)}</code> <strong>${h(f.title)}</strong><br><span class="muted">${h(findingPlace(f))}</span><pre>${h(f.message)}</pre>${f.evidence !== undefined ? `<div class="muted">evidence</div><pre>${h(f.evidence)}</pre>` : ''}</div>`,
    )
    .join('');
}

function flows(m: ReportModel): string {
  if (m.flows.length === 0)
    return '<p class="muted">No sensitive data classes crossed the wire.</p>';
  const rows = m.flows.map(
    (f) =>
      `<tr><td>${h(f.server)}</td><td><code>${h(f.dataClass)}</code></td><td>${f.direction === 'to-server' ? 'sent to the server' : 'came from the server'}</td><td>${f.count}</td><td>${sev(f.severity)}</td><td>${h(f.seqs.slice(0, 12).join(', '))}</td></tr>`,
  );
  return `<table><tr><th>server</th><th>data class</th><th>direction</th><th>count</th><th>worst</th><th>seq</th></tr>${rows.join('')}</table>`;
}

function masked(m: ReportModel): string {
  if (!m.redacted || m.redacted.masked.length === 0) return '';
  const rows = m.redacted.masked.map(
    (v) =>
      `<tr><td><code>${h(v.placeholder)}</code></td><td>${h(v.dataClass)}</td><td><code>${h(v.masked)}</code></td><td>${v.count}</td></tr>`,
  );
  return `<h2>What was masked</h2><table><tr><th>placeholder</th><th>class</th><th>preview</th><th>occurrences</th></tr>${rows.join('')}</table>`;
}

function row(r: TimelineRow): string {
  const what = [
    r.kind,
    r.method ? `<code>${h(r.method)}</code>` : '',
    r.id !== undefined ? `id ${h(r.id)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `<tr><td>${r.seq}</td><td>${(r.t / 1000).toFixed(3)}</td><td>${h(r.dir)}</td><td>${what}${r.error ? `<br><span class="bad">${h(r.error)}</span>` : ''}</td><td>${r.latencyMs !== undefined ? `${r.latencyMs.toFixed(1)} ms` : ''}</td><td>${r.findings || ''}</td><td class="pre">${h(r.preview)}</td></tr>`;
}

export function renderHtml(m: ReportModel): string {
  const title = `mcpscope audit report — ${m.handshake.serverInfo?.name ?? m.header.source.name ?? m.header.id}`;
  const rows = m.timeline.map(row).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(title)}</title>
<style>${STYLE}</style></head>
<body>
<h1>${h(title)}</h1>
<p class="muted">Generated ${h(m.generated)} by ${h(m.tool)}. Everything quoted from the session is shown as inert text.</p>
<h2>Summary</h2>${summary(m)}
<h2>Integrity</h2>${integrity(m)}
<h2>Findings (${m.findings.length})</h2>${findings(m)}
<h2>Data flow</h2>${flows(m)}
<h2>Handshake</h2>${handshake(m)}
<h2>Capabilities</h2>${lists(m)}
${masked(m)}
<h2>Timeline (${m.timeline.length + m.omittedRows} events)</h2>
${m.omittedRows > 0 ? `<p class="muted">The first ${m.timeline.length} are listed; ${m.omittedRows} more are in the capture (open it with <code>mcpscope show</code> or the app).</p>` : ''}
<table><tr><th>seq</th><th>t (s)</th><th>dir</th><th>message</th><th>latency</th><th>findings</th><th>content</th></tr>
${rows}
</table>
</body></html>
`;
}
