// UI state kept in the data directory (ui-state.json, 0600): one JSON value per named key. A
// damaged file is reported, never overwritten silently with less.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostApiError, type JsonValue, type UiStateKey } from '../../../shared/host-api.js';
import { ensurePrivateDir } from '../fsperm.js';

/** Bounds what one key may hold (Repeater tabs with their responses). */
export const MAX_UI_STATE_BYTES = 20 * 1024 * 1024;

export class UiStateStore {
  readonly path: string;

  constructor(private readonly dataDir: string) {
    this.path = join(dataDir, 'ui-state.json');
  }

  private readAll(): Record<string, JsonValue> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        return Object.create(null) as Record<string, JsonValue>;
      throw new HostApiError('unavailable', `cannot read ${this.path}: ${(e as Error).message}`);
    }
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new Error('not a JSON object');
      return Object.assign(Object.create(null) as Record<string, JsonValue>, v);
    } catch (e) {
      throw new HostApiError(
        'unavailable',
        `${this.path} is damaged (${(e as Error).message}); delete it to start with no saved UI state`,
      );
    }
  }

  get(key: UiStateKey): JsonValue | null {
    const all = this.readAll();
    return Object.hasOwn(all, key) ? all[key]! : null;
  }

  set(key: UiStateKey, value: JsonValue): void {
    const text = JSON.stringify(value);
    if (text.length > MAX_UI_STATE_BYTES)
      throw new HostApiError(
        'bad-request',
        `setUiState: "${key}" is larger than ${MAX_UI_STATE_BYTES} bytes`,
      );
    const all = this.readAll();
    all[key] = value;
    ensurePrivateDir(this.dataDir);
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
