// DNS-rebinding guard for loopback listeners: a web page can make a browser send requests to
// 127.0.0.1 under a name it controls; the Host header then names that domain, not ours.

export function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  if (hostHeader === undefined) return false;
  const h = hostHeader.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `[::1]:${port}`;
}
