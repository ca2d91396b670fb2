// Text the CLI prints for reading: line breaks kept, every other dangerous character escaped;
// `show` lines up multi-line events and does not claim "0 tools" for lists never requested.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { showText } from '../../electron/cli/commands/show.js';
import { safeBlock, safeText } from '../../electron/cli/format.js';
import { outPathProblem } from '../../electron/cli/out.js';
import { tidyRpcMessage } from '../../electron/engine/client/errors.js';
import { encodeLine, readCapture, sha256Hex } from '../../shared/capture/index.js';
import { visibleLines } from '../../shared/text/visible.js';
import { scratchDir } from '../helpers/paths.js';

function capture(records: object[]): string {
  let prev = '';
  const lines = [
    {
      seq: 0,
      ts: 0,
      type: 'header',
      format: 'mcpscope-capture',
      version: 1,
      tool: 't',
      created: 'c',
      id: 'i',
      source: { transport: 'stdio' },
    },
    ...records,
  ].map((r) => {
    const e = encodeLine(r, prev, sha256Hex);
    prev = e.hash;
    return e.line;
  });
  return `${lines.join('\n')}\n`;
}

const frame = (seq: number, dir: 'c2s' | 's2c', msg: object) => ({
  seq,
  ts: seq,
  type: 'frame',
  dir,
  channel: 'stdio',
  text: JSON.stringify(msg),
});

describe('visibleLines / safeText / safeBlock', () => {
  it('keeps \\n and \\r\\n as line breaks and escapes the rest', () => {
    expect(visibleLines('a\nb\r\nc')).toBe('a\nb\nc');
    expect(visibleLines('over\rwrite\x1b[2J\u202e')).toBe('over\\rwrite\\x1b[2J\\u202e');
    expect(safeText('x\ny\x07')).toBe('x\ny\\x07');
  });

  it('indents continuation lines and drops one final newline', () => {
    expect(safeBlock('first\nsecond\n', '    ')).toBe('first\n    second');
    expect(safeBlock('one line', '  ')).toBe('one line');
  });
});

describe('tidyRpcMessage', () => {
  it('says "MCP error N:" once', () => {
    expect(tidyRpcMessage('MCP error -32602: MCP error -32602: Resource x not found')).toBe(
      'MCP error -32602: Resource x not found',
    );
    expect(tidyRpcMessage('MCP error -32602: MCP error -32602: MCP error -32602: x')).toBe(
      'MCP error -32602: x',
    );
    // A different code inside is information, not repetition.
    expect(tidyRpcMessage('MCP error -32603: MCP error -32602: x')).toBe(
      'MCP error -32603: MCP error -32602: x',
    );
    expect(tidyRpcMessage('plain')).toBe('plain');
  });
});

describe('show', () => {
  it('prints multi-line stderr, notes and errors as lines under their event, escaped', () => {
    const out = showText(
      readCapture(
        capture([
          { seq: 1, ts: 1, type: 'stderr', text: 'Traceback:\n  File "x"\x1b[31m\n' },
          { seq: 2, ts: 2, type: 'note', text: 'first\nsecond' },
          {
            seq: 3,
            ts: 3,
            type: 'error',
            where: 'connect',
            message: 'did not answer\nIt wrote:\n  > hi',
          },
        ]),
      ),
      'f',
      false,
    );
    expect(out).not.toContain('\\n');
    expect(out).not.toContain('\x1b');
    const lines = out.split('\n');
    const i = lines.findIndex((l) => l.includes('stderr   Traceback:'));
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe(`${' '.repeat(24)}  File "x"\\x1b[31m`);
    expect(out).toContain(`note     first\n${' '.repeat(24)}second`);
    expect(out).toContain(`did not answer\n${' '.repeat(24)}It wrote:\n${' '.repeat(24)}  > hi`);
  });

  it('says lists were not requested instead of "offered 0 tools"', () => {
    const none = showText(readCapture(capture([])), 'f', false);
    expect(none).toContain('offered       not known (no list request in this capture)');
    expect(none).not.toMatch(/0 tools/);
    const some = showText(
      readCapture(
        capture([
          frame(1, 'c2s', { jsonrpc: '2.0', id: 1, method: 'tools/list' }),
          frame(2, 's2c', {
            jsonrpc: '2.0',
            id: 1,
            result: { tools: [{ name: 'a', inputSchema: { type: 'object' } }] },
          }),
        ]),
      ),
      'f',
      false,
    );
    expect(some).toContain('offered       1 tools (resources, templates, prompts: not listed)');
  });
});

describe('outPathProblem', () => {
  const dir = scratchDir('mcpscope-out-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a new file in a new folder, refuses a folder and a path under a file', () => {
    expect(outPathProblem(join(dir, 'new', 'deeper', 'x.mcpscope.jsonl'))).toBeUndefined();
    mkdirSync(join(dir, 'd'));
    expect(outPathProblem(join(dir, 'd'))).toMatch(/is a folder; give a file name/);
    writeFileSync(join(dir, 'f'), '');
    expect(outPathProblem(join(dir, 'f', 'x.jsonl'))).toMatch(/f is a file, not a folder/);
    expect(outPathProblem(join(dir, 'f'))).toBeUndefined(); // an existing file is replaced
  });
});
