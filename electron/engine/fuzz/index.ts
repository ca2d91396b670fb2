// The fuzz campaign runner (engine side of feature 6).
export {
  runCampaign,
  dryRun,
  FuzzSetupError,
  type CampaignOptions,
  type DryRun,
} from './campaign.js';
export { FUZZ_TRANSPORTS, type FuzzTarget } from './link.js';
export { makeSchemaCheck } from './validate.js';
