// `npm run screenshots`: runs the end-to-end tests with screenshots on, writing them into docs/
// (the only step allowed to rewrite those tracked images; plain test runs never write them).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
// vitest's package exports do not list its bin file; it sits beside package.json.
const vitest = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);
const r = spawnSync(process.execPath, [vitest, 'run', '--project', 'e2e'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, MCPSCOPE_SCREENSHOTS: join(root, 'docs') },
});
process.exit(r.status ?? 1);
