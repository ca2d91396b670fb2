import { describe, expect, it } from 'vitest';
import { hasInvisible, visible } from '../../shared/text/visible.js';
import { showText } from '../../electron/cli/commands/show.js';
import { encodeLine, readCapture, sha256Hex } from '../../shared/capture/index.js';

describe('visible()', () => {
  it('shows ANSI, controls, zero-width, bidi and tag characters as escapes', () => {
    expect(visible('a\x1b[31mred\x1b[0m')).toBe('a\\x1b[31mred\\x1b[0m');
    expect(visible('x\u200by\u202ez\ufeff')).toBe('x\\u200by\\u202ez\\ufeff');
    expect(visible('tag:\u{E0041}\u{E0042}')).toBe('tag:\\u{e0041}\\u{e0042}');
    expect(visible('line\nbreak\r\0')).toBe('line\\nbreak\\r\\x00');
    expect(visible('tabs\tand émoji ✓ stay')).toBe('tabs\tand émoji ✓ stay');
    expect(hasInvisible('plain')).toBe(false);
    expect(hasInvisible('a\u200db')).toBe(true);
  });

  it('keeps hostile server text from driving the terminal in `show`', () => {
    let prev = '';
    const line = (r: object) => {
      const e = encodeLine(r, prev, sha256Hex);
      prev = e.hash;
      return e.line;
    };
    const evil = '\x1b]0;pwned\x07\x1b[2J';
    const text = [
      line({
        seq: 0,
        ts: 0,
        type: 'header',
        format: 'mcpscope-capture',
        version: 1,
        tool: 't',
        created: 'c',
        id: 'i',
        source: { transport: 'stdio' },
      }),
      line({
        seq: 1,
        ts: 1,
        type: 'frame',
        dir: 's2c',
        channel: 'stdio',
        text: JSON.stringify({ jsonrpc: '2.0', method: `notifications/${evil}` }),
      }),
      line({ seq: 2, ts: 2, type: 'stderr', text: `log ${evil}` }),
    ].join('\n');
    const out = showText(readCapture(`${text}\n`), 'f', false);
    expect(out).not.toContain('\x1b');
    expect(out).not.toContain('\x07');
    expect(out).toContain('\\x1b]0;pwned\\x07');
  });
});
