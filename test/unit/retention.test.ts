// The retention policy (shared/retention.ts): age first, then oldest first until under the size
// limit; captures that may still be recording are never deleted.
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  LIVE_WINDOW_MS,
  parseMaxAge,
  parseMaxSize,
  planRetention,
  retentionPolicySchema,
  RetentionInputError,
  type RetentionFile,
} from '../../shared/retention.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 5);
const file = (name: string, ageDays: number, bytes: number, ended = true): RetentionFile => ({
  path: `/data/captures/${name}`,
  bytes,
  mtimeMs: NOW - ageDays * DAY,
  ended,
});

describe('parseMaxAge / parseMaxSize', () => {
  it('reads days, weeks and years, and binary sizes', () => {
    expect(parseMaxAge('30d')).toBe(30);
    expect(parseMaxAge('2w')).toBe(14);
    expect(parseMaxAge('1y')).toBe(365);
    expect(parseMaxAge('7')).toBe(7);
    expect(parseMaxAge('none')).toBeNull();
    expect(parseMaxSize('2GB')).toBe(2 * 1024 ** 3);
    expect(parseMaxSize('500 MB')).toBe(500 * 1024 ** 2);
    expect(parseMaxSize('1.5k')).toBe(1536);
    expect(parseMaxSize('4096')).toBe(4096);
    expect(parseMaxSize('off')).toBeNull();
  });

  it('rejects what it cannot read, saying what to type', () => {
    expect(() => parseMaxAge('30 minutes')).toThrow(RetentionInputError);
    expect(() => parseMaxAge('0d')).toThrow(/from 1 day/);
    expect(() => parseMaxSize('2 parsecs')).toThrow(/such as 500MB, 2GB/);
    expect(() => parseMaxSize('0')).toThrow(/at least 1 byte/);
  });

  it('the schema refuses negative, fractional and extra fields', () => {
    expect(retentionPolicySchema.safeParse({ maxAgeDays: -1, maxBytes: null }).success).toBe(false);
    expect(retentionPolicySchema.safeParse({ maxAgeDays: 1.5, maxBytes: null }).success).toBe(
      false,
    );
    expect(retentionPolicySchema.safeParse({ maxAgeDays: 1, maxBytes: null, x: 1 }).success).toBe(
      false,
    );
    expect(retentionPolicySchema.safeParse({ maxAgeDays: 30, maxBytes: 1024 }).success).toBe(true);
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });
});

describe('planRetention', () => {
  it('without limits deletes nothing', () => {
    const plan = planRetention(
      [file('a', 400, 10), file('b', 1, 10)],
      { maxAgeDays: null, maxBytes: null },
      NOW,
    );
    expect(plan.delete).toEqual([]);
    expect(plan.kept).toBe(2);
    expect(plan.totalBytes).toBe(20);
  });

  it('deletes what is older than the max age, oldest first', () => {
    const plan = planRetention(
      [file('new', 1, 10), file('old', 40, 10), file('older', 90, 10), file('edge', 30, 10)],
      { maxAgeDays: 30, maxBytes: null },
      NOW,
    );
    expect(plan.delete.map((d) => [d.path.split('/').pop(), d.reason])).toEqual([
      ['older', 'age'],
      ['old', 'age'],
    ]);
    expect(plan.kept).toBe(2);
    expect(plan.keptBytes).toBe(20);
  });

  it('deletes the oldest until the total is under the max size', () => {
    const plan = planRetention(
      [file('d', 1, 100), file('a', 4, 100), file('c', 2, 100), file('b', 3, 100)],
      { maxAgeDays: null, maxBytes: 250 },
      NOW,
    );
    expect(plan.delete.map((d) => d.path.split('/').pop())).toEqual(['a', 'b']);
    expect(plan.delete.every((d) => d.reason === 'size')).toBe(true);
    expect(plan.keptBytes).toBe(200);
  });

  it('age first, then size over what is left', () => {
    const plan = planRetention(
      [file('ancient', 100, 1000), file('x', 3, 100), file('y', 2, 100), file('z', 1, 100)],
      { maxAgeDays: 30, maxBytes: 150 },
      NOW,
    );
    expect(plan.delete.map((d) => [d.path.split('/').pop(), d.reason])).toEqual([
      ['ancient', 'age'],
      ['x', 'size'],
      ['y', 'size'],
    ]);
    expect(plan.keptBytes).toBe(100);
  });

  it('never deletes a capture that may still be recording, even when over both limits', () => {
    const recording = { ...file('rec', 0, 5000, false), mtimeMs: NOW - 60_000 };
    const live = { ...file('live', 200, 5000, false), live: true };
    const crashed = file('crashed', 200, 10, false); // no end record, but silent for long: not live
    const plan = planRetention(
      [recording, live, crashed, file('done', 5, 10)],
      { maxAgeDays: 30, maxBytes: 1 },
      NOW,
    );
    expect(plan.delete.map((d) => d.path.split('/').pop())).toEqual(['crashed', 'done']);
    expect(plan.protected.map((p) => p.path.split('/').pop()).sort()).toEqual(['live', 'rec']);
    expect(plan.protected.find((p) => p.path.endsWith('rec'))!.why).toMatch(
      /may still be recording/,
    );
    // Protected files count towards the total: it stays over the limit, and that is reported.
    expect(plan.keptBytes).toBe(10_000);
  });

  it('the live window is a boundary: just inside kept, just outside deletable', () => {
    const inside = { ...file('in', 0, 10, false), mtimeMs: NOW - LIVE_WINDOW_MS + 1000 };
    const outside = { ...file('out', 0, 10, false), mtimeMs: NOW - LIVE_WINDOW_MS - 1000 };
    const plan = planRetention([inside, outside], { maxAgeDays: null, maxBytes: 1 }, NOW);
    expect(plan.delete.map((d) => d.path.split('/').pop())).toEqual(['out']);
    expect(plan.protected).toHaveLength(1);
  });
});
