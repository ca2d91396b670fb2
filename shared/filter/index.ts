export * from './parse.js';
export * from './match.js';
