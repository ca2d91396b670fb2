// The host-integration commands of the app engine (listHosts, wrapHosts, unwrapHosts): the same
// engine as `mcpscope hosts/wrap/unwrap`, with the arguments checked first (a UI peer may send anything).

import {
  HOST_ID_LIST,
  HostApiError,
  type HostCommandsApi,
  type HostId,
} from '../../../shared/host-api.js';
import { defaultLauncher } from '../hosts/launcher.js';
import {
  hostsReport,
  HostManifest,
  ManifestError,
  unwrapHosts,
  wrapHosts,
  type HostsContext,
} from '../hosts/index.js';
import { processHostEnv } from '../hosts/locations.js';
import * as A from './args.js';

type HostsApi = Pick<HostCommandsApi, 'listHosts' | 'wrapHosts' | 'unwrapHosts'>;

function list(command: string, o: Record<string, unknown>, key: string): string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (
    !Array.isArray(v) ||
    v.length > 100 ||
    !v.every((x) => typeof x === 'string' && x.length > 0 && x.length < 1000)
  ) {
    throw new HostApiError('bad-request', `${command}: "${key}" must be a list of names`);
  }
  return v as string[];
}

function hosts(command: string, o: Record<string, unknown>): HostId[] | undefined {
  const h = list(command, o, 'hosts');
  for (const x of h ?? [])
    if (!(HOST_ID_LIST as readonly string[]).includes(x))
      throw new HostApiError(
        'bad-request',
        `${command}: unknown host "${x}" (hosts: ${HOST_ID_LIST.join(', ')})`,
      );
  return h as HostId[] | undefined;
}

/** A broken manifest or an unexpected file error becomes a clear 'failed' error for the UI. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof HostApiError) throw e;
    if (e instanceof ManifestError) throw new HostApiError('failed', e.message);
    throw new HostApiError('failed', `host configs: ${(e as Error).message}`);
  }
}

export function hostsCommands(
  dataDir: string,
  ctx: () => HostsContext = () => ({
    hostEnv: processHostEnv(),
    dataDir,
    launcher: defaultLauncher(),
  }),
): HostsApi {
  return {
    listHosts: async () =>
      guard(() => {
        const c = ctx();
        const manifest = new HostManifest(c.dataDir);
        return hostsReport(c.hostEnv, (p) => manifest.get(p) !== undefined);
      }),
    wrapHosts: async (args) =>
      guard(() => {
        const o = A.obj('wrapHosts', args ?? {});
        const h = hosts('wrapHosts', o);
        const servers = list('wrapHosts', o, 'servers');
        return wrapHosts(ctx(), {
          ...(h ? { hosts: h } : {}),
          ...(servers ? { servers } : {}),
          dryRun: A.optBool('wrapHosts', o, 'dryRun') === true,
        });
      }),
    unwrapHosts: async (args) =>
      guard(() => {
        const o = A.obj('unwrapHosts', args ?? {});
        const h = hosts('unwrapHosts', o);
        return unwrapHosts(ctx(), {
          ...(h ? { hosts: h } : {}),
          dryRun: A.optBool('unwrapHosts', o, 'dryRun') === true,
        });
      }),
  };
}
