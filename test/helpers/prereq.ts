// Prerequisites of a test file (Chromium, a build, ../shared): locally a missing one skips the
// file with its reason; under CI=true it FAILS, so CI can never pass by skipping silently.

export const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** True when the tests must be skipped (reason given, not CI); throws under CI. */
export function skipWithout(reason: string | undefined): boolean {
  if (reason === undefined) return false;
  if (IN_CI)
    throw new Error(
      `missing test prerequisite under CI=true: ${reason}. CI must provide it (see .ci/run); it is not skipped.`,
    );
  console.warn(`skipped: ${reason}`);
  return true;
}
