// Where the library keeps a copy the user imported from the UI: captures/imported/, under a safe
// version of the file's name with the right extension, never over an existing file.

import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';

/** `dir/NAME.ext`, NAME reduced to safe characters; `-2`, `-3`… before the extension if taken. */
export function importedPath(dir: string, name: string, ext: string): string {
  let base =
    basename(name)
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .slice(0, 80) || 'capture';
  if (!base.endsWith(ext)) base = `${base.replace(/\.jsonl$/, '')}${ext}`;
  const stem = base.slice(0, -ext.length);
  let path = join(dir, base);
  for (let i = 2; existsSync(path) && i < 1000; i++) path = join(dir, `${stem}-${i}${ext}`);
  return path;
}
