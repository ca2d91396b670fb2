// The app engine's host-integration commands: arguments checked, then the same engine as the CLI
// (listed, dry run writes nothing, wrap + unwrap round trip) on a fake home.
import { checkCommandArgs } from '../../shared/host-api-schemas.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostsCommands } from '../../electron/engine/app/hosts.js';
import { HostApiError } from '../../shared/host-api.js';
import { makeFakeHome } from '../helpers/fake-home.js';
import { scratchDir } from '../helpers/paths.js';

function setup() {
  const root = scratchDir('mcpscope-hosts-api-');
  const fake = makeFakeHome(root, { stdio: ['node', 'server.js'], url: 'https://example.com/mcp' });
  const data = join(root, 'data');
  const api = hostsCommands(data, () => ({
    hostEnv: {
      home: fake.home,
      platform: 'linux',
      env: { XDG_CONFIG_HOME: join(fake.home, '.config') },
      cwd: fake.project,
    },
    dataDir: data,
    launcher: { command: '/usr/bin/node', args: ['/opt/mcpscope/bin/mcpscope.js'] },
  }));
  return { fake, api };
}

describe('host-api listHosts / wrapHosts / unwrapHosts', () => {
  it('rejects malformed arguments with bad-request (the engine checks every argument by its schema)', () => {
    const bad = (name: 'wrapHosts' | 'unwrapHosts', args: unknown, msg: RegExp) => {
      expect(() => checkCommandArgs(name, args)).toThrow(HostApiError);
      expect(() => checkCommandArgs(name, args)).toThrow(msg);
    };
    bad('wrapHosts', { hosts: ['notepad'] }, /hosts/);
    bad('wrapHosts', { servers: 'x' }, /servers/);
    bad('unwrapHosts', { dryRun: 'yes' }, /dryRun/);
    expect(checkCommandArgs('wrapHosts', undefined)).toEqual({});
  });

  it('lists, previews without writing, wraps and unwraps', async () => {
    const { fake, api } = setup();
    const list = await api.listHosts(undefined);
    expect(list.hosts.filter((h) => h.found).map((h) => h.host)).toEqual([
      'claude-desktop',
      'claude-code',
      'cursor',
      'vscode',
      'windsurf',
      'gemini',
    ]);
    const before = readFileSync(fake.files.windsurf!, 'utf8');
    const preview = await api.wrapHosts({ hosts: ['windsurf'], dryRun: true });
    expect(preview.dryRun).toBe(true);
    expect(preview.changes).toHaveLength(1);
    expect(preview.changes[0]!.diff).toContain('+        "--bridge-to",');
    expect(preview.changes[0]!.written).toBe(false);
    expect(readFileSync(fake.files.windsurf!, 'utf8')).toBe(before);

    const done = await api.wrapHosts({ hosts: ['windsurf'] });
    expect(done.changes[0]).toMatchObject({ written: true, changed: ['everything', 'remote'] });
    const wrapped = (await api.listHosts(undefined)).hosts.find((h) => h.host === 'windsurf')!;
    expect(wrapped.files[0]!.managed).toBe(true);
    expect(wrapped.files[0]!.servers.every((s) => s.wrapped)).toBe(true);

    const back = await api.unwrapHosts({ hosts: ['windsurf'] });
    expect(back.changes[0]).toMatchObject({ written: true, restore: 'exact' });
    expect(readFileSync(fake.files.windsurf!, 'utf8')).toBe(before);
  });
});
