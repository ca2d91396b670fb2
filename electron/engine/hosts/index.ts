// Host integration: find the MCP configs of common hosts, wrap their servers through mcpscope,
// unwrap them again. See docs/hosts.md.
import { dataDir } from '../paths.js';
import type { HostsContext } from './wrap.js';
import { defaultLauncher } from './launcher.js';
import { processHostEnv } from './locations.js';

export { hostsReport } from './discover.js';
export { wrapHosts, type HostsContext } from './wrap.js';
export { unwrapHosts } from './unwrap.js';
export { HostManifest, ManifestError } from './manifest.js';
export { HOST_IDS, HOST_LABELS, parseHostName, type HostEnv, type HostId } from './locations.js';
export type { Launcher } from './entries.js';

/** The real machine: this user's home, platform and environment, the data dir, this install's launcher. */
export function processHostsContext(): HostsContext {
  return { hostEnv: processHostEnv(), dataDir: dataDir(), launcher: defaultLauncher() };
}
