import { connect, Events, type NatsConnection } from 'nats';
import { ALL_WORKSPACES, deliver, newOrigin, type InvalidationBus, type InvalidationNotice, type NoticeHandler, type NoticeKind } from './bus.ts';

/** Where notices go: `afin.invalidate.<workspace>`, one subject per workspace. */
export const SUBJECT_PREFIX = 'afin.invalidate';

/** A workspace id as one subject token (ids are already safe; anything else becomes `_`). */
export function subjectOf(ws: string): string {
  return `${SUBJECT_PREFIX}.${ws.replace(/[^A-Za-z0-9_-]/g, '_') || '_'}`;
}

/** Pino-shaped, so `app.log` fits. */
export interface BusLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const stderrLog: BusLog = {
  info: () => undefined,
  warn: (obj, msg) => process.stderr.write(`afin: ${msg} ${JSON.stringify(obj)}\n`),
};

// Every kind a node may publish: a kind missing here is dropped on arrival, and the caches it names
// then wait for their time limit (key revocations took 5 s to reach other nodes that way).
// A record, so that adding a NoticeKind without listing it here fails to compile.
const KIND_LIST: Record<NoticeKind, true> = { people: true, workspace: true, items: true, models: true, settings: true, keys: true };
const KINDS = new Set(Object.keys(KIND_LIST) as NoticeKind[]);
const MAX_SUBJECTS = 2000;

function parseNotice(data: Uint8Array): InvalidationNotice | null {
  try {
    const n = JSON.parse(new TextDecoder().decode(data)) as Partial<InvalidationNotice>;
    if (typeof n.ws !== 'string' || typeof n.origin !== 'string' || !KINDS.has(n.kind as NoticeKind)) return null;
    if (n.ws === ALL_WORKSPACES) return null; // only a local reconnect may say "everything"
    const subjects = Array.isArray(n.subjects) ? n.subjects.filter((s): s is string => typeof s === 'string') : undefined;
    return { ws: n.ws, kind: n.kind as NoticeKind, origin: n.origin, ...(subjects ? { subjects } : {}) };
  } catch {
    return null;
  }
}

export interface NatsBusOptions {
  log?: BusLog;
  /** How long one connection attempt may take (default 2 s). */
  connectTimeoutMs?: number;
  /** Wait between attempts while the server has never been reached (default 2 s, doubling up to 30 s). */
  retryMs?: number;
}

/**
 * Cache-invalidation notices over NATS.
 *
 * Core NATS, not JetStream: a notice only matters to the nodes running when it is sent. A node that
 * starts later has nothing cached; a node that lost its connection drops all its caches when it gets
 * it back (the client reconnects by itself), and meanwhile falls back to short cache lifetimes. So
 * durability would buy nothing, and a stream would add state to create, size and clean up. Every node
 * subscribes to `afin.invalidate.>` without a queue group: every node must hear every notice.
 *
 * Nothing here ever throws at the server: a server that cannot be reached is logged, retried in the
 * background, and the caches rely on their time limits until it answers.
 */
export class NatsBus implements InvalidationBus {
  readonly origin = newOrigin();
  log: BusLog;
  private nc: NatsConnection | null = null;
  private up = false;
  private closing = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly handlers: NoticeHandler[] = [];
  private readonly firstAttempt: Promise<void>;
  private readonly connectTimeoutMs: number;
  private readonly retryMs: number;

  constructor(
    readonly url: string,
    opts: NatsBusOptions = {},
  ) {
    this.log = opts.log ?? stderrLog;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
    this.retryMs = opts.retryMs ?? 2000;
    this.firstAttempt = this.attempt(this.retryMs);
  }

  /** Starts connecting and waits for the first attempt (at most `connectTimeoutMs`), whatever its outcome. */
  static async start(url: string, opts: NatsBusOptions = {}): Promise<NatsBus> {
    const bus = new NatsBus(url, opts);
    await bus.firstAttempt;
    return bus;
  }

