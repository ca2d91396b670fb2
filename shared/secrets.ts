// The ONE list of secret names: which headers, query parameters, flags and env names carry
// credentials. Every recorder (proxy and client mode), redaction (capture headers, exports) and
// detector (transport, timeline, scan) asks here, so the same traffic is masked the same way
// wherever it was recorded.

/** Request headers that authenticate a request (a request carrying one is "authenticated"). */
export const AUTH_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
]);

/** Headers whose values are always masked in records: the auth headers and their relatives. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  ...AUTH_HEADERS,
  'set-cookie',
  'x-csrf-token',
  'x-xsrf-token',
]);

/**
 * Name fragments that mark a header, query parameter, flag or environment variable as secret
 * (`x-goog-api-key`, `x-amz-security-token`, `--client-secret`, `DB_PASSWORD`, `?sig=`…).
 * Session ids are NOT secret here: they tie requests to streams and are kept in records.
 */
export const SECRET_NAME =
  /(api[-_]?key|apikey|token|secret|passw(or)?d|passphrase|credential|auth|private[-_]?key|signature|^sig$|^key$|^pass$|^pwd$|^jwt$|^bearer$)/i;

/**
 * Query parameter names that put a credential in a URL, exactly (the transport detector flags
 * these; a session id in the configured server URL counts there, unlike in records).
 */
export const CREDENTIAL_PARAMS: ReadonlySet<string> = new Set([
  'token',
  'access_token',
  'auth',
  'auth_token',
  'api_key',
  'apikey',
  'key',
  'secret',
  'client_secret',
  'password',
  'pass',
  'pwd',
  'sig',
  'signature',
  'session',
  'sessionid',
  'jwt',
  'bearer',
  'code',
]);

/** Whether the value of header `name` must be masked in a record. */
export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_HEADERS.has(n) || SECRET_NAME.test(n);
}

/** Whether header `name` authenticates a request. */
export const isAuthHeader = (name: string): boolean => AUTH_HEADERS.has(name.toLowerCase());

/** Whether a query parameter, flag or env name holds a secret value (for masking). */
export const isSecretName = (name: string): boolean => SECRET_NAME.test(name);

/** Whether a URL query parameter is a credential (for the transport detector). */
export const isCredentialParam = (name: string): boolean =>
  CREDENTIAL_PARAMS.has(name.toLowerCase());
