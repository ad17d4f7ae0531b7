import {
  AckPolicy,
  connect,
  DeliverPolicy,
  headers as natsHeaders,
  nanos,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
  type NatsConnection,
} from 'nats';

/** One message as the ingester sees it: its bytes and where it sits in the stream. */
export interface StreamMessage {
  data: Uint8Array;
  subject: string;
  /** The stream's sequence number: the same on every redelivery of this message. */
  seq: number;
  /** The producer's `Nats-Msg-Id` header, if it set one. */
  msgId?: string;
  /** 1 on the first delivery. */
  deliveries: number;
}

/**
 * What becomes of one message once its batch was handled:
 * - `ack`: the store has what it carried (or it was a duplicate, or about an erased person);
 * - `retry`: a passing failure (the store did not answer): delivered again later;
 * - `dead`: it can never be stored as sent: it goes to the dead-letter subject, or is termed, with `reason`.
 */
export type StreamVerdict = { kind: 'ack' } | { kind: 'retry' } | { kind: 'dead'; reason: string };

export interface EventStreamOptions {
  /** The subject (wildcards allowed) producers publish events on. */
  subject: string;
  /** The stream to read: the one that already captures `subject`, else one created under this name (default `AFIN_EVENTS`). */
  stream?: string;
  /** The durable consumer every ingester shares (default `afin-ingest`): each message goes to one of them. */
  consumer?: string;
  /** Where unusable messages are republished with their reason; unset: they are termed and logged. */
  deadLetter?: string;
  /** How long a batch may take before its messages go to another ingester (default 30 s). */
  ackWaitMs?: number;
  /** Most messages handed to one batch (default 500). */
  batch?: number;
  connectTimeoutMs?: number;
  log?: (line: string) => void;
}

const enc = new TextEncoder();

/** True when `filter` (with `*` and `>`) matches `subject`: a dead-letter subject the ingester reads would loop. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

/**
 * Events published by producers on a JetStream stream, read by `afin ingest --from nats`.
 *
 * One durable pull consumer is shared by every ingester process, so each message goes to one of them,
 * and a message stays unacknowledged until its handler says the store has it: an ingester killed
 * mid-batch leaves its messages to be delivered again after the ack wait, to whichever ingester asks.
 * Deliveries are unlimited, because a store outage must not make JetStream drop events; a message that
 * can never be stored is the handler's to judge (`dead`), and is then dead-lettered or termed.
 *
 * Messages are taken as they arrive and handed over in batches: whatever arrived while the previous
 * batch was being stored (up to `batch`), so a quiet stream is stored message by message and a busy
 * one in large transactions.
 */
export class EventStream {
  readonly subject: string;
  readonly consumer: string;
  readonly deadLetter?: string;
  readonly ackWaitMs: number;
  readonly batch: number;
  private readonly js: JetStreamClient;
  private readonly log: (line: string) => void;
  private messages: ConsumerMessages | null = null;
  private stopping = false;

