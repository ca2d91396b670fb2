import { ChainVerifier, judge, keyId, readHeader } from '../../../shared/capture/index.js';
import { CaptureFileError } from '../../engine/capture/load.js';
import { installPublicKey, readPublicKeyFile } from '../../engine/capture/key.js';
import { forEachLine } from '../../engine/capture/lines.js';
import { AgeError, readIdentityFile } from '../../engine/capture/age.js';
import { nodeSha256 } from '../../engine/capture/writer.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { safe } from '../format.js';

export const usage = `usage: mcpscope verify FILE [--expect HASH] [--pubkey FILE] [--identity FILE]

Checks the capture's hash chain and its Ed25519 signatures, and whether it is complete. Prints the
final hash (pin it: later runs with --expect HASH fail if anything changed) and the signer's key id.

  --expect HASH   the final hash must be HASH (from an earlier verify or a report)
  --pubkey FILE   trust this public key (from \`mcpscope key export\` on the recording machine)
                  instead of this install's own key
  --identity FILE age identity (AGE-SECRET-KEY-1…) for a capture encrypted with
                  \`export --encrypt-to\`; it is decrypted in memory, never written to disk

Exit: 0 intact and complete, signed by a trusted key; 1 altered (the first bad record is named),
which includes a bad, missing or untrusted signature and a wrong --expect hash; 3 intact but
incomplete (cut-off tail, no end record); 2 FILE or an option cannot be used; 4 FILE is
age-encrypted and no --identity given can open it (missing or wrong identity), or its encryption
was damaged.`;

export const EXIT_ALTERED = 1;
export const EXIT_INCOMPLETE = 3;
export const EXIT_ENCRYPTED = 4;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{
    help?: boolean;
    expect?: string;
    pubkey?: string;
    identity?: string[];
  }>(
    argv,
    {
      identity: { type: 'string', short: 'i', multiple: true },
      help: { type: 'boolean', short: 'h' },
      expect: { type: 'string' },
      pubkey: { type: 'string' },
    },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`verify takes exactly one capture file.\n\n${usage}`);
  if (values.expect !== undefined && !/^[0-9a-f]{64}$/i.test(values.expect)) {
    throw new UsageError(
      `--expect takes the 64-hex-digit final hash printed by an earlier verify, got ${JSON.stringify(values.expect)}\n\n${usage}`,
    );
  }
  let trusted: string[];
  let trustedFrom: string;
  if (values.pubkey !== undefined) {
    try {
      trusted = [readPublicKeyFile(values.pubkey)];
    } catch (e) {
      throw new UsageError(`--pubkey ${values.pubkey}: ${(e as Error).message}`);
    }
    trustedFrom = `from ${values.pubkey}`;
  } else {
    const own = installPublicKey();
    trusted = own ? [own] : [];
    trustedFrom = "this install's key";
  }
  const identities = (values.identity ?? []).flatMap((p) => readIdentityFile(p));
  const file = positionals[0]!;
  const verifier = new ChainVerifier(nodeSha256);
  let first = true;
  let read;
  try {
    read = await forEachLine(
      file,
      (line) => {
        if (first) {
          first = false;
          // Not a capture at all: a clear error and exit 2, rather than "altered at line 1".
          try {
            readHeader(line.replace(/\r$/, ''));
          } catch (e) {
            throw new CaptureFileError(`${file}: ${(e as Error).message}`);
          }
        }
        verifier.push(line);
      },
      { identities },
    );
  } catch (e) {
    if (e instanceof AgeError && e.kind !== 'bad-key') {
      io.err(`mcpscope verify: ${safe(e.message)}\n`);
      return EXIT_ENCRYPTED;
    }
    throw e;
  }
  const { endsWithNewline } = read;
  if (first) throw new CaptureFileError(`${file}: the file is empty; it is not a capture`);
  const report = verifier.finish(endsWithNewline);
  const verdict = judge(report, trusted);
  const name = safe(file);
  const hashLine = report.finalHash ? `  final hash  ${report.finalHash}\n` : '';
  const signerLine = (k: string | undefined): string =>
    k
      ? `  signer      ed25519 key ${keyId(k)} (${trusted.includes(k) ? `trusted: ${trustedFrom}` : 'NOT trusted'})\n`
      : '';

  if (verdict.status === 'altered') {
    const at =
      verdict.seq !== undefined
        ? `record seq ${verdict.seq} (line ${verdict.line})`
        : `line ${verdict.line}`;
    io.out(
      `ALTERED: ${name}\n  first bad record: ${at}: ${verdict.reason}\n  ${report.checked} records checked.\n${signerLine(report.signers[0])}`,
    );
    return EXIT_ALTERED;
  }
  if (values.expect !== undefined && report.finalHash !== values.expect.toLowerCase()) {
    io.out(
      `ALTERED: ${name}\n  the final hash is ${report.finalHash ?? 'missing'}, expected ${values.expect.toLowerCase()}: the capture is not the one that was pinned\n${signerLine(report.signers[0])}`,
    );
    return EXIT_ALTERED;
  }
  if (verdict.status === 'incomplete') {
    io.out(
      `INCOMPLETE: ${name}\n  ${report.checked} records intact, but ${verdict.reason}\n${hashLine}${signerLine(verdict.signer)}`,
    );
    return EXIT_INCOMPLETE;
  }
  io.out(
    `intact: ${name}\n  ${report.checked} records, hash chain and signatures verified, complete (signed end record)\n${hashLine}${signerLine(verdict.signer)}`,
  );
  for (const w of report.warnings) io.out(`  note: ${w}\n`);
  return 0;
}
