/**
 * Token buckets keyed by a string (an API key id, a client address). Each bucket refills at `rate`
 * tokens per second up to `burst`; a request takes one token or is refused with the seconds to wait.
 * In memory, per node: with N nodes behind a balancer the effective limit is up to N times higher.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly maxBuckets = 100_000,
  ) {}

  /**
   * Takes one token from `key`'s bucket. Returns 0 when allowed, else the whole seconds to wait.
   * @example const wait = limiter.take('key_abc', 10, 20); if (wait > 0) reply.header('retry-after', wait)
   */
  take(key: string, rate: number, burst = Math.max(1, rate * 2)): number {
    const now = this.clock();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxBuckets) this.evict(now);
      b = { tokens: burst, at: now };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate));
  }

  /** Tokens left in a bucket (for tests and headers). */
  remaining(key: string): number | null {
    return this.buckets.get(key)?.tokens ?? null;
  }

  /** Drops buckets idle long enough to be full again, or the oldest half when none are. */
  private evict(now: number): void {
    for (const [k, b] of this.buckets) if (now - b.at > 60_000) this.buckets.delete(k);
    if (this.buckets.size < this.maxBuckets) return;
    let n = 0;
    for (const k of this.buckets.keys()) {
      if (n++ > this.maxBuckets / 2) break;
      this.buckets.delete(k);
    }
  }
}
