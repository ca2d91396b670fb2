// `npm start`: open the Electron app where the Electron binary is installed; otherwise say so and
// start browser mode (`mcpscope ui`) instead. `require('electron')` returns the binary's path only
// when its download succeeded; without it, it throws.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  // MCPSCOPE_NO_ELECTRON=1 takes the browser-mode path even where the binary exists (tests).
  if (process.env.MCPSCOPE_NO_ELECTRON === '1') return undefined;
  try {
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

function run(cmd, argv, env = process.env) {
  const child = spawn(cmd, argv, { stdio: 'inherit', cwd: root, env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
if (electron) {
  // main.ts/preload.ts are outside the CLI build (they need Electron's types): build them now.
  const tsc = require.resolve('typescript/bin/tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.electron.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would turn the app into a plain Node process
  run(electron, ['dist/electron/main.js', ...args], env);
} else {
  process.stderr.write(
    'mcpscope: the Electron binary is not installed here (its download was skipped or blocked), so the desktop window cannot open.\n' +
      "          Starting browser mode instead: open the URL below. To get the desktop app, run `npx electron --version` after allowing Electron's download, or use a packaged build.\n",
  );
  run(process.execPath, ['bin/mcpscope.js', 'ui', ...args]);
}
