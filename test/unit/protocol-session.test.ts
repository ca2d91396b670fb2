import { describe, expect, it } from 'vitest';
import { MessageIndex } from '../../shared/protocol/messages.js';
import { SessionModel } from '../../shared/protocol/session.js';
import { makeFrameInput, note, req, res, err } from '../helpers/factories.js';

function session(...frames: ReturnType<typeof makeFrameInput>[]) {
  const idx = new MessageIndex();
  const s = new SessionModel((mid) => idx.get(mid));
  for (const f of frames) for (const m of idx.add(f)) s.add(m);
  return s;
}

const init = (version = '2025-11-25') =>
  req(0, 'initialize', {
    protocolVersion: version,
    capabilities: { sampling: {}, roots: { listChanged: true } },
    clientInfo: { name: 'host', version: '1.2' },
  });
const initResult = (version = '2025-06-18') =>
  res(0, {
    protocolVersion: version,
    capabilities: { tools: { listChanged: true } },
    serverInfo: { name: 'srv', version: '9' },
    instructions: 'Use carefully.',
  });

describe('SessionModel', () => {
  it('records the handshake of both sides and the negotiated version', () => {
    const s = session(
      makeFrameInput('c2s', init()),
      makeFrameInput('s2c', initResult()),
      makeFrameInput('c2s', note('notifications/initialized')),
    );
    expect(s.handshake).toMatchObject({
      requestedVersion: '2025-11-25',
      protocolVersion: '2025-06-18',
      clientInfo: { name: 'host', version: '1.2' },
      serverInfo: { name: 'srv', version: '9' },
      clientCapabilities: { sampling: {}, roots: { listChanged: true } },
      serverCapabilities: { tools: { listChanged: true } },
      instructions: 'Use carefully.',
    });
    expect(s.handshake.initializedSeq).toBeDefined();
  });

  it('records a failed initialize', () => {
    const s = session(
      makeFrameInput('c2s', init()),
      makeFrameInput('s2c', err(0, -32602, 'Unsupported protocol version')),
    );
    expect(s.handshake.error).toEqual({ code: -32602, message: 'Unsupported protocol version' });
    expect(s.handshake.protocolVersion).toBeUndefined();
  });

  it('ignores hostile shapes instead of throwing', () => {
    const s = session(
      makeFrameInput(
        'c2s',
        req(0, 'initialize', { protocolVersion: 5, clientInfo: 'x', capabilities: [] }),
      ),
      makeFrameInput('s2c', res(0, 'not an object')),
      makeFrameInput('c2s', req(1, 'tools/list')),
      makeFrameInput('s2c', res(1, { tools: 'nope' })),
    );
    expect(s.handshake.requestedVersion).toBeUndefined();
    expect(s.lists.tools.items).toEqual([]);
  });

  it('gathers every page of a list and keeps a history of changes', () => {
    const tool = (name: string, description = 'd') => ({
      name,
      description,
      inputSchema: { type: 'object' },
    });
    const s = session(
      makeFrameInput('c2s', req(1, 'tools/list')),
      makeFrameInput('s2c', res(1, { tools: [tool('a'), tool('b')], nextCursor: 'p2' })),
      makeFrameInput('c2s', req(2, 'tools/list', { cursor: 'p2' })),
      makeFrameInput('s2c', res(2, { tools: [tool('c')] })),
    );
    expect(s.lists.tools.items.map((t) => t.name)).toEqual(['a', 'b', 'c']);
    expect(s.lists.tools.history).toHaveLength(1);

    // Same list again: no new history entry. Then a changed description, a removal and an addition.
    const s2 = session(
      makeFrameInput('c2s', req(1, 'tools/list')),
      makeFrameInput('s2c', res(1, { tools: [tool('a'), tool('b')] })),
      makeFrameInput('c2s', req(2, 'tools/list')),
      makeFrameInput('s2c', res(2, { tools: [tool('b'), tool('a')] })),
      makeFrameInput('c2s', req(3, 'tools/list')),
      makeFrameInput('s2c', res(3, { tools: [tool('a', 'now different'), tool('z')] })),
    );
    expect(s2.lists.tools.history).toHaveLength(2);
    expect(s2.lists.tools.history[1]).toMatchObject({
      added: ['z'],
      removed: ['b'],
      changed: ['a'],
    });
  });

  it('keys resources by uri and templates by uriTemplate', () => {
    const s = session(
      makeFrameInput('c2s', req(1, 'resources/list')),
      makeFrameInput('s2c', res(1, { resources: [{ uri: 'file:///a', name: 'A' }] })),
      makeFrameInput('c2s', req(2, 'resources/templates/list')),
      makeFrameInput(
        's2c',
        res(2, { resourceTemplates: [{ uriTemplate: 'file:///{x}', name: 'T' }] }),
      ),
      makeFrameInput('c2s', req(3, 'prompts/list')),
      makeFrameInput('s2c', res(3, { prompts: [{ name: 'p' }] })),
    );
    expect(s.lists.resources.history[0]!.added).toEqual(['file:///a']);
    expect(s.lists.resourceTemplates.history[0]!.added).toEqual(['file:///{x}']);
    expect(s.lists.prompts.items).toHaveLength(1);
  });
});
