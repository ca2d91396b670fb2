// TODO(issue 5): being implemented now; the signatures are the contract.
import type { ClientEvents, ConnectOptions, ConnectionInfo, ServerTarget } from './types.js';
import type { Connection } from './connection.js';

export interface ConnectionManagerOptions {
  /** Put every connection in this one capture file (records carry `conn`). Default: one file per connection. */
  sharedCapturePath?: string;
  defaults?: ConnectOptions;
}

type Listener<K extends keyof ClientEvents> = (e: ClientEvents[K]) => void;

export class ConnectionManager {
  constructor(readonly options: ConnectionManagerOptions = {}) {}
  open(_target: ServerTarget, _opts?: ConnectOptions): Promise<Connection> {
    throw new Error('TODO');
  }
  get(_id: string): Connection | undefined {
    throw new Error('TODO');
  }
  list(): ConnectionInfo[] {
    throw new Error('TODO');
  }
  close(_id: string): Promise<void> {
    throw new Error('TODO');
  }
  closeAll(): Promise<void> {
    throw new Error('TODO');
  }
  on<K extends keyof ClientEvents>(_event: K, _l: Listener<K>): () => void {
    throw new Error('TODO');
  }
}
