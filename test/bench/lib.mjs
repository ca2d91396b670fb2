// What the benches share (not a bench itself: run.mjs runs *.bench.mjs only): the paths, a free
// loopback port, starting a Node child until it says it is ready, the build and Chromium checks,
// Chromium with the benches' flags, and the MCP handshake frames of a generated capture.
// ui.bench.mjs, scale.bench.mjs and store.bench.mjs can adopt these too.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
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
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

/** A port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Spawn node with args; resolve with {child, match} once stderr matches `ready` (bounded in
 * time); reject when it exits first. `children` collects it for the bench's cleanup.
 */
export function startNode(args, ready, { env = {}, children = [], ms = 20_000 } = {}) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`not ready in ${ms / 1000} s: ${args.join(' ')}\n${err}`)),
      ms,
    );
    child.stderr.on('data', (c) => {
      err += c;
      const m = ready.exec(err);
      if (m) {
        clearTimeout(t);
        resolve({ child, match: m });
      }
    });
    child.on('close', (code) => {
      clearTimeout(t);
      reject(new Error(`exited ${code} before ready: ${err}`));
    });
  });
}

/** Exit 2 with what to do when the build a bench needs is missing. */
export function requireBuild(bench, files = ['renderer/dist/index.html']) {
  const all = [...files, 'dist/electron/engine/capture/writer.js'];
  if (all.every((f) => existsSync(join(ROOT, f)))) return;
  console.error(`${bench}: build first: npm run build (${all.join(' and ')} missing)`);
  process.exit(2);
}

/** Exit 2 when there is no Chromium to drive. */
export function requireChromium(bench) {
  if (existsSync(CHROMIUM)) return;
  console.error(`${bench}: no Chromium at ${CHROMIUM}; set CHROMIUM_PATH`);
  process.exit(2);
}

/** Debian's Chromium, headless, with a profile in `profileDir` (playwright-core). */
export async function launchChromium(profileDir, extraArgs = []) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport: { width: 1400, height: 900 },
  });
}

/**
 * The handshake a generated capture starts with: initialize, its result (a server with tools)
 * and (unless `initialized: false`) notifications/initialized, written through `frame(dir, message)`.
 */
export function writeHandshake(frame, serverName = 'bench-server', { initialized = true } = {}) {
  frame('c2s', {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'bench', version: '1' },
    },
  });
  frame('s2c', {
    jsonrpc: '2.0',
    id: 0,
    result: {
      protocolVersion: '2025-06-18',
      capabilities: { tools: {} },
      serverInfo: { name: serverName, version: '1' },
    },
  });
  if (initialized) frame('c2s', { jsonrpc: '2.0', method: 'notifications/initialized' });
}
