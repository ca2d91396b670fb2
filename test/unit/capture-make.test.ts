// The shared record builders (shared/capture/make.ts) every recorder uses for errors and starts.
import { describe, expect, it } from 'vitest';
import { errorRecord, spawnRecord } from '../../shared/capture/index.js';

describe('record builders', () => {
  it('an error record keeps the errno code when there is one, and has no code key otherwise', () => {
    const e = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    expect(errorRecord('server-stdin', e)).toEqual({
      type: 'error',
      where: 'server-stdin',
      message: 'write EPIPE',
      code: 'EPIPE',
    });
    expect(errorRecord('spawn', new Error('boom'))).toEqual({
      type: 'error',
      where: 'spawn',
      message: 'boom',
    });
  });

  it('a spawn record redacts secret arguments and omits an unknown pid', () => {
    const r = spawnRecord('node', ['s.js', '--api-key', 'sk-123'], undefined, '/tmp');
    expect(r).toMatchObject({ type: 'spawn', command: 'node', cwd: '/tmp' });
    expect(r.args).not.toContain('sk-123');
    expect('pid' in r).toBe(false);
    expect(spawnRecord('node', [], 42, '/').pid).toBe(42);
  });
});
