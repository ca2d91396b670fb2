export * from './sse.js';
export * from './headers.js';
export * from './endpoint.js';
export * from './resume.js';
export * from './content.js';
