// mcpscope export: fixtures, reports and redacted captures from a capture file. Thin: parse the
// arguments, call the engine's export pipeline, say where the output went and what was masked.

import { HarError } from '../../../shared/export/har.js';
import { VitestExportError } from '../../../shared/export/vitest.js';
import {
  EXPORT_FORMATS,
  ExportError,
  exportCapture,
  type ExportFormat,
} from '../../engine/export/export.js';
import { OtlpEndpointError } from '../../engine/export/otlp.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { safe } from '../format.js';

export const usage = `usage: mcpscope export FILE --format ${EXPORT_FORMATS.join('|')} [--out PATH|-] [--endpoint URL] [--no-redact]

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
Exit: 0 written, 1 the capture cannot be exported in that format, 2 usage.`;

interface ExportFlags {
  help?: boolean;
  format?: string;
  out?: string;
  endpoint?: string;
  'no-redact'?: boolean;
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
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`export takes exactly one capture file.\n\n${usage}`);
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
  const redact = values['no-redact'] !== true;
  let result;
  try {
    result = await exportCapture({
      file: positionals[0]!,
      format,
      redact,
      ...(values.out !== undefined ? { out: values.out } : {}),
      ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
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
  const where = [
    ...(result.sent !== undefined ? [`sent to ${safe(result.sent)}`] : []),
    ...(result.path !== undefined
      ? [`wrote ${safe(result.path)}`]
      : result.text !== undefined
        ? ['wrote to stdout']
        : []),
  ].join(', ');
  io.err(
    `mcpscope export: ${where} (${format}, ${result.bytes} bytes, ${result.findings} finding${result.findings === 1 ? '' : 's'}); ${masked}\n`,
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
