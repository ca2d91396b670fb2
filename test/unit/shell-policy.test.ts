// The Electron shell's policy without the Electron binary: IPC validation (channel, sender frame,
// envelope), navigation and window-open guards, the CSP, and the shell's source invariants.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCsp } from '../../electron/shell/csp.js';
import {
  APP_URL,
  IPC_CALL,
  IPC_MESSAGE,
  isTrustedSender,
  validateIpc,
} from '../../electron/shell/ipc.js';
import {
  navigationDecision,
  permissionDecision,
  windowOpenDecision,
} from '../../electron/shell/navigation.js';
import { ROOT } from '../helpers/paths.js';

const main = { frameUrl: APP_URL, isMainFrame: true };

describe('IPC validation', () => {
  it('accepts a known command from the main frame of our scheme', () => {
    expect(validateIpc(IPC_CALL, main, { t: 'call', id: 1, name: 'listSessions' })).toEqual({
      ok: true,
      call: { t: 'call', id: 1, name: 'listSessions' },
    });
  });
  it('refuses other channels', () => {
    expect(
      validateIpc('mcpscope:other', main, { t: 'call', id: 1, name: 'listSessions' }),
    ).toMatchObject({ ok: false });
  });
  it('refuses subframes, foreign origins, file:// and missing frames', () => {
    const call = { t: 'call', id: 1, name: 'listSessions' };
    expect(validateIpc(IPC_CALL, { frameUrl: APP_URL, isMainFrame: false }, call).ok).toBe(false);
    for (const frameUrl of [
      'https://evil.example/',
      'file:///tmp/index.html',
      'mcpscope://other/index.html',
      'http://127.0.0.1/',
      undefined,
      'not a url',
    ]) {
      expect(isTrustedSender({ frameUrl, isMainFrame: true })).toBe(false);
      expect(validateIpc(IPC_CALL, { frameUrl, isMainFrame: true }, call).ok).toBe(false);
    }
  });
  it('refuses unknown commands and malformed envelopes, answering when there is an id', () => {
    expect(validateIpc(IPC_CALL, main, { t: 'call', id: 7, name: 'eval' })).toEqual({
      ok: false,
      reason: 'unknown command "eval"',
      id: 7,
    });
    expect(validateIpc(IPC_CALL, main, { t: 'call', name: 'listSessions' })).toMatchObject({
      ok: false,
    });
    expect(validateIpc(IPC_CALL, main, 'listSessions')).toMatchObject({ ok: false });
    expect(validateIpc(IPC_CALL, main, { t: 'call', id: 1.5, name: 'listSessions' })).toMatchObject(
      { ok: false },
    );
  });
});

describe('navigation and windows', () => {
  it('stays on the app origin', () => {
    expect(navigationDecision('mcpscope://app/index.html#/session/1')).toBe('allow');
    for (const u of [
      'https://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'mcpscope://evil/',
      'data:text/html,<b>x</b>',
      '',
    ]) {
      expect(navigationDecision(u)).toBe('deny');
    }
  });
  it('never opens an Electron window; only plain https goes to the system browser', () => {
    expect(windowOpenDecision('https://modelcontextprotocol.io/')).toEqual({
      action: 'deny',
      openExternal: 'https://modelcontextprotocol.io/',
    });
    for (const u of [
      'http://example.com',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pw@example.com/',
      'smb://host/share',
      'x',
    ]) {
      expect(windowOpenDecision(u)).toEqual({ action: 'deny' });
    }
  });
  it('grants no permission', () => {
    for (const p of ['media', 'notifications', 'geolocation', 'openExternal', 'clipboard-read'])
      expect(permissionDecision(p)).toBe(false);
  });
});

describe('CSP', () => {
  const csp = buildCsp({ connect: ['ws://127.0.0.1:1234'] });
  const dir = (name: string): string[] =>
    csp
      .split('; ')
      .find((d) => d.startsWith(`${name} `))!
      .split(' ')
      .slice(1);
  it('loads scripts only from the app, never inline or eval', () => {
    expect(dir('script-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(dir('default-src')).toEqual(["'none'"]);
  });
  it('no remote content: no http(s) sources anywhere, images only self/data', () => {
    expect(csp).not.toMatch(/https?:/);
    expect(dir('img-src')).toEqual(["'self'", 'data:']);
    expect(dir('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:1234']);
    expect(dir('object-src')).toEqual(["'none'"]);
    expect(dir('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('shell sources', () => {
  const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
  it('preload uses the same channel names as main and exposes exactly one object', () => {
    const preload = read('electron/preload.ts');
    expect(preload).toContain(`'${IPC_CALL}'`);
    expect(preload).toContain(`'${IPC_MESSAGE}'`);
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).not.toMatch(/^import /m);
  });
  it('main turns on the isolation flags', () => {
    const main = read('electron/main.ts');
    for (const flag of [
      'contextIsolation: true',
      'sandbox: true',
      'nodeIntegration: false',
      'webSecurity: true',
      'webviewTag: false',
    ])
      expect(main).toContain(flag);
    expect(main).toContain('setWindowOpenHandler');
    expect(main).toContain("'will-navigate'");
  });
  it('only electron/main.ts and electron/preload.ts import electron', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const n of readdirSync(join(ROOT, dir))) {
        const rel = `${dir}/${n}`;
        if (statSync(join(ROOT, rel)).isDirectory()) walk(rel);
        else if (
          /\.tsx?$/.test(n) &&
          /from ['"]electron['"]|require\(['"]electron['"]\)/.test(read(rel))
        )
          offenders.push(rel);
      }
    };
    for (const d of ['electron', 'shared', 'renderer']) {
      try {
        walk(d);
      } catch {
        // renderer/ may not exist yet
      }
    }
    expect(offenders.sort()).toEqual(['electron/main.ts', 'electron/preload.ts']);
  });
});
