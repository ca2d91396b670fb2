export * from './jsonrpc.js';
export * from './methods.js';
export * from './messages.js';
export * from './session.js';
export * from './canonical.js';
