import { describe, it } from 'vitest';

/**
 * For a suite that needs a real server (PostgreSQL, NATS) whose URL is not set: says plainly that it
 * did not run, in the output and as a skipped test, rather than passing in silence.
 */
export function suiteNotRun(suite: string, env: string): void {
  console.log(`${suite} not run: set ${env}`);
  describe.skip(`${suite} (${env} not set)`, () => {
    it.skip(`needs ${env}`);
  });
}
