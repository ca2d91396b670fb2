// Replay, value binding, normalised diff and the mock's matcher. Pure. See docs/replay.md.
export * from './pointer.js';
export * from './diff.js';
export * from './plan.js';
export * from './binding.js';
export * from './report.js';
export * from './mock.js';
