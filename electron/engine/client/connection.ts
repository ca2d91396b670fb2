// TODO(issue 5): being implemented now; the signatures are the contract.
import type { ConnectionInfo, JsonObject, RawSendResult, RequestOptions } from './types.js';

export class Connection {
  constructor(readonly id: string) {}
  get info(): ConnectionInfo {
    throw new Error('TODO');
  }
  listTools(_o?: RequestOptions): Promise<JsonObject[]> {
    throw new Error('TODO');
  }
  listResources(_o?: RequestOptions): Promise<JsonObject[]> {
    throw new Error('TODO');
  }
  listResourceTemplates(_o?: RequestOptions): Promise<JsonObject[]> {
    throw new Error('TODO');
  }
  listPrompts(_o?: RequestOptions): Promise<JsonObject[]> {
    throw new Error('TODO');
  }
  callTool(_name: string, _args: JsonObject, _o?: RequestOptions): Promise<JsonObject> {
    throw new Error('TODO');
  }
  readResource(_uri: string, _o?: RequestOptions): Promise<JsonObject> {
    throw new Error('TODO');
  }
  subscribe(_uri: string, _o?: RequestOptions): Promise<void> {
    throw new Error('TODO');
  }
  unsubscribe(_uri: string, _o?: RequestOptions): Promise<void> {
    throw new Error('TODO');
  }
  getPrompt(_name: string, _args: Record<string, string>, _o?: RequestOptions): Promise<JsonObject> {
    throw new Error('TODO');
  }
  complete(_ref: JsonObject, _argument: { name: string; value: string }, _context?: JsonObject, _o?: RequestOptions): Promise<JsonObject> {
    throw new Error('TODO');
  }
  setLevel(_level: string, _o?: RequestOptions): Promise<void> {
    throw new Error('TODO');
  }
  ping(_o?: RequestOptions): Promise<number> {
    throw new Error('TODO');
  }
  cancel(_opId: string, _reason?: string): boolean {
    throw new Error('TODO');
  }
  sendRaw(_text: string, _o?: { timeoutMs?: number }): Promise<RawSendResult> {
    throw new Error('TODO');
  }
  answerServerRequest(_key: string, _result: JsonObject): boolean {
    throw new Error('TODO');
  }
  rejectServerRequest(_key: string, _error: { code: number; message: string; data?: unknown }): boolean {
    throw new Error('TODO');
  }
  close(): Promise<void> {
    throw new Error('TODO');
  }
}
