// Reading a host config file and editing it in place. Files are parsed as JSONC (comments and
// trailing commas: VS Code's files have them, and a tolerant parser never hurts a strict file),
// and every edit is a text edit from jsonc-parser's `modify`, so the rest of the file — its
// indentation, comments, key order and every unrelated setting — stays byte for byte as it was.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  applyEdits,
  findNodeAtLocation,
  getNodeValue,
  modify,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import type { JsonObject, JsonValue } from '../../../shared/host-api.js';
import { isObject } from './entries.js';
import type { ContainerPath, HostFile } from './locations.js';

export class ConfigParseError extends Error {}

export interface ParsedConfig {
  text: string;
  tree: Node;
  eol: string;
  indent: { insertSpaces: boolean; tabSize: number };
  /** The file starts with a UTF-8 byte order mark (kept out of `text`, put back on write). */
  bom: boolean;
}

export interface ServerAt {
  name: string;
  /** JSON path of the entry: container + name. */
  path: string[];
  value: JsonValue;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Line and column (1-based) of an offset, for error messages. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

function detectIndent(text: string): ParsedConfig['indent'] {
  const m = /^([ \t]+)\S/m.exec(text);
  if (!m) return { insertSpaces: true, tabSize: 2 };
  if (m[1]!.startsWith('\t')) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: m[1]!.length };
}

export function parseConfig(text: string, path: string): ParsedConfig {
  const errors: ParseError[] = [];
  // A UTF-8 byte order mark is legal at the start of these files (Windows editors write one).
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const tree =
    body.trim() === ''
      ? undefined
      : parseTree(body, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !tree) {
    const e = errors[0];
    const where = e
      ? ` at ${position(body, e.offset)}: ${printParseErrorCode(e.error)}`
      : ': the file is empty';
    throw new ConfigParseError(
      `${path} is not valid JSON${where}. Fix the file (or restore it from its backup) and run again; mcpscope left it untouched.`,
    );
  }
  if (tree.type !== 'object')
    throw new ConfigParseError(
      `${path} does not hold a JSON object at the top. mcpscope left it untouched.`,
    );
  // Offsets are computed on `body`; the BOM stays out of the edited text and is put back on write.
  return {
    text: body,
    tree,
    eol: body.includes('\r\n') ? '\r\n' : '\n',
    indent: detectIndent(body),
    bom: body !== text,
  };
}

export function readConfigText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (
      (e as NodeJS.ErrnoException).code === 'ENOENT' ||
      (e as NodeJS.ErrnoException).code === 'ENOTDIR'
    )
      return undefined;
    throw e;
  }
}

export function valueAt(cfg: ParsedConfig, path: string[]): JsonValue | undefined {
  const node = findNodeAtLocation(cfg.tree, path);
  return node ? (getNodeValue(node) as JsonValue) : undefined;
}

/** The exact source text of the value at `path` (comments inside it included). */
export function textAt(cfg: ParsedConfig, path: string[]): string | undefined {
  const node = findNodeAtLocation(cfg.tree, path);
  return node ? cfg.text.slice(node.offset, node.offset + node.length) : undefined;
}

/** Containers of a file; for Claude Code's ~/.claude.json also every `projects[dir].mcpServers`. */
export function containersOf(file: HostFile, cfg: ParsedConfig): ContainerPath[] {
  const out = [...file.containers];
  if (file.host === 'claude-code' && file.scope === 'user') {
    const projects = valueAt(cfg, ['projects']);
    if (isObject(projects))
      for (const dir of Object.keys(projects)) out.push(['projects', dir, 'mcpServers']);
  }
  return out;
}

export function serversIn(file: HostFile, cfg: ParsedConfig): ServerAt[] {
  const out: ServerAt[] = [];
  for (const container of containersOf(file, cfg)) {
    const c = findNodeAtLocation(cfg.tree, container);
    if (c?.type !== 'object') continue;
    // Walk the property nodes rather than a parsed object: a server may be called "__proto__".
    for (const prop of c.children ?? []) {
      const [key, value] = prop.children ?? [];
      if (key?.type !== 'string' || !value) continue;
      const name = key.value as string;
      out.push({ name, path: [...container, name], value: getNodeValue(value) as JsonValue });
    }
  }
  return out;
}

/** Set (or with undefined, remove) the value at `path`, formatted like the file; returns the new text. */
export function setValue(
  cfg: ParsedConfig,
  text: string,
  path: string[],
  value: JsonValue | undefined,
): string {
  const edits = modify(text, path, value, { formattingOptions: { ...cfg.indent, eol: cfg.eol } });
  return applyEdits(text, edits);
}

/** Replace the node at `path` with `replacement` text exactly (used to put an entry's original text back). */
export function spliceAt(
  cfg: ParsedConfig,
  path: string[],
  replacement: string,
): string | undefined {
  const node = findNodeAtLocation(cfg.tree, path);
  if (!node) return undefined;
  return cfg.text.slice(0, node.offset) + replacement + cfg.text.slice(node.offset + node.length);
}

export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

function canon(v: JsonValue | undefined): JsonValue | undefined {
  if (Array.isArray(v)) return v.map((x) => canon(x) ?? null);
  if (isObject(v)) {
    const o: JsonObject = {};
    for (const k of Object.keys(v).sort()) o[k] = canon(v[k]) ?? null;
    return o;
  }
  return v;
}

/**
 * Turn the object at `path` from `from` into `to` key by key, so comments and formatting inside
 * the entry survive (replacing the whole value would reformat it and drop its comments).
 */
export function editEntry(
  cfg: ParsedConfig,
  text: string,
  path: string[],
  from: JsonObject,
  to: JsonObject,
): string {
  let out = text;
  for (const [k, v] of Object.entries(to))
    if (!deepEqual(from[k], v)) out = setValue(cfg, out, [...path, k], v);
  for (const k of Object.keys(from))
    if (!Object.prototype.hasOwnProperty.call(to, k))
      out = setValue(cfg, out, [...path, k], undefined);
  return out;
}
