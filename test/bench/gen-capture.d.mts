// Types for gen-capture.mjs (plain JS so the bench runs without a build step of its own).
export function writeCapture(
  path: string,
  opts?: { frames?: number; hostile?: boolean; startTs?: number },
): Promise<{ path: string; frames: number; id: string }>;
