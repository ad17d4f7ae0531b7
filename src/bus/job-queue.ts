import { AckPolicy, connect, DeliverPolicy, nanos, RetentionPolicy, StorageType, type JetStreamClient, type JsMsg, type KV, type NatsConnection } from 'nats';

/** One unit of background work, as it travels on the stream. */
export interface JobMessage {
  /** Unique per job: also the stream's de-duplication id, so a retried publish enqueues once. */
  id: string;
  /** What to run: `train`, `retention`, … (the worker knows each kind). */
  kind: string;
  /** The workspace it concerns (`*` for jobs over every workspace). */
  ws: string;
  args: Record<string, unknown>;
  enqueuedAt: number;
}

/** What the worker reports when a job ends, to whoever waits for it (best effort: the store has the record). */
export interface JobOutcome {
  id: string;
  status: 'done' | 'failed';
  result?: unknown;
  error?: { message: string; code?: string; detail?: unknown };
}

/** What a job handler decides about its message. */
export type JobVerdict = 'ack' | 'retry' | 'drop';

export interface JobContext {
  /** 1 on the first delivery, 2 after the first redelivery, … */
  attempt: number;
  /** The last attempt the stream allows: a handler should record a final failure then. */
  last: boolean;
}

export interface JobQueueOptions {
  /** Subject and stream names start with it (`afin` → stream `AFIN_JOBS`, subject `afin.jobs.run`); tests isolate with their own. */
  prefix?: string;
  /** How long a delivered job may go without an ack or a heartbeat before another worker gets it (default 30 s). */
  ackWaitMs?: number;
  /** Deliveries before a job is given up (default 5). */
  maxDeliver?: number;
  connectTimeoutMs?: number;
  /**
   * True for `afin worker`: declares the consumer with its ack wait and attempts. API nodes only make
   * sure the stream exists, so that their defaults never undo a worker's settings.
   */
  worker?: boolean;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A token safe inside a NATS subject. */
const token = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_') || '_';

/**
 * Background jobs on a NATS JetStream work-queue stream: a message stays in the stream until one
 * worker acknowledges it (work-queue retention removes it then), and one durable pull consumer shared
 * by every worker hands each message to one of them at a time. A worker that dies mid-job never acks,
 * so after `ackWaitMs` without a heartbeat (`msg.working()`) the stream delivers the job again, to
 * whichever worker asks next. That is at-least-once; the worker turns it into one recorded result with
 * a fence in a JetStream key-value bucket (`claimOnce`), whose `create` succeeds for one caller only.
 *
 * Completion notices go over core NATS (`<prefix>.jobs.done.<id>`): only a waiting API node cares.
 */
export class JobQueue {
  readonly stream: string;
  readonly subject: string;
  readonly consumer: string;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  private readonly js: JetStreamClient;
  private fences: Promise<KV> | null = null;
  private closed = false;

  private constructor(
    private readonly nc: NatsConnection,
    readonly prefix: string,
    opts: JobQueueOptions,
  ) {
    this.stream = `${prefix.toUpperCase().replace(/[^A-Z0-9_-]/g, '_')}_JOBS`;
    this.subject = `${prefix}.jobs.run`;
    this.consumer = `${token(prefix)}-workers`;
    this.ackWaitMs = opts.ackWaitMs ?? 30_000;
    this.maxDeliver = opts.maxDeliver ?? 5;
    this.js = nc.jetstream();
  }

  /** Connects and makes sure the stream and the consumer exist (throws when NATS or JetStream is unreachable). */
  static async connect(url: string, opts: JobQueueOptions = {}): Promise<JobQueue> {
    const prefix = opts.prefix ?? 'afin';
    if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`job queue prefix must be letters, digits, _ or -: ${prefix}`);
    const nc = await connect({
      servers: url,
      name: `afin-jobs-${prefix}`,
      timeout: opts.connectTimeoutMs ?? 2000,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
    const q = new JobQueue(nc, prefix, opts);
    try {
      await q.ensure(opts.worker === true);
    } catch (e) {
      await nc.close().catch(() => undefined);
      throw e;
    }
    return q;
  }

  private async ensure(worker: boolean): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    await jsm.streams.info(this.stream).catch(async () => {
      await jsm.streams.add({
        name: this.stream,
        subjects: [this.subject],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        // A publish retried within this window is stored once (Nats-Msg-Id is the job id).
        duplicate_window: nanos(120_000),
      });
    });
    if (!worker) return;
    const config = {
      durable_name: this.consumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.ackWaitMs),
      max_deliver: this.maxDeliver,
    };
    // Every worker (and API node) declares the same consumer; a changed ack wait is applied as an update.
    const info = await jsm.consumers.info(this.stream, this.consumer).catch(() => null);
    if (!info) await jsm.consumers.add(this.stream, config).catch(() => jsm.consumers.info(this.stream, this.consumer));
    else if (info.config.ack_wait !== config.ack_wait || info.config.max_deliver !== config.max_deliver)
      await jsm.consumers.update(this.stream, this.consumer, { ack_wait: config.ack_wait, max_deliver: config.max_deliver });
  }

