// Saved profiles ↔ the Connect form. A saved profile holds only the names of its secrets
// (environment variables, credential headers, a bearer token); loading one puts the names back in
// the form with empty values and remembers them, so Connect asks for each value again.

import type { SavedProfile } from '../../../shared/host-api.js';

export type Kind = 'stdio' | 'streamable-http' | 'sse';

export interface FormState {
  name: string;
  kind: Kind;
  command: string;
  args: string;
  env: string;
  url: string;
  headers: string;
  bearer: string;
  /** HTTP: a bearer token (or none), or OAuth (the flow runs in the engine on connect). */
  auth?: 'token' | 'oauth';
}

export const EMPTY_FORM: FormState = {
  name: '',
  kind: 'stdio',
  command: '',
  args: '',
  env: '',
  url: '',
  headers: '',
  bearer: '',
  auth: 'token',
};

/** What the user must type again before connecting with a loaded profile. */
export interface NeededSecrets {
  env: string[];
  headers: string[];
  bearer: boolean;
}

export const NO_SECRETS: NeededSecrets = { env: [], headers: [], bearer: false };

function quoteArg(a: string): string {
  return a === '' || /[\s"\\]/.test(a) ? `"${a.replace(/(["\\])/g, '\\$1')}"` : a;
}

export function formFromSaved(p: SavedProfile): { form: FormState; needs: NeededSecrets } {
  const form: FormState = { ...EMPTY_FORM, name: p.name, kind: p.transport };
  if (p.transport === 'stdio') {
    form.command = p.command ?? '';
    form.args = (p.args ?? []).map(quoteArg).join(' ');
    form.env = (p.envKeys ?? []).map((k) => `${k}=`).join('\n');
  } else {
    form.url = p.url ?? '';
    const lines = Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
    for (const k of p.secretHeaders ?? []) lines.push(`${k}: `);
    form.headers = lines.join('\n');
    if (p.auth === 'oauth') form.auth = 'oauth';
  }
  return {
    form,
    needs: { env: p.envKeys ?? [], headers: p.secretHeaders ?? [], bearer: p.bearerToken === true },
  };
}

/** True when the line `key<sep>` is in the text with nothing after it (a deleted line is a choice, not a gap). */
function emptyLine(text: string, key: string, sep: '=' | ':'): boolean {
  for (const line of text.split('\n')) {
    const i = line.indexOf(sep);
    if (i > 0 && line.slice(0, i).trim() === key) return line.slice(i + 1).trim() === '';
  }
  return false;
}

/** Secrets of the loaded profile still empty in the form, as words for the user; [] when ready. */
export function missingSecrets(f: FormState, needs: NeededSecrets): string[] {
  const out: string[] = [];
  if (f.kind === 'stdio') {
    for (const k of needs.env) if (emptyLine(f.env, k, '=')) out.push(`environment variable ${k}`);
  } else {
    for (const k of needs.headers) if (emptyLine(f.headers, k, ':')) out.push(`header ${k}`);
    if (needs.bearer && f.auth !== 'oauth' && !f.bearer.trim()) out.push('bearer token');
  }
  return out;
}
