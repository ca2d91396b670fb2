import { keyId } from '../../../shared/capture/index.js';
import { exportPublicKey, installSigner, keyPath } from '../../engine/capture/key.js';
import { parseCommandArgs, UsageError, type Io } from '../args.js';

export const usage = `usage: mcpscope key export

Prints this install's public signing key (Ed25519). Captures recorded here are signed with the
matching secret key, kept 0600 in the data folder. Give the printed line to an auditor: they check
captures with \`mcpscope verify FILE --pubkey KEYFILE\`. Creates the key if this install has none.`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs<{ help?: boolean }>(
    argv,
    { help: { type: 'boolean', short: 'h' } },
    usage,
  );
  if (values.help) {
    io.out(`${usage}\n`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'export')
    throw new UsageError(`key takes one subcommand: export.\n\n${usage}`);
  const signer = installSigner();
  io.out(exportPublicKey(signer.publicKey));
  io.err(`mcpscope key: key id ${keyId(signer.publicKey)}, secret key in ${keyPath()}\n`);
  return 0;
}
