// The fuzzer over Streamable HTTP (--url) against the real server-everything: pipelined POSTs,
// the session id kept, no framing cases, a recorded campaign that verifies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../electron/engine/capture/writer.js';
import { dryRun, runCampaign } from '../../electron/engine/fuzz/index.js';
import { verifyChain } from '../../shared/capture/index.js';
import { scratchDir } from '../helpers/paths.js';
import { startEverything, type Everything } from './client-harness.js';

describe('fuzz over Streamable HTTP', () => {
  let server: Everything;
  beforeAll(async () => {
    server = await startEverything('streamableHttp');
  });
  afterAll(() => server.stop());

  it('runs a campaign against server-everything without crashes or protocol violations', async () => {
    const url = server.target.transport !== 'stdio' ? server.target.url : '';
    const target = { transport: 'streamable-http' as const, url };
    const plan = await dryRun({ target, seed: 4, cases: 150, timeoutMs: 3000 });
    expect(plan.cases.some((c) => c.family === 'framing')).toBe(false);
    const capture = join(scratchDir('mcpscope-fuzz-http-'), 'http.mcpscope.jsonl');
    const r = await runCampaign({
      target,
      seed: 4,
      cases: 150,
      timeoutMs: 3000,
      capturePath: capture,
    });
    expect(r.cases).toBe(150);
    expect(r.findings.filter((f) => f.kind === 'crash' || f.kind === 'protocol-violation')).toEqual(
      [],
    );
    const text = readFileSync(capture, 'utf8');
    expect(verifyChain(text, nodeSha256).intact).toBe(true);
    expect(text).toContain('"channel":"http-post"');
  }, 120_000);
});
