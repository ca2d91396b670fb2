// Identifiers read as text: `content_from_reading_ssh_id_rsa`, `ignoreAllPreviousInstructions`
// and `paste-entire-history` become word sequences the intent model can read like a sentence.

/** Split snake_case, kebab-case, dotted and camelCase identifiers into lower-case words. */
export function identifierWords(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_\-.:/]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** True when a string is one identifier (no spaces, at least two words once split). */
export const isIdentifier = (s: string): boolean =>
  s.length >= 5 &&
  s.length <= 200 &&
  !/\s/.test(s) &&
  /^[\p{L}\p{N}_\-.:]+$/u.test(s) &&
  identifierWords(s).includes(' ');

/** Prose with its identifiers also split (`read the integration_tokens table` → `… integration tokens table`), same length map not kept. */
export function splitIdentifiersInProse(s: string): string {
  return s.replace(
    /\b[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+\b|\b[a-z]+(?:[A-Z][a-z0-9]+)+\b/g,
    (m) => (/^[A-Z0-9_]+$/.test(m) ? m : identifierWords(m)),
  );
}
