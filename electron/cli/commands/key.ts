import { existsSync, writeFileSync } from 'node:fs';
import { keyId } from '../../../shared/capture/index.js';
import { exportPublicKey, installSigner, keyPath } from '../../engine/capture/key.js';
import { generateIdentity } from '../../engine/capture/age.js';
import { tightenFile } from '../../engine/fsperm.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';
import { safe } from '../format.js';

export const usage = `usage: mcpscope key export
       mcpscope key age-keygen [--out FILE]

export       Prints this install's public signing key (Ed25519). Captures recorded here are
             signed with the matching secret key, kept 0600 in the data folder. Give the printed
             line to an auditor: they check captures with \`mcpscope verify FILE --pubkey KEYFILE\`.
             Creates the key if this install has none.
age-keygen   Makes an age X25519 identity for encrypted captures, in the format of \`age-keygen\`
             (use either). The identity (AGE-SECRET-KEY-1…) goes to FILE, created 0600 and never
             overwritten, or to stdout; the public recipient (age1…) is printed on stderr: give it
             to \`mcpscope export FILE --encrypt-to age1…\`, and FILE to \`--identity FILE\` of
             verify, show, scan and ui. Whoever holds FILE can read those captures: keep it safe.`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{ help?: boolean; out?: string }>(
    argv,
    { help: { type: 'boolean', short: 'h' }, out: { type: 'string', short: 'o' } },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  const sub = positionals.length === 1 ? positionals[0] : undefined;
  if (sub === 'age-keygen') {
    const { identity, recipient } = await generateIdentity();
    const text = `# created: ${new Date().toISOString()} by mcpscope key age-keygen\n# public key: ${recipient}\n${identity}\n`;
    if (values.out !== undefined && values.out !== '-') {
      if (existsSync(values.out))
        throw new UsageError(
          `--out ${values.out} exists; age-keygen never overwrites an identity (it would make captures encrypted to it unreadable). Pick a new file name.`,
        );
      writeFileSync(values.out, text, { mode: 0o600, flag: 'wx' });
      tightenFile(values.out);
      io.err(`mcpscope key: wrote the age identity to ${safe(values.out)} (0600)\n`);
    } else io.out(text);
    io.err(`Public key: ${recipient}\n`);
    return 0;
  }
  if (values.out !== undefined)
    throw new UsageError(`--out is an option of key age-keygen.\n\n${usage}`);
  if (sub !== 'export')
    throw new UsageError(`key takes one subcommand: export or age-keygen.\n\n${usage}`);
  const signer = installSigner();
  io.out(exportPublicKey(signer.publicKey));
  io.err(`mcpscope key: key id ${keyId(signer.publicKey)}, secret key in ${keyPath()}\n`);
  return 0;
}