  get connected(): boolean {
    return !this.closed && !this.nc.isClosed();
  }

  /** Stores the job in the stream (resolves once JetStream has it). */
  async enqueue(job: JobMessage): Promise<void> {
    await this.js.publish(this.subject, enc.encode(JSON.stringify(job)), { msgID: job.id });
  }

  /** Calls `handler` with the outcome of job `id` (subscribe before enqueueing); returns the unsubscriber. */
  onOutcome(id: string, handler: (o: JobOutcome) => void): () => void {
    const sub = this.nc.subscribe(`${this.prefix}.jobs.done.${token(id)}`, {
      max: 1,
      callback: (err, msg) => {
        if (err) return;
        try {
          handler(JSON.parse(dec.decode(msg.data)) as JobOutcome);
        } catch {
          // a malformed notice: the waiter still polls the store
        }
      },
    });
    return () => sub.unsubscribe();
  }

  /** Tells waiters how a job ended. */
  announce(o: JobOutcome): void {
    if (this.connected) this.nc.publish(`${this.prefix}.jobs.done.${token(o.id)}`, enc.encode(JSON.stringify(o)));
  }

  /**
   * True for the first caller with this key across the cluster, false for every later one (kept for a
   * day). Used so that one result is recorded per job, and one scheduled job is enqueued per slot.
   */
  async claimOnce(key: string): Promise<boolean> {
    this.fences ??= this.js.views.kv(`${token(this.prefix)}_job_fences`, { history: 1, ttl: 86_400_000 });
    const kv = await this.fences;
    try {
      await kv.create(key.replace(/[^A-Za-z0-9_=.-]/g, '_'), enc.encode(String(Date.now())));
      return true;
    } catch (e) {
      if (/wrong last sequence|key exists/i.test(String(e))) return false;
      throw e;
    }
  }

  /**
   * Takes jobs one at a time until `signal` aborts: fetches exactly one message, runs `handler` while
   * sending a heartbeat every third of the ack wait (so a long training keeps its claim, and a dead
   * worker's job goes to another one ack-wait later), then acks, redelivers or drops as it says. One
   * message at a time, never prefetched: a job waiting in a busy worker's buffer would not be running.
   */
  async work(handler: (job: JobMessage, ctx: JobContext) => Promise<JobVerdict>, signal: AbortSignal): Promise<void> {
    const consumer = await this.js.consumers.get(this.stream, this.consumer);
    while (!signal.aborted && this.connected) {
      let msg: JsMsg | null;
      try {
        msg = await consumer.next({ expires: 2000 }); // short, so that a stopping worker is not kept waiting
      } catch {
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!msg) continue;
      let job: JobMessage;
      try {
        job = JSON.parse(dec.decode(msg.data)) as JobMessage;
        if (typeof job.id !== 'string' || typeof job.kind !== 'string' || typeof job.ws !== 'string') throw new Error('not a job');
      } catch {
        msg.term(); // unreadable: never redelivered
        continue;
      }
      const m = msg;
      const beat = setInterval(() => m.working(), Math.max(200, Math.floor(this.ackWaitMs / 3)));
      let verdict: JobVerdict;
      try {
        verdict = await handler(job, { attempt: m.info.deliveryCount, last: m.info.deliveryCount >= this.maxDeliver });
      } catch {
        verdict = 'retry';
      } finally {
        clearInterval(beat);
      }
      if (verdict === 'ack') await m.ackAck().catch(() => m.ack());
      else if (verdict === 'drop') m.term();
      else m.nak(Math.min(30_000, 1000 * 2 ** m.info.deliveryCount));
    }
  }

  /** Jobs still in the stream (queued or delivered but not acknowledged). */
  async pending(): Promise<number> {
    const jsm = await this.nc.jetstreamManager();
    return (await jsm.streams.info(this.stream)).state.messages;
  }

  /** Deletes the stream, the consumer and the fences (tests). */
  async destroy(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    await jsm.streams.delete(this.stream).catch(() => undefined);
    await jsm.streams.delete(`KV_${token(this.prefix)}_job_fences`).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.nc.drain().catch(() => undefined);
  }
}
