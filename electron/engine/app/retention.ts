// The app's retention commands (Settings → "Clean up now"): the policy saved in the data
// directory, and gc over the captures folder and the library's imported copies. Sessions whose
// files were deleted leave the library; live sessions' files are never deleted.

import { HostApiError, type HostCommandsApi } from '../../../shared/host-api.js';
import type { RetentionSettings } from '../../../shared/host-api-retention.js';
import { gcFolders, runGc } from '../gc/gc.js';
import {
  readRetention,
  retentionFile,
  RetentionSettingsError,
  writeRetention,
} from '../gc/settings.js';
import type { SessionRegistry } from './registry.js';

type RetentionApi = Pick<HostCommandsApi, 'getRetention' | 'setRetention' | 'runRetention'>;

export function retentionCommands(dataDir: string, registry: SessionRegistry): RetentionApi {
  const settings = (): RetentionSettings => {
    try {
      return {
        policy: readRetention(dataDir),
        file: retentionFile(dataDir),
        folders: gcFolders(dataDir),
      };
    } catch (e) {
      if (e instanceof RetentionSettingsError) throw new HostApiError('unavailable', e.message);
      throw e;
    }
  };
  return {
    getRetention: async () => settings(),
    setRetention: async ({ policy }) => {
      writeRetention(dataDir, policy);
      return settings();
    },
    runRetention: async ({ dryRun, policy }) => {
      const livePaths = new Set(
        registry
          .list()
          .filter((s) => s.live && s.path)
          .map((s) => s.path!),
      );
      const report = runGc({ dataDir, policy: policy ?? settings().policy, dryRun, livePaths });
      if (!dryRun) registry.forgetPaths(new Set(report.deleted.map((d) => d.path)));
      return report;
    },
  };
}
