// Locations tests need: the built CLI, server-everything, a scratch folder per test file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'bin', 'mcpscope.js');
export const EVERYTHING = join(
  ROOT,
  'node_modules',
  '@modelcontextprotocol',
  'server-everything',
  'dist',
  'index.js',
);

export function scratchDir(prefix = 'mcpscope-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
