// The one plain-object test. Parsed JSON from a server or a file is `unknown` until checked here;
// arrays and null are not objects for this purpose.

import type { JsonObject } from './host-api.js';

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The same test for values known to come from JSON.parse (so every member is JSON). */
export const isJsonObject = (v: unknown): v is JsonObject => isObject(v);
