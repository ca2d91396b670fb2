// The one way mcpscope starts processes (cross-spawn) and the one description of a failed start.
import { describe, expect, it } from 'vitest';
import { describeSpawnError, spawnFailureExit, spawnProcess } from '../../electron/engine/spawn.js';

const errno = (code: string, message = code): NodeJS.ErrnoException =>
  Object.assign(new Error(message), { code });

describe('spawnProcess', () => {
  it('runs a command with arguments and passes its output through', async () => {
    const child = spawnProcess(
      process.execPath,
      ['-e', 'process.stdout.write(process.argv[1])', 'a b "c"'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    expect(out).toBe('a b "c"');
  });

  it('reports a missing command as an error event with ENOENT, described in words', async () => {
    const child = spawnProcess('mcpscope-no-such-command-xyz', [], { stdio: 'ignore' });
    const err = await new Promise<NodeJS.ErrnoException>((r) => child.on('error', r));
    expect(err.code).toBe('ENOENT');
    expect(describeSpawnError('mcpscope-no-such-command-xyz', err)).toMatch(
      /command not found \(ENOENT\).*on PATH/,
    );
    expect(spawnFailureExit(err)).toBe(127);
  });

  it('describes permission and other failures', () => {
    expect(describeSpawnError('x', errno('EACCES'))).toMatch(/permission denied \(EACCES\)/);
    expect(spawnFailureExit(errno('EACCES'))).toBe(126);
    expect(describeSpawnError('x', errno('E2BIG', 'argument list too long'))).toBe(
      'cannot start "x": argument list too long',
    );
  });
});
