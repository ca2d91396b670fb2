// Builds the renderer into renderer/dist: one bundle, Monaco and its workers included, relative
// asset paths so the same files load from file:// (Electron) and from the local UI server.
import { builtinModules } from 'node:module';
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
        throw new Error(`renderer bundle must not import "${source}" (imported by ${importer ?? '?'}); the renderer runs in a browser`);
      }
      return null;
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [noNodeBuiltins(), react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 5000,
    sourcemap: false,
  },
  worker: { format: 'es' },
});
