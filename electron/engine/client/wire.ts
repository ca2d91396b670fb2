// The Transport the SDK Client talks to, wrapped around the recorded transport. It is where
// mcpscope acts on the message stream without changing what the SDK sees otherwise:
// - rewrites the protocol version of `initialize` to the one the user chose (the SDK always
//   asks for its latest), before serialisation, so the recorded frame is what was sent;
// - lets raw sends claim the responses to their ids, so the SDK does not see answers it never asked for;
// - observes every incoming message (notifications → events).

import type {
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

export interface WireHooks {
  requestedVersion?: string;
  /** Return true to keep the message from the SDK. */
  claim: (msg: JSONRPCMessage) => boolean;
  observe: (msg: JSONRPCMessage) => void;
}

export class WireShim implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  /** The version the server answered with, once known. */
  negotiatedVersion: string | undefined;

  constructor(
    readonly inner: Transport,
    private readonly hooks: WireHooks,
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion = (version: string): void => {
    this.negotiatedVersion = version;
    this.inner.setProtocolVersion?.(version);
  };

  start(): Promise<void> {
    this.inner.onmessage = (m, extra) => this.incoming(m, extra);
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (e) => this.onerror?.(e);
    return this.inner.start();
  }

  /** Deliver a message that arrived outside the inner transport (e.g. the answer to a raw HTTP POST). */
  incoming(msg: JSONRPCMessage, extra?: MessageExtraInfo): void {
    try {
      this.hooks.observe(msg);
    } catch {
      // Observers are best-effort; the SDK must still get the message.
    }
    if (this.hooks.claim(msg)) return;
    this.onmessage?.(msg, extra);
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const v = this.hooks.requestedVersion;
    if (
      v !== undefined &&
      'method' in message &&
      message.method === 'initialize' &&
      'id' in message
    ) {
      message = { ...message, params: { ...message.params, protocolVersion: v } };
    }
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
