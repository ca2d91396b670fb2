// Builds the renderer into renderer/dist: one bundle, Monaco and its workers included, relative
// asset paths so the same files load from file:// (Electron) and from the local UI server.
import { readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Fail the build if a Node built-in (or electron) ends up imported by renderer code. */
/** @returns {import("vite").Plugin} */
function noNodeBuiltins() {
  return {
    name: 'mcpscope-no-node-builtins',
    enforce: 'pre',
    resolveId(source, importer) {
      if (nodeBuiltins.has(source) || source === 'electron') {
        throw new Error(
          `renderer bundle must not import "${source}" (imported by ${importer ?? '?'}); the renderer runs in a browser`,
        );
      }
      return null;
    },
  };
}

/**
 * Replace the previous build's files only after the new ones are written (instead of emptying
 * the folder first): a build running while a UI server or a test serves renderer/dist never
 * leaves it empty.
 */
function pruneStaleAssets() {
  /** @type {Set<string>} */
  let keep = new Set();
  return {
    name: 'mcpscope-prune-stale-assets',
    /** @param {unknown} _opts @param {Record<string, unknown>} bundle */
    writeBundle(_opts, bundle) {
      keep = new Set([...keep, ...Object.keys(bundle)]);
    },
    closeBundle() {
      const dir = join(outDir, 'assets');
      /** @type {string[]} */
      let files;
      try {
        files = readdirSync(dir);
      } catch {
        return;
      }
      for (const f of files) if (!keep.has(`assets/${f}`)) rmSync(join(dir, f), { force: true });
    },
  };
}

const outDir = fileURLToPath(new URL('./dist', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [noNodeBuiltins(), react(), pruneStaleAssets()],
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2022',
    chunkSizeWarningLimit: 5000,
    sourcemap: false,
  },
  worker: { format: 'es' },
});
