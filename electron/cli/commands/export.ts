// mcpscope export: fixtures, reports and redacted captures from a capture file. Thin: parse the
// arguments, call the engine's export pipeline, say where the output went and what was masked.

import { resolve } from 'node:path';
import { HarError } from '../../../shared/export/har.js';
import { VitestExportError } from '../../../shared/export/vitest.js';
import {
  defaultOut,
  EXPORT_FORMATS,
  ExportError,
  exportCapture,
  type ExportFormat,
  type ExportResult,
} from '../../engine/export/export.js';
import { parseRecipients } from '../../engine/capture/age.js';
import { OtlpEndpointError } from '../../engine/export/otlp.js';
import { withStoreSessions } from './store-open.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { safe } from '../format.js';

export const usage = `usage: mcpscope export FILE --format ${EXPORT_FORMATS.join('|')} [--out PATH|-] [--no-redact] [--encrypt-to RECIPIENT…]
       mcpscope export FILE --format otlp --endpoint URL [--out PATH|-] [--no-redact]
       mcpscope export SESSION --from postgres://… --format … [--out PATH] [--no-redact] [--encrypt-to R…]

Turns a capture into a test fixture, a report or a shareable capture. Secrets and personal data
(the same rules as \`mcpscope scan\`, plus values of secret-named keys, headers and flags) are
replaced by stable placeholders such as [REDACTED:github-token:1] unless --no-redact is given.
  --format jsonl    the capture, redacted and re-chained (it verifies; its header names the original)
  --format vitest   a standalone Vitest file replaying the session against the recorded server
                    (or MCPSCOPE_TARGET): npx vitest run FILE
  --format har      HAR 1.2 of an HTTP session (Chrome DevTools → Network → Import HAR)
  --format sarif    SARIF 2.1.0 findings, located by capture line and JSON pointer
  --format html     a standalone audit report (no script, no external request; printable)
  --format md       a Markdown summary for a pull request or a ticket
  --format otlp     OpenTelemetry traces (OTLP/JSON ExportTraceServiceRequest): one span per
                    exchange under a session span, MCP semantic conventions, findings as events
options:
  --out PATH        where to write (default: beside FILE, e.g. FILE.report.html); - for stdout
  --endpoint URL    otlp only: POST the traces to an OTLP/HTTP collector (URL/v1/traces, e.g.
                    http://127.0.0.1:4318); nothing is written unless --out is given too
  --no-redact       keep every byte as recorded (the output may then contain live secrets)
  --encrypt-to R    encrypt the output with age to recipient R (age1…, from \`mcpscope key
                    age-keygen\` or \`age-keygen\`) or to every recipient listed in file R; may be
                    given several times. Encrypted as it streams: only the encrypted file is
                    written (default FILE.<ext>.age), the plaintext never; open it with
                    --identity in verify, show, scan, ui. --format defaults to jsonl.
  --from URL        SESSION is a session in the team store (default --out: SESSION.EXT here)
Exit: 0 written, 1 the capture cannot be exported in that format, 2 usage.`;

