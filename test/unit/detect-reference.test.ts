// Hard negatives: the official reference servers' tool lists (transcribed in
// test/fixtures/detect/reference-servers.json) produce no finding at medium or above, scanned
// each alone and all together (cross-server names and references included).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectServers } from '../../shared/detect/run.js';
import { atLeast } from '../../shared/detect/types.js';
import { ROOT } from '../helpers/paths.js';
import { makeServer } from '../helpers/factories.js';

interface Fixture {
  servers: {
    name: string;
    instructions?: string;
    tools: unknown[];
    prompts?: Record<string, unknown>[];
    resources?: Record<string, unknown>[];
    resourceTemplates?: Record<string, unknown>[];
  }[];
}
// reference-servers.json: filesystem, memory, sequential-thinking (transcribed from their source);
// everything.json: server-everything's live listing (instructions, tools, prompts, resources).
const load = (f: string) =>
  (JSON.parse(readFileSync(join(ROOT, 'test/fixtures/detect', f), 'utf8')) as Fixture).servers;
const servers = [...load('reference-servers.json'), ...load('everything.json')].map((s) =>
  makeServer(s.name, s.tools, {
    resources: s.resources ?? [],
    prompts: s.prompts ?? [],
    resourceTemplates: s.resourceTemplates ?? [],
    ...(s.instructions !== undefined ? { instructions: s.instructions } : {}),
  }),
);

describe('reference servers', () => {
  for (const s of servers) {
    it(`${s.name}: ${s.tools.length} tools, nothing at medium or above`, () => {
      expect(s.tools.length).toBeGreaterThan(0);
      const bad = detectServers([s]).filter((f) => atLeast(f.severity, 'medium'));
      expect(bad.map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
    });
  }
  it('all together: no cross-server finding at medium or above', () => {
    const bad = detectServers(servers).filter((f) => atLeast(f.severity, 'medium'));
    expect(bad.map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
  });
});
