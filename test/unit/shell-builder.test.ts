// electron-builder.yml is valid for the installed electron-builder (its own schema check, the one
// `electron-builder` runs before packaging) and targets the platforms the product promises.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

// electron-builder's internals (app-builder-lib, builder-util, js-yaml) come with it.
const require = createRequire(join(ROOT, 'node_modules', 'electron-builder', 'package.json'));
const yaml = require('js-yaml') as { load: (s: string) => Record<string, unknown> };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration: (c: unknown, l: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as {
  DebugLogger: new (enabled: boolean) => unknown;
};

const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));

describe('electron-builder.yml', () => {
  it('passes electron-builder validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });
  it('the check is real: an unknown key fails it', async () => {
    await expect(
      validateConfiguration({ ...config, bogus: 1 }, new DebugLogger(false)),
    ).rejects.toThrow(/Invalid configuration/);
  });
  it('targets AppImage + deb, dmg and nsis, with main from the build', () => {
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.mac as { target: string[] }).target).toEqual(['dmg']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    expect((config.extraMetadata as { main: string }).main).toBe('dist/electron/main.js');
  });
});
