// An HTTP server that dies mid-request (Streamable HTTP and legacy SSE): the request fails at once
// with a clear error instead of waiting for its timeout, the session is marked closed, and the
// capture is intact.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ConnectionManager } from '../../electron/engine/client/index.js';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';
import { captureRecords, startEverything, waitEvent, type Everything } from './client-harness.js';

describe.each(['streamableHttp', 'sse'] as const)(
  'server-everything over %s dies mid-request',
  (mode) => {
    let server: Everything | undefined;
    const manager = new ConnectionManager();
    afterAll(async () => {
      await manager.closeAll();
      await server?.stop();
    });

    it('fails the request with a clear error, marks the session closed, keeps the capture intact', async () => {
      server = await startEverything(mode);
      const capture = join(scratchDir(), `dies-${mode}.mcpscope.jsonl`);
      // A long timeout: the failure must come from the broken stream, not from the timer.
      const conn = await manager.open(server.target, { capturePath: capture, timeoutMs: 50_000 });
      const closed = waitEvent(manager, 'status', (e) => e.info.status === 'closed', 20_000);
      const started = Date.now();
      const call = conn.callTool(
        'trigger-long-running-operation',
        { duration: 20, steps: 20 },
        { onProgress: () => void server?.stop() },
      );
      await expect(call).rejects.toThrow(
        /tools\/call failed: the server closed the connection before answering \(connection lost: .*stream .* broke/,
      );
      expect(Date.now() - started).toBeLessThan(20_000);
      expect((await closed).info.error).toMatch(/connection lost/);
      expect(conn.status).toBe('closed');
      const records = captureRecords(capture);
      expect(records.some((r) => r.type === 'error' && /broke/.test(r.message))).toBe(true);
      expect(records.at(-1)?.type).toBe('end');
      expect((await runCli(['verify', capture])).code).toBe(0);
    });
  },
);