  get connected(): boolean {
    return this.up;
  }

  private async attempt(wait: number): Promise<void> {
    this.retryTimer = null;
    if (this.closing) return;
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: this.url,
        name: `afin-${this.origin}`,
        timeout: this.connectTimeoutMs,
        reconnect: true,
        maxReconnectAttempts: -1, // once connected, the client reconnects for as long as we live
        reconnectTimeWait: 1000,
      });
    } catch (err) {
      if (wait === this.retryMs)
        this.log.warn({ url: this.url, err: String(err) }, 'NATS unreachable: caches fall back to their time limits; retrying in the background');
      if (!this.closing) {
        this.retryTimer = setTimeout(() => void this.attempt(Math.min(wait * 2, 30_000)), wait);
        this.retryTimer.unref();
      }
      return;
    }
    if (this.closing) {
      await nc.close().catch(() => undefined);
      return;
    }
    this.nc = nc;
    nc.subscribe(`${SUBJECT_PREFIX}.>`, {
      callback: (err, msg) => {
        if (err) return;
        const n = parseNotice(msg.data);
        if (n && n.origin !== this.origin) deliver(this.handlers, n);
      },
    });
    // The subscription is live once the server has answered a ping: only then do notices flow.
    await nc.flush().catch(() => undefined);
    this.setUp(true);
    this.log.info({ url: this.url }, 'NATS connected: cache invalidation notices on');
    void this.watch(nc);
    void nc.closed().then((err) => {
      if (this.nc !== nc) return;
      this.nc = null;
      this.setUp(false);
      if (this.closing) return;
      this.log.warn({ url: this.url, err: String(err ?? 'closed') }, 'NATS connection closed: caches fall back to their time limits; reconnecting');
      this.retryTimer = setTimeout(() => void this.attempt(this.retryMs), this.retryMs);
      this.retryTimer.unref();
    });
  }

  private async watch(nc: NatsConnection): Promise<void> {
    try {
      for await (const s of nc.status()) {
        if (s.type === Events.Disconnect) {
          this.setUp(false);
          if (!this.closing) this.log.warn({ url: this.url }, 'NATS disconnected: caches fall back to their time limits until it is back');
        } else if (s.type === Events.Reconnect) {
          this.setUp(true);
          this.log.info({ url: this.url }, 'NATS reconnected');
        }
      }
    } catch {
      // the iterator ends with the connection
    }
  }

  /** On every (re)connection, notices may have been missed: every cache drops everything once. */
  private setUp(up: boolean): void {
    const was = this.up;
    this.up = up;
    if (up && !was) deliver(this.handlers, { ws: ALL_WORKSPACES, kind: 'workspace', origin: 'reconnect' });
  }

  publish(notice: Omit<InvalidationNotice, 'origin'>): void {
    const nc = this.nc;
    if (!nc || this.closing) return; // never reached: others' caches expire by age
    const subjects = notice.subjects ? [...new Set(notice.subjects)] : undefined;
    const body: InvalidationNotice =
      subjects && subjects.length <= MAX_SUBJECTS
        ? { ws: notice.ws, kind: notice.kind, subjects, origin: this.origin }
        : { ws: notice.ws, kind: notice.kind, origin: this.origin };
    try {
      // While reconnecting the client buffers this and sends it once back.
      nc.publish(subjectOf(notice.ws), JSON.stringify(body));
    } catch (err) {
      this.log.warn({ err: String(err) }, 'NATS publish failed: other nodes will see this write when their caches expire');
    }
  }

  subscribe(handler: NoticeHandler): void {
    this.handlers.push(handler);
  }

  /** Sends what is pending (waiting at most two seconds) and disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const nc = this.nc;
    this.nc = null;
    this.up = false;
    if (!nc) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([nc.drain().catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
    if (!nc.isClosed()) await nc.close().catch(() => undefined);
  }

  /** Resolves once every notice published so far reached the server (tests). */
  async flush(): Promise<void> {
    await this.nc?.flush();
  }
}
