// The Content-Security-Policy of the UI, in both shells (Electron and browser mode). Everything the
// UI loads is bundled: no CDN, no remote fonts, no inline scripts, no eval. Monaco needs inline
// styles (it injects <style>) and Web Workers (bundled files, sometimes created from blob: URLs).
// Images only from data: (server-sent images are shown as data: URLs of safe types).

export interface CspOptions {
  /** Extra connect-src entries (browser mode: the API WebSocket's exact origin). */
  connect?: string[];
}

export function buildCsp(opts: CspOptions = {}): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...(opts.connect ?? [])]],
    ['worker-src', ["'self'", 'blob:']],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

/** Headers every UI response carries in browser mode. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  // The page URL carries the token: never leak it in a Referer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
