// The proxy's listen address: loopback by default; anything else must be asked for explicitly,
// because a recorder on a public interface hands the target (and its credentials) to the network.

import { isIP } from 'node:net';
import { isLoopback } from '../../../../shared/net.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export class ListenError extends Error {}

/** Parses `HOST:PORT`, `:PORT`, `PORT` or `[::1]:PORT`. Host defaults to 127.0.0.1, port to 0 (free port). */
export function parseListen(spec: string | undefined): ListenAddress {
  if (spec === undefined || spec === '') return { host: '127.0.0.1', port: 0 };
  let host = '127.0.0.1';
  let portText = spec;
  const v6 = /^\[([^\]]+)\]:(\d*)$/.exec(spec);
  if (v6) {
    host = v6[1]!;
    portText = v6[2]!;
  } else if (spec.includes(':')) {
    const at = spec.lastIndexOf(':');
    host = spec.slice(0, at) || host;
    portText = spec.slice(at + 1);
  } else if (!/^\d+$/.test(spec)) {
    host = spec;
    portText = '';
  }
  const port = portText === '' ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ListenError(
      `--listen ${spec}: the port must be a number from 0 to 65535 (0 picks a free port).`,
    );
  }
  return { host, port };
}

export { isLoopback };

/** `http://host:port` with IPv6 hosts bracketed. */
export function originOf(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** Throws when a non-loopback address was asked for without `allowRemote`; returns a warning otherwise. */
export function checkListenHost(host: string, allowRemote: boolean): string | undefined {
  if (isLoopback(host)) return undefined;
  if (!allowRemote) {
    throw new ListenError(
      `--listen ${host}: refusing to listen on a non-loopback address. Anyone who can reach it could talk to the target through mcpscope. Use 127.0.0.1, or add --allow-remote if you really mean it.`,
    );
  }
  return `mcpscope: WARNING: listening on ${host}, reachable from other machines; the proxy has no authentication of its own.`;
}
