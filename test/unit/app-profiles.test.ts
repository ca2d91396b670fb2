// Saved profiles: secrets are reduced to their names before anything is written, the file
// survives a new store (a restart), and a damaged or hand-edited file cannot bring values back.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProfileStore, toSavedProfile } from '../../electron/engine/app/profiles.js';
import { formFromSaved, missingSecrets } from '../../renderer/src/model/profiles.js';
import { scratchDir } from '../helpers/paths.js';

const dirs: string[] = [];
function store(): ProfileStore {
  const d = scratchDir('mcpscope-profiles-');
  dirs.push(d);
  return new ProfileStore(d);
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('toSavedProfile', () => {
  it('keeps env names and drops every env value', () => {
    const s = toSavedProfile(
      'x',
      {
        transport: 'stdio',
        command: 'node',
        args: ['s.js'],
        env: { API_KEY: 'sk-live-1', DEBUG: '1' },
      },
      5,
    );
    expect(s).toEqual({
      name: 'x',
      transport: 'stdio',
      command: 'node',
      args: ['s.js'],
      envKeys: ['API_KEY', 'DEBUG'],
      savedAt: 5,
    });
    expect(JSON.stringify(s)).not.toContain('sk-live-1');
  });

  it('keeps plain header values, only the names of credential headers, and never a bearer token', () => {
    const s = toSavedProfile(
      'h',
      {
        transport: 'streamable-http',
        url: 'http://127.0.0.1:1/mcp',
        headers: { 'X-Api-Key': 'k1', Authorization: 'Basic abc', 'X-Tenant': 'acme' },
        bearerToken: 'tok',
      },
      1,
    );
    expect(s.headers).toEqual({ 'X-Tenant': 'acme' });
    expect(s.secretHeaders).toEqual(['X-Api-Key', 'Authorization']);
    expect(s.bearerToken).toBe(true);
    expect(JSON.stringify(s)).not.toMatch(/k1|abc|tok"/);
  });
});

describe('ProfileStore', () => {
  it('saves, replaces by name, lists after a restart and deletes', () => {
    const a = store();
    a.save('one', { transport: 'stdio', command: 'node', env: { TOKEN: 'secret-value' } }, 1);
    a.save('two', { transport: 'sse', url: 'http://127.0.0.1:2/sse' }, 2);
    a.save('one', { transport: 'stdio', command: 'uvx', env: { TOKEN: 'secret-value' } }, 3);
    const text = readFileSync(a.path, 'utf8');
    expect(text).not.toContain('secret-value');
    const b = new ProfileStore(join(a.path, '..'));
    expect(b.list().map((p) => [p.name, p.command ?? p.url])).toEqual([
      ['one', 'uvx'],
      ['two', 'http://127.0.0.1:2/sse'],
    ]);
    expect(b.delete('two')).toBe(true);
    expect(b.delete('two')).toBe(false);
    expect(new ProfileStore(join(a.path, '..')).list().map((p) => p.name)).toEqual(['one']);
  });

  it('a hand-edited file with values in it gives back names only', () => {
    const a = store();
    writeFileSync(
      a.path,
      JSON.stringify({
        v: 1,
        profiles: [
          {
            name: 'e',
            transport: 'stdio',
            command: 'node',
            envKeys: ['K'],
            env: { K: 'leak' },
            savedAt: 1,
          },
        ],
      }),
    );
    const [p] = a.list();
    expect(p).toEqual({
      name: 'e',
      transport: 'stdio',
      command: 'node',
      envKeys: ['K'],
      savedAt: 1,
    });
  });

  it('says what to do about a damaged file instead of overwriting it', () => {
    const a = store();
    writeFileSync(a.path, '{not json');
    expect(() => a.list()).toThrow(/profiles\.json is damaged .*delete it/);
    expect(() => a.save('x', { transport: 'stdio', command: 'node' })).toThrow(/damaged/);
    expect(readFileSync(a.path, 'utf8')).toBe('{not json');
  });
});

describe('loading a saved profile into the Connect form', () => {
  it('puts the secret names back empty and asks for them until filled (or removed)', () => {
    const saved = toSavedProfile(
      'p',
      {
        transport: 'streamable-http',
        url: 'http://127.0.0.1:3/mcp',
        headers: { 'X-Api-Key': 'k', 'X-Tenant': 'acme' },
        bearerToken: 't',
      },
      1,
    );
    const { form, needs } = formFromSaved(saved);
    expect(form.headers).toBe('X-Tenant: acme\nX-Api-Key: ');
    expect(missingSecrets(form, needs)).toEqual(['header X-Api-Key', 'bearer token']);
    expect(
      missingSecrets({ ...form, headers: 'X-Tenant: acme\nX-Api-Key: k2', bearer: 't2' }, needs),
    ).toEqual([]);
    expect(missingSecrets({ ...form, headers: 'X-Tenant: acme', bearer: 't2' }, needs)).toEqual([]);
  });

  it('quotes arguments with spaces so they split back the same', () => {
    const { form } = formFromSaved(
      toSavedProfile(
        'q',
        { transport: 'stdio', command: 'node', args: ['a b', 'c', 'say "hi"'], env: { A: '1' } },
        1,
      ),
    );
    expect(form.args).toBe('"a b" c "say \\"hi\\""');
    expect(form.env).toBe('A=');
  });
});
