// Attack dictionaries: strings that are valid for a `string` schema but probe what the server does
// with them. Each entry is data sent to the server under test; nothing here is ever executed.

export const PATH_TRAVERSAL = [
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/etc/shadow',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '....//....//etc/hosts',
  'file:///etc/passwd',
  '~/.ssh/id_rsa',
  '/proc/self/environ',
];

export const SSRF_URLS = [
  'http://169.254.169.254/latest/meta-data/',
  'http://127.0.0.1:22/',
  'http://localhost:6379/',
  'http://[::1]/',
  'http://0.0.0.0/',
  'gopher://127.0.0.1:25/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'file:///etc/passwd',
];

export const COMMAND_INJECTION = [
  '; id',
  '| cat /etc/passwd',
  '$(whoami)',
  '`uname -a`',
  '&& echo pwned',
  '\n/bin/sh',
  "'; exit 1; '",
];

export const SQL_INJECTION = [
  "'",
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  "1' UNION SELECT NULL--",
  "admin'--",
  '1; SELECT pg_sleep(0)',
];

export const FORMAT_STRINGS = ['%s%s%s%s', '%n', '%x%x%x', '{0}{1}', '${7*7}', '{{7*7}}', '#{7*7}'];

export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
];

/** Unicode edge cases: empty, astral, combining, RTL override, zero-width, NUL, lone surrogate, BOM. */
export const UNICODE_EDGES = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u200b',
  '\ufeff',
  '😀',
  'e\u0301',
  '𝕏'.repeat(3),
  'Ω≈ç√',
  '\r\n',
  '\t',
];

export const ATTACK_STRINGS: readonly string[] = [
  ...PATH_TRAVERSAL,
  ...SSRF_URLS,
  ...COMMAND_INJECTION,
  ...SQL_INJECTION,
  ...FORMAT_STRINGS,
  ...PROTOTYPE_KEYS,
];
