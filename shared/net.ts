// Loopback addresses and the Host allow-list of loopback listeners, once for every listener
// (HTTP recorder, bridge, browser-mode UI server) and the transport detector.

const IPV4_LOOPBACK = /^127\.(?:\d{1,3})\.(?:\d{1,3})\.(?:\d{1,3})$/;

/** A host name or address (IPv6 with or without brackets) that stays on this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return IPV4_LOOPBACK.test(h) && h.split('.').every((o) => Number(o) <= 255);
}

/** The Host header values a loopback listener on `port` accepts (DNS-rebinding guard). */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/**
 * DNS-rebinding guard for loopback listeners: a web page can make a browser send requests to
 * 127.0.0.1 under a name it controls; the Host header then names that domain, not ours.
 */
export function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  if (hostHeader === undefined) return false;
  return loopbackHosts(port).includes(hostHeader.toLowerCase());
}
