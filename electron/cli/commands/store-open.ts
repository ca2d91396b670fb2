// Opens the team store for a command: a bad URL is a usage error (exit 2), an unreachable
// database a failure (exit 1) with the reason.
import type pg from 'pg';
import { checkStoreUrl, openStore, StoreError, StoreUrlError } from '../../engine/store/pg.js';
import { pullSessionsToTemp } from '../../engine/store/fetch.js';
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

/**
 * Runs `fn` on store sessions pulled into temporary capture files (removed afterwards). A bad URL
 * is a usage error; an unknown session or an unreachable database prints why and gives undefined.
 */
export async function withStoreSessions<T>(
  url: string,
  ids: string[],
  command: string,
  io: Io,
  fn: (files: Map<string, string>) => Promise<T>,
): Promise<T | undefined> {
  try {
    checkStoreUrl(url);
  } catch (e) {
    if (e instanceof StoreUrlError) throw new UsageError(`--from: ${e.message}`);
    throw e;
  }
  let pulled;
  try {
    pulled = await pullSessionsToTemp(url, ids);
  } catch (e) {
    if (e instanceof StoreError) {
      io.err(`mcpscope ${command}: ${e.message}\n`);
      return undefined;
    }
    throw e;
  }
  try {
    return await fn(pulled.files);
  } finally {
    pulled.cleanup();
  }
}