interface ExportFlags {
  help?: boolean;
  format?: string;
  out?: string;
  endpoint?: string;
  'no-redact'?: boolean;
  'encrypt-to'?: string[];
  from?: string;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<ExportFlags>(
    argv,
    {
      help: { type: 'boolean', short: 'h' },
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      endpoint: { type: 'string' },
      'no-redact': { type: 'boolean' },
      'encrypt-to': { type: 'string', multiple: true },
      from: { type: 'string' },
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `export takes exactly one capture file (or one session with --from).\n\n${usage}`,
    );
  const encryptTo = values['encrypt-to'];
  if (encryptTo !== undefined) values.format ??= 'jsonl';
  if (values.format === undefined)
    throw new UsageError(`which format? Give --format ${EXPORT_FORMATS.join('|')}.\n\n${usage}`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(
      `--format "${values.format}": expected one of ${EXPORT_FORMATS.join(', ')}.`,
    );
  }
  const format = values.format as ExportFormat;
  if (values.endpoint !== undefined && format !== 'otlp')
    throw new UsageError(`--endpoint goes with --format otlp (it sends traces to a collector).`);
  if (values.endpoint !== undefined && encryptTo !== undefined)
    throw new UsageError('--endpoint sends traces in the clear to a collector: drop --encrypt-to.');
  const endpoint = values.endpoint;
  const redact = values['no-redact'] !== true;
  let recipients: string[] | undefined;
  if (encryptTo !== undefined) {
    if (values.out === '-')
      throw new UsageError(
        '--encrypt-to writes a binary age file: give --out PATH (not -) or omit --out.',
      );
    recipients = parseRecipients(encryptTo);
  }
  if (values.from !== undefined) {
    const id = positionals[0]!;
    // Default output: in the current folder, named by the session (not beside a temporary file).
    const out =
      values.out ??
      `${defaultOut(resolve(`${id}.mcpscope.jsonl`), format)}${recipients !== undefined ? '.age' : ''}`;
    const code = await withStoreSessions(values.from, [id], 'export', io, (files) =>
      exportOne({ file: files.get(id)!, format, redact, out, recipients, endpoint }, io),
    );
    return code ?? 1;
  }
  return exportOne(
    { file: positionals[0]!, format, redact, out: values.out, recipients, endpoint },
    io,
  );
}

interface ExportOne {
  file: string;
  format: ExportFormat;
  redact: boolean;
  out: string | undefined;
  /** age recipients: the output is encrypted as it is written. */
  recipients: string[] | undefined;
  /** otlp: the OTLP/HTTP collector to send the traces to. */
  endpoint: string | undefined;
}

async function exportOne(
  { file, format, redact, out, recipients, endpoint }: ExportOne,
  io: Io,
): Promise<number> {
  let result: ExportResult;
  try {
    result = await exportCapture({
      file,
      format,
      redact,
      ...(out !== undefined ? { out } : {}),
      ...(endpoint !== undefined ? { endpoint } : {}),
      // Encrypted as it streams into the file: the plaintext is never written.
      ...(recipients !== undefined ? { encryptTo: recipients } : {}),
      // To stdout: streamed as it is produced (any size).
      ...(out === '-' ? { write: (c: string) => io.out(c) } : {}),
    });
  } catch (e) {
    if (
      e instanceof HarError ||
      e instanceof VitestExportError ||
      e instanceof ExportError ||
      e instanceof OtlpEndpointError
    ) {
      io.err(`mcpscope export: ${safe(e.message)}\n`);
      return 1;
    }
    throw e;
  }
  if (result.text !== undefined) io.out(result.text);
  const masked = result.redaction
    ? `redacted: ${result.redaction.values} value${result.redaction.values === 1 ? '' : 's'} (${result.redaction.replacements} replacement${result.redaction.replacements === 1 ? '' : 's'})`
    : 'NOT redacted: the output holds every value as recorded';
  const written = [
    ...(result.sent !== undefined ? [`sent to ${safe(result.sent)}`] : []),
    ...(result.path !== undefined
      ? [`wrote ${safe(result.path)}`]
      : result.text !== undefined || result.sent === undefined
        ? ['wrote to stdout']
        : []),
  ].join(', ');
  const where =
    written +
    (result.encryptedTo
      ? ` encrypted with age to ${result.encryptedTo} recipient${result.encryptedTo === 1 ? '' : 's'}`
      : '');
  io.err(
    `mcpscope export: ${where} (${format}, ${result.encryptedBytes ?? result.bytes} bytes, ${result.findings} finding${result.findings === 1 ? '' : 's'}); ${masked}\n`,
  );
  if (result.redaction && result.redaction.masked.length > 0) {
    for (const v of result.redaction.masked.slice(0, 20))
      io.err(`  ${v.placeholder}  ${safe(v.dataClass)}  ${safe(v.masked)}  ×${v.count}\n`);
    if (result.redaction.masked.length > 20)
      io.err(`  …and ${result.redaction.masked.length - 20} more\n`);
  }
  if (format === 'vitest' && result.path !== undefined)
    io.err(`run it: npx vitest run ${safe(result.path)}\n`);
  return 0;
}
