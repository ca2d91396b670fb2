// Listing with every page followed, and the history of how each list changed in a session.

import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions as SdkRequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { canonicalJson } from '../../../shared/protocol/canonical.js';
import { itemKey, type ListChange, type ListKind } from '../../../shared/protocol/session.js';
import type { JsonObject } from './types.js';

export const LIST_METHOD: Record<ListKind, string> = {
  tools: 'tools/list',
  resources: 'resources/list',
  resourceTemplates: 'resources/templates/list',
  prompts: 'prompts/list',
};

/** A hostile server can hand out cursors forever; this many pages is far beyond any real list. */
export const MAX_PAGES = 10_000;

type Page = { items: unknown[]; nextCursor?: string };

async function page(
  client: Client,
  kind: ListKind,
  cursor: string | undefined,
  opts: SdkRequestOptions,
): Promise<Page> {
  const params = cursor === undefined ? undefined : { cursor };
  switch (kind) {
    case 'tools': {
      const r = await client.listTools(params, opts);
      return {
        items: r.tools,
        ...(r.nextCursor !== undefined ? { nextCursor: r.nextCursor } : {}),
      };
    }
    case 'resources': {
      const r = await client.listResources(params, opts);
      return {
        items: r.resources,
        ...(r.nextCursor !== undefined ? { nextCursor: r.nextCursor } : {}),
      };
    }
    case 'resourceTemplates': {
      const r = await client.listResourceTemplates(params, opts);
      return {
        items: r.resourceTemplates,
        ...(r.nextCursor !== undefined ? { nextCursor: r.nextCursor } : {}),
      };
    }
    case 'prompts': {
      const r = await client.listPrompts(params, opts);
      return {
        items: r.prompts,
        ...(r.nextCursor !== undefined ? { nextCursor: r.nextCursor } : {}),
      };
    }
  }
}

/** Every item of a list, following `nextCursor` until the server stops sending one. */
export async function listAll(
  client: Client,
  kind: ListKind,
  opts: () => SdkRequestOptions,
): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const p = await page(client, kind, cursor, opts());
    items.push(...(p.items as JsonObject[]));
    if (p.nextCursor === undefined) return items;
    if (seen.has(p.nextCursor)) {
      throw new Error(
        `${LIST_METHOD[kind]}: the server sent the cursor ${JSON.stringify(p.nextCursor)} twice; stopped following it to avoid an endless loop (a server bug)`,
      );
    }
    seen.add(p.nextCursor);
    cursor = p.nextCursor;
  }
  throw new Error(
    `${LIST_METHOD[kind]}: more than ${MAX_PAGES} pages; stopped following nextCursor (a server bug?)`,
  );
}

/** Compare two complete listings by item key and full definition. */
export function diffLists(
  kind: ListKind,
  before: JsonObject[],
  after: JsonObject[],
): Omit<ListChange, 'seq' | 'ts'> {
  const map = (xs: JsonObject[]) => new Map(xs.map((x) => [itemKey(kind, x), canonicalJson(x)]));
  const a = map(before);
  const b = map(after);
  const added = [...b.keys()].filter((k) => !a.has(k));
  const removed = [...a.keys()].filter((k) => !b.has(k));
  const changed = [...b.keys()].filter((k) => a.has(k) && a.get(k) !== b.get(k));
  return { added, removed, changed };
}

export class ListHistory {
  private readonly state = new Map<ListKind, { items: JsonObject[]; history: ListChange[] }>();

  get(kind: ListKind): { items: JsonObject[]; history: ListChange[] } {
    return this.state.get(kind) ?? { items: [], history: [] };
  }

  /** Store a complete listing; returns the change when it differs from the previous one (or is the first). */
  update(kind: ListKind, items: JsonObject[], seq: number, ts: number): ListChange | undefined {
    const prev = this.state.get(kind);
    const d = diffLists(kind, prev?.items ?? [], items);
    const first = prev === undefined;
    const entry = prev ?? { items, history: [] };
    entry.items = items;
    this.state.set(kind, entry);
    if (!first && d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0)
      return undefined;
    const change: ListChange = { seq, ts, ...d };
    entry.history.push(change);
    return change;
  }
}
