// Redacting a whole capture: learn from every record first, then rewrite each one. The result is
// a new capture (re-chained by the writer) whose header says it was redacted, from which original
// (that file's final hash and id) and by which rules.

import { redactArgs, redactUrl } from '../capture/redact.js';
import type { EventRecord, HeaderRecord, RedactionInfo } from '../capture/types.js';
import type { Finding } from '../detect/types.js';
import { REDACTION_RULES, Redactor } from './redact.js';

/**
 * Pass 1: everything the redactor should know about one record. `detected`: the caller already
 * fed the detectors' findings for frames and stderr (learnFindings), so their text is not
 * searched a second time; structural rules (secret-named keys, headers, flags) still run.
 */
export function learnRecord(red: Redactor, r: EventRecord | HeaderRecord, detected = false): void {
  switch (r.type) {
    case 'header':
      if (r.source.command) red.learnArgs(r.source.command);
      if (r.source.url) red.learnUrl(r.source.url);
      return;
    case 'frame':
      if (r.text !== undefined) red.learnFrame(r.text, detected);
      return;
    case 'stderr':
      if (r.text !== undefined && !detected) red.learnText(r.text);
      return;
    case 'spawn':
      red.learnArgs([r.command, ...r.args]);
      return;
    case 'http':
      for (const [k, v] of Object.entries(r.headers)) red.learnHeader(k, v);
      if (r.path !== undefined) red.learnUrl(`http://x${r.path}`);
      return;
    case 'error':
      red.learnText(r.message);
      red.learnUrl(r.message);
      return;
    case 'note':
      red.learnText(r.text);
      return;
    default:
      return;
  }
}

/** Learn every sensitive value the detectors located (secrets and personal data, secretlint's included). */
export function learnFindings(
  red: Redactor,
  findings: readonly Finding[],
  textOf: (seq: number) => string | undefined,
): void {
  for (const f of findings) {
    const t = f.target;
    if (!f.dataClass || t.seq === undefined || !t.range) continue;
    const text = textOf(t.seq);
    if (text !== undefined) red.learnRaw(text.slice(t.range[0], t.range[1]), f.dataClass);
  }
}

/** Pass 2: the record with every learned value replaced. */
export function redactRecord(red: Redactor, r: EventRecord): EventRecord {
  switch (r.type) {
    case 'frame':
      if (r.text !== undefined) {
        const text = red.applyFrame(r.text);
        return text === r.text ? r : { ...r, text };
      }
      // Bytes that are not UTF-8 cannot be searched reliably: kept out of a redacted export.
      if (r.b64 !== undefined) {
        const { b64: _b64, ...rest } = r;
        return {
          ...rest,
          text: `[REDACTED:binary frame of ${Math.floor((r.b64.length * 3) / 4)} bytes]`,
        };
      }
      return r;
    case 'stderr':
      if (r.text !== undefined) return { ...r, text: red.apply(r.text) };
      if (r.b64 !== undefined) {
        const { b64: _b64, ...rest } = r;
        return { ...rest, text: '[REDACTED:binary stderr]' };
      }
      return r;
    case 'spawn':
      return {
        ...r,
        command: red.apply(r.command),
        args: redactArgs(r.args).map((a) => red.apply(a)),
      };
    case 'http': {
      const headers: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const [k, v] of Object.entries(r.headers)) headers[k] = red.apply(v);
      const out: EventRecord = { ...r, headers: { ...headers } };
      if (r.path !== undefined) out.path = red.apply(r.path);
      return out;
    }
    case 'error':
      return { ...r, message: red.apply(r.message) };
    case 'note':
      return { ...r, text: red.apply(r.text) };
    default:
      return r;
  }
}

/** The header of the redacted copy (call after pass 1, so `values` counts everything learned). */
export function redactHeader(
  red: Redactor,
  h: HeaderRecord,
  info: Pick<RedactionInfo, 'from' | 'fromId'>,
): HeaderRecord {
  const source = { ...h.source };
  if (source.command) source.command = redactArgs(source.command).map((a) => red.apply(a));
  if (source.url) source.url = red.apply(redactUrl(source.url));
  const redaction: RedactionInfo = { ...info, rules: REDACTION_RULES, values: red.learned };
  return { ...h, source, redaction };
}
