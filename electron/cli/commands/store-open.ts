// Opens the team store for a command: a bad URL is a usage error (exit 2), an unreachable
// database a failure (exit 1) with the reason.
import type pg from 'pg';
import { openStore, StoreError, StoreUrlError } from '../../engine/store/pg.js';
import { UsageError, type Io } from '../args.js';

export async function openForCommand(
  url: string,
  command: string,
  io: Io,
): Promise<pg.Client | undefined> {
  try {
    return await openStore(url);
  } catch (e) {
    if (e instanceof StoreUrlError) throw new UsageError(e.message);
    if (e instanceof StoreError) {
      io.err(`mcpscope ${command}: ${e.message}\n`);
      return undefined;
    }
    throw e;
  }
}
