// Shared pieces of the replay/mock integration tests: an SDK client session against
// server-everything (the same calls every time, so a live run and a mock run can be compared),
// recording through the real `mcpscope record`, and the replay CLI's JSON.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { ReplayJson } from '../../shared/replay/index.js';
import { runCli } from '../helpers/cli.js';
import { CLI } from '../helpers/paths.js';

export function samplingClient(): Client {
  const c = new Client(
    { name: 'mcpscope-replay-it', version: '1.0.0' },
    { capabilities: { sampling: {} } },
  );
  c.setRequestHandler(CreateMessageRequestSchema, () => ({
    role: 'assistant',
    content: { type: 'text', text: 'sampled by the test' },
    model: 'test-model',
  }));
  return c;
}

/** The same calls every time; returns what the client saw (progress included). */
export async function everythingSession(transport: Transport): Promise<Record<string, unknown>> {
  const c = samplingClient();
  await c.connect(transport);
  const out: Record<string, unknown> = {};
  try {
    out.server = c.getServerVersion();
    out.tools = await c.listTools();
    const res = await c.listResources();
    out.resources = res;
    out.templates = await c.listResourceTemplates();
    out.read = await c.readResource({ uri: res.resources[0]!.uri });
    out.prompts = await c.listPrompts();
    out.prompt = await c.getPrompt({ name: 'simple-prompt' });
    out.echo = await c.callTool({ name: 'echo', arguments: { message: 'hello ✓' } });
    out.echo2 = await c.callTool({ name: 'echo', arguments: { message: 'second' } });
    out.sum = await c.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
    out.image = await c.callTool({ name: 'get-tiny-image', arguments: {} });
    out.structured = await c.callTool({
      name: 'get-structured-content',
      arguments: { location: 'New York' },
    });
    const progress: number[] = [];
    out.long = await c.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 0.2, steps: 2 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    out.progress = progress;
    out.sampling = await c.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'say hi', maxTokens: 5 },
    });
  } finally {
    await c.close();
  }
  return out;
}

export function recordingTransport(capture: string, server: string[]): StdioClientTransport {
  return new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'record', '--out', capture, '--', ...server],
    stderr: 'pipe',
  });
}

export function mockTransport(capture: string, extra: string[] = []): StdioClientTransport {
  return new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mock', capture, ...extra],
    stderr: 'pipe',
  });
}

export async function replayJson(
  capture: string,
  dir: string,
  args: string[] = [],
): Promise<{ code: number | null; json: ReplayJson; stderr: string }> {
  const r = await runCli(
    [
      'replay',
      capture,
      '--json',
      '--out',
      join(dir, `replay-${Date.now()}-${Math.random().toString(36).slice(2)}.mcpscope.jsonl`),
      ...args,
    ],
    { timeoutMs: 60_000 },
  );
  expect(r.stdout, r.stderr).toMatch(/^\{/);
  return { code: r.code, json: JSON.parse(r.stdout) as ReplayJson, stderr: r.stderr };
}
