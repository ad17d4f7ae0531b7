import { connect, Events, type KV, type NatsConnection } from 'nats';

/** What a node gets from a shared bucket: how many tokens, and when none, the seconds to wait. */
export interface SharedTake {
  granted: number;
  wait: number;
}

export interface NatsBucketsOptions {
  /** The key-value bucket's name (tests isolate with their own). */
  bucket?: string;
  /** How long one key-value operation may take before the caller falls back (default 250 ms). */
  timeoutMs?: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Any string as a key-value key (base64url: letters, digits, - and _ only). */
const kvKey = (key: string) => `b.${Buffer.from(key).toString('base64url') || '_'}`;

/**
 * Token buckets every node shares, in a NATS JetStream key-value bucket: each bucket is one key holding
 * `{ tokens, at }`, changed by compare-and-set on the key's revision (`update(k, v, revision)`), so two
 * nodes taking at once never both spend the same tokens; the loser reads again and retries. Keys expire
 * after ten idle minutes (a bucket idle that long is full again anyway). Refill uses each node's clock:
 * skew between nodes shifts a bucket by at most the skew's worth of tokens.
 *
 * Connects in the background and keeps reconnecting; `available` is false meanwhile, and the caller
 * uses its per-node limiter then.
 */
export class NatsTokenBuckets {
  private nc: NatsConnection | null = null;
  private kv: KV | null = null;
  private up = false;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly bucket: string;
  private readonly timeoutMs: number;
  readonly ready: Promise<void>;

  constructor(
    readonly url: string,
    opts: NatsBucketsOptions = {},
  ) {
    this.bucket = opts.bucket ?? 'afin_rate_limits';
    this.timeoutMs = opts.timeoutMs ?? 250;
    this.ready = this.open().catch(() => undefined);
  }

  private async open(wait = 1000): Promise<void> {
    let nc: NatsConnection;
    try {
      nc = await connect({ servers: this.url, name: 'afin-rate-limits', timeout: 2000, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
    } catch {
      // Never reached yet: per-node limits meanwhile; try again, less and less often.
      if (!this.closed) await new Promise<void>((r) => (this.retry = setTimeout(r, wait)).unref());
      if (!this.closed) return this.open(Math.min(wait * 2, 30_000));
      return;
    }
    if (this.closed) {
      await nc.close();
      return;
    }
    this.nc = nc;
    this.kv = await nc.jetstream({ timeout: this.timeoutMs }).views.kv(this.bucket, { history: 1, ttl: 600_000, timeout: this.timeoutMs });
    this.up = true;
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === Events.Disconnect) this.up = false;
        else if (s.type === Events.Reconnect) this.up = true;
      }
    })().catch(() => undefined);
  }

  /** True while the shared buckets can be reached. */
  get available(): boolean {
    return this.up && !this.closed && this.kv !== null;
  }

  /**
   * Takes up to `want` tokens from the shared bucket `key`, which refills at `rate` per second up to
   * `burst`. Throws when NATS does not answer in time (the caller falls back).
   */
  async take(key: string, want: number, rate: number, burst: number, now = Date.now()): Promise<SharedTake> {
    const kv = this.kv;
    if (!kv || !this.available) throw new Error('shared rate limits unavailable');
    const k = kvKey(key);
    for (let attempt = 0; attempt < 8; attempt++) {
      const e = await kv.get(k);
      const prev = e && e.operation === 'PUT' && e.value.length ? (JSON.parse(dec.decode(e.value)) as { tokens: number; at: number }) : null;
      const tokens = prev ? Math.min(burst, prev.tokens + (Math.max(0, now - prev.at) / 1000) * rate) : burst;
      const granted = Math.max(0, Math.min(want, Math.floor(tokens)));
      if (granted === 0) return { granted: 0, wait: Math.max(1, Math.ceil((1 - tokens) / rate)) };
      const next = enc.encode(JSON.stringify({ tokens: tokens - granted, at: Math.max(now, prev?.at ?? 0) }));
      try {
        if (e) await kv.update(k, next, e.revision);
        else await kv.create(k, next);
        return { granted, wait: 0 };
      } catch (err) {
        // Another node changed the bucket since we read it: read again. Anything else is an outage.
        if (!/wrong last sequence|key exists/i.test(String(err))) throw err;
      }
    }
    return { granted: 0, wait: 1 }; // a bucket this contended is over its limit anyway
  }

  async close(): Promise<void> {
    this.closed = true;
    this.up = false;
    if (this.retry) clearTimeout(this.retry);
    await this.nc?.close().catch(() => undefined);
  }

  /** Deletes the key-value bucket (tests). */
  async destroy(): Promise<void> {
    await this.ready;
    const jsm = await this.nc?.jetstreamManager();
    await jsm?.streams.delete(`KV_${this.bucket}`).catch(() => undefined);
  }
}
