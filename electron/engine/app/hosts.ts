// The host-integration commands of the app engine (listHosts, wrapHosts, unwrapHosts): the same
// engine as `mcpscope hosts/wrap/unwrap`, with the arguments checked first (a UI peer may send anything).

import { HostApiError, type HostCommandsApi } from '../../../shared/host-api.js';
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

type HostsApi = Pick<HostCommandsApi, 'listHosts' | 'wrapHosts' | 'unwrapHosts'>;

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
    // Arguments were checked by their schemas (host-api-schemas-features.ts).
    wrapHosts: async (o) =>
      guard(() =>
        wrapHosts(ctx(), {
          ...(o?.hosts ? { hosts: o.hosts } : {}),
          ...(o?.servers ? { servers: o.servers } : {}),
          dryRun: o?.dryRun === true,
        }),
      ),
    unwrapHosts: async (o) =>
      guard(() =>
        unwrapHosts(ctx(), {
          ...(o?.hosts ? { hosts: o.hosts } : {}),
          dryRun: o?.dryRun === true,
        }),
      ),
  };
}