  private constructor(
    private readonly nc: NatsConnection,
    readonly stream: string,
    opts: EventStreamOptions,
  ) {
    this.subject = opts.subject;
    this.consumer = opts.consumer ?? 'afin-ingest';
    this.deadLetter = opts.deadLetter;
    this.ackWaitMs = opts.ackWaitMs ?? 30_000;
    this.batch = opts.batch ?? 500;
    this.js = nc.jetstream();
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** Connects and makes sure the stream, the consumer and the dead-letter stream exist (throws when JetStream is unreachable). */
  static async connect(url: string, opts: EventStreamOptions): Promise<EventStream> {
    if (!/^[A-Za-z0-9_*>.-]+$/.test(opts.subject) || opts.subject.startsWith('.') || opts.subject.endsWith('.'))
      throw new Error(`--subject: not a NATS subject: ${opts.subject}`);
    if (opts.deadLetter !== undefined) {
      if (!/^[A-Za-z0-9_.-]+$/.test(opts.deadLetter)) throw new Error(`--dead-letter: a plain NATS subject (no wildcards) expected: ${opts.deadLetter}`);
      if (subjectMatches(opts.subject, opts.deadLetter))
        throw new Error(`--dead-letter ${opts.deadLetter} is matched by --subject ${opts.subject}: dead letters would be read again`);
    }
    const nc = await connect({
      servers: url,
      name: 'afin-ingest',
      timeout: opts.connectTimeoutMs ?? 2000,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
    try {
      const jsm = await nc.jetstreamManager();
      const found = await jsm.streams.find(opts.subject).catch(() => null);
      const stream = found ?? opts.stream ?? 'AFIN_EVENTS';
      if (!found)
        // Work-queue retention: a message leaves the stream once an ingester acknowledged it.
        await jsm.streams.add({
          name: stream,
          subjects: [opts.subject],
          retention: RetentionPolicy.Workqueue,
          storage: StorageType.File,
          duplicate_window: nanos(120_000),
        });
      const s = new EventStream(nc, stream, opts);
      const config = {
        durable_name: s.consumer,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: opts.subject,
        ack_wait: nanos(s.ackWaitMs),
        max_deliver: -1,
        max_ack_pending: Math.max(1000, s.batch * 4),
      };
      const info = await jsm.consumers.info(stream, s.consumer).catch(() => null);
      if (!info) await jsm.consumers.add(stream, config).catch(() => jsm.consumers.info(stream, s.consumer));
      else if (info.config.ack_wait !== config.ack_wait) await jsm.consumers.update(stream, s.consumer, { ack_wait: config.ack_wait });
      if (opts.deadLetter && !(await jsm.streams.find(opts.deadLetter).catch(() => null)))
        await jsm.streams.add({
          name: `${stream}_DEAD`,
          subjects: [opts.deadLetter],
          storage: StorageType.File,
          duplicate_window: nanos(120_000),
        });
      return s;
    } catch (e) {
      await nc.close().catch(() => undefined);
      throw e;
    }
  }

  /**
   * Hands batches of messages to `handler` until `stop()`, one batch at a time, and acts on its
   * verdicts (one per message, in order). A handler that throws leaves the whole batch to be retried.
   */
  async run(handler: (batch: StreamMessage[]) => Promise<StreamVerdict[]>): Promise<void> {
    const consumer = await this.js.consumers.get(this.stream, this.consumer);
    const messages = await consumer.consume({ max_messages: this.batch * 2 });
    this.messages = messages;
    const buffer: JsMsg[] = [];
    const waiting: { wake: (() => void) | null } = { wake: null };
    let ended = false;
    void (async () => {
      try {
        for await (const m of messages) {
          buffer.push(m);
          waiting.wake?.();
        }
      } finally {
        ended = true;
        waiting.wake?.();
      }
    })();
    while (!this.stopping && !ended) {
      if (buffer.length === 0) {
        await new Promise<void>((r) => (waiting.wake = r));
        waiting.wake = null;
        continue;
      }
      const taken = buffer.splice(0, this.batch);
      const batch = taken.map(
        (m): StreamMessage => ({
          data: m.data,
          subject: m.subject,
          seq: m.seq,
          msgId: m.headers?.get('Nats-Msg-Id') || undefined,
          deliveries: m.info.deliveryCount,
        }),
      );
      let verdicts: StreamVerdict[];
      try {
        verdicts = await handler(batch);
      } catch (err) {
        this.log(`afin ingest: batch of ${batch.length} not stored, retried later: ${String(err)}`);
        verdicts = batch.map(() => ({ kind: 'retry' }));
      }
      await Promise.all(taken.map((m, i) => this.settle(m, batch[i], verdicts[i] ?? { kind: 'retry' })));
    }
    // Taken off the stream but never handled: straight back, for another ingester or the next start.
    for (const m of buffer.splice(0)) m.nak();
  }

  private async settle(m: JsMsg, s: StreamMessage, v: StreamVerdict): Promise<void> {
    if (v.kind === 'retry') {
      m.nak(Math.min(30_000, 500 * 2 ** Math.min(6, s.deliveries)));
      return;
    }
    if (v.kind === 'dead') {
      if (this.deadLetter) {
        const h = natsHeaders();
        h.set('Afin-Reason', v.reason.slice(0, 1000).replace(/[\r\n]+/g, ' '));
        h.set('Afin-Subject', s.subject);
        h.set('Afin-Stream-Seq', String(s.seq));
        try {
          // One dead letter per message, even when it is delivered again before the ack lands.
          await this.js.publish(this.deadLetter, s.data, { headers: h, msgID: `${this.stream}:${s.seq}` });
        } catch (err) {
          this.log(`afin ingest: dead letter for message ${s.seq} not stored (${String(err)}); retried later`);
          m.nak(5000);
          return;
        }
        this.log(`afin ingest: message ${s.seq} on ${s.subject} to ${this.deadLetter}: ${v.reason}`);
        await m.ackAck().catch(() => m.ack());
      } else {
        this.log(`afin ingest: message ${s.seq} on ${s.subject} dropped (term): ${v.reason}`);
        m.term();
      }
      return;
    }
    // Sent after the store committed; not awaited one by one (a round trip per message halved the
    // throughput): an ack lost on the way only brings the message back, as a duplicate, never a loss.
    m.ack();
  }

  /** Messages not yet acknowledged by any ingester (waiting or in flight). */
  async pending(): Promise<{ waiting: number; inFlight: number }> {
    const jsm = await this.nc.jetstreamManager();
    const c = await jsm.consumers.info(this.stream, this.consumer);
    return { waiting: c.num_pending, inFlight: c.num_ack_pending };
  }

  /** Stops taking messages; the batch being stored is finished and acknowledged first by `run`. */
  stop(): void {
    this.stopping = true;
    this.messages?.stop();
  }

  /** Deletes the stream and its dead-letter stream if this created them (tests, benches). */
  async destroy(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    for (const name of [this.stream, `${this.stream}_DEAD`]) await jsm.streams.delete(name).catch(() => false);
  }

  async close(): Promise<void> {
    this.stop();
    await this.nc.drain().catch(() => undefined);
  }

  /** Publishes one message (JSON, or bytes as they are) as a producer would (tests, the bench). Resolves once JetStream stored it. */
  async publish(subject: string, body: unknown, msgId?: string): Promise<number> {
    const data = body instanceof Uint8Array ? body : enc.encode(JSON.stringify(body));
    const ack = await this.js.publish(subject, data, msgId ? { msgID: msgId } : undefined);
    return ack.seq;
  }
}
