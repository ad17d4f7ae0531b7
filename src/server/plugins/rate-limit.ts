/** What the auth plugin asks before each keyed request: 0 when allowed, else the whole seconds to wait. */
export interface RequestLimiter {
  take(key: string, rate: number, burst?: number): number | Promise<number>;
}

/**
 * Token buckets keyed by a string (an API key id, a client address). Each bucket refills at `rate`
 * tokens per second up to `burst`; a request takes one token or is refused with the seconds to wait.
 * In memory, per node: with N nodes behind a balancer the effective limit is up to N times higher
 * (ClusterRateLimiter below shares them; this one is its fallback).
 */
export class RateLimiter implements RequestLimiter {
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

/** Buckets every node shares (NatsTokenBuckets): the caller defines what it needs. */
export interface SharedBuckets {
  readonly available: boolean;
  take(key: string, want: number, rate: number, burst: number, now?: number): Promise<{ granted: number; wait: number }>;
  close(): Promise<void>;
}

export interface ClusterLimiterOptions {
  /** The share of a second's rate a node takes from the shared bucket at once (default 2 %, at least 1 token). */
  leaseFraction?: number;
  /** Leased tokens unused after this long are dropped, so a quiet node does not sit on them (default 1 s). */
  leaseTtlMs?: number;
}

/**
 * A rate limit that holds across every node: the tokens live in shared buckets, and each node leases
 * a small batch at a time (2 % of the rate per second) and spends it locally, so a request costs a
 * round trip to the shared store only once per batch. The cluster can exceed the limit by at most one
 * unused batch per node. While the shared buckets cannot be reached (NATS down, or slower than its
 * timeout), every request is judged by the per-node limiter instead: the limit then holds per node,
 * as without a bus, rather than refusing or waiting.
 */
export class ClusterRateLimiter implements RequestLimiter {
  private readonly leases = new Map<string, { tokens: number; at: number }>();
  private readonly inFlight = new Map<string, Promise<number>>();
  /** Keys the shared bucket just refused, until one lease's worth has refilled: no round trip per refused request. */
  private readonly refused = new Map<string, number>();
  private readonly leaseFraction: number;
  private readonly leaseTtlMs: number;

  constructor(
    readonly shared: SharedBuckets,
    readonly fallback: RateLimiter = new RateLimiter(),
    private readonly clock: () => number = Date.now,
    opts: ClusterLimiterOptions = {},
  ) {
    this.leaseFraction = opts.leaseFraction ?? 0.02;
    this.leaseTtlMs = opts.leaseTtlMs ?? 1000;
  }

  take(key: string, rate: number, burst = Math.max(1, rate * 2)): number | Promise<number> {
    if (!this.shared.available) return this.fallback.take(key, rate, burst);
    if (this.spend(key)) return 0;
    const until = this.refused.get(key);
    if (until !== undefined) {
      if (this.clock() < until) return Math.max(1, Math.ceil((until - this.clock()) / 1000));
      this.refused.delete(key);
    }
    return this.lease(key, rate, burst);
  }

  private spend(key: string): boolean {
    const l = this.leases.get(key);
    if (!l || this.clock() - l.at > this.leaseTtlMs) return false;
    if (l.tokens < 1) return false;
    l.tokens -= 1;
    return true;
  }

  /** One shared take per key at a time; the requests that wait on it share what it brings. */
  private async lease(key: string, rate: number, burst: number): Promise<number> {
    for (let round = 0; round < 3; round++) {
      let p = this.inFlight.get(key);
      if (!p) {
        const want = Math.max(1, Math.floor(rate * this.leaseFraction));
        p = this.shared.take(key, want, rate, burst, this.clock()).then(({ granted, wait }) => {
          if (granted > 0) {
            if (this.leases.size > 100_000) this.leases.clear();
            const l = this.leases.get(key);
            const fresh = l && this.clock() - l.at <= this.leaseTtlMs;
            this.leases.set(key, { tokens: (fresh ? l.tokens : 0) + granted, at: this.clock() });
          }
          if (wait > 0) {
            if (this.refused.size > 100_000) this.refused.clear();
            this.refused.set(key, this.clock() + (1000 * want) / rate);
          }
          return wait;
        });
        this.inFlight.set(key, p);
        void p.finally(() => this.inFlight.delete(key)).catch(() => undefined);
      }
      let wait: number;
      try {
        wait = await p;
      } catch {
        return this.fallback.take(key, rate, burst);
      }
      if (this.spend(key)) return 0;
      if (wait > 0) return wait;
    }
    return 1;
  }

  async close(): Promise<void> {
    await this.shared.close();
  }
}
