import { readHeader, verifyChain } from '../../../shared/capture/index.js';
import { readCaptureText } from '../../engine/capture/load.js';
import { nodeSha256 } from '../../engine/capture/writer.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';

export const usage = `usage: mcpscope verify FILE

Checks the capture's hash chain. Exit 0 when every record is as written; 1 when a record was
edited, inserted, removed or moved (the first bad record is named); 2 when FILE cannot be read.`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{ help?: boolean }>(argv, { help: { type: 'boolean', short: 'h' } }, usage);
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`verify takes exactly one capture file.\n\n${usage}`);
  const file = positionals[0]!;
  const text = readCaptureText(file);
  // Not a capture at all: a clear error and exit 2, rather than "altered at line 1".
  const nl = text.indexOf('\n');
  readHeader((nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, ''));
  const report = verifyChain(text, nodeSha256);
  if (!report.intact) {
    const bad = report.firstBad!;
    const at = bad.seq !== undefined ? `record seq ${bad.seq} (line ${bad.line})` : `line ${bad.line}`;
    io.out(`ALTERED: ${file}\n  first bad record: ${at}: ${bad.reason}\n  ${report.checked} records before it are intact.\n`);
    return 1;
  }
  io.out(`intact: ${file}\n  ${report.checked} records, hash chain verified\n`);
  for (const w of report.warnings) io.out(`  note: ${w}\n`);
  return 0;
}
