import { randomBytes } from 'node:crypto';

/**
 * What changed, so other nodes drop what they hold about it:
 * - `people`: per-person data (events, consent, profile) of `subjects`, or of everyone in `ws` without them;
 * - `items`, `models`, `settings`: the workspace's catalogue, trained models, ranking settings;
 * - `workspace`: anything in the workspace (a write the sender could not pin down).
 */
export type NoticeKind = 'people' | 'workspace' | 'items' | 'models' | 'settings' | 'keys';

export interface InvalidationNotice {
  /** The workspace, or `*` for every workspace (delivered locally after a reconnect, when notices may have been missed). */
  ws: string;
  kind: NoticeKind;
  subjects?: string[];
  /** The sending node's random id: a node ignores its own notices. */
  origin: string;
}

export const ALL_WORKSPACES = '*';

export type NoticeHandler = (notice: InvalidationNotice) => void;

/**
 * Carries cache-invalidation notices between the nodes that share one store. A notice is published
 * after the write it describes has committed; a node's caches drop what a received notice names. A
 * lost notice is covered by the caches' time limit, so delivery is best effort.
 */
export interface InvalidationBus {
  /** This node's id, stamped on what it publishes. */
  readonly origin: string;
  /** True while notices flow: caches may then keep entries longer. */
  readonly connected: boolean;
  /** Sends a notice to the other nodes (never throws; the origin is filled in). */
  publish(notice: Omit<InvalidationNotice, 'origin'>): void;
  /** Calls `handler` for every notice from another node. */
  subscribe(handler: NoticeHandler): void;
  close(): Promise<void>;
}

export function newOrigin(): string {
  return randomBytes(8).toString('hex');
}

/** Calls each handler, so that one failing handler neither stops the others nor reaches the sender. */
export function deliver(handlers: readonly NoticeHandler[], notice: InvalidationNotice): void {
  for (const h of handlers) {
    try {
      h(notice);
    } catch {
      // A cache that cannot drop an entry still expires it by age.
    }
  }
}

/** The buses of one process that hear each other (several engines in one process, as in tests). */
export class LocalHub {
  readonly buses = new Set<LocalBus>();
}

/**
 * An in-process bus: notices reach the other `LocalBus`es on the same hub, synchronously, and never
 * leave the process. A single embedded node needs nothing more (its own writes invalidate its caches
 * directly); give two engines in one process one hub and they keep each other's caches fresh.
 */
export class LocalBus implements InvalidationBus {
  readonly origin = newOrigin();
  readonly connected = true;
  private readonly handlers: NoticeHandler[] = [];

  constructor(private readonly hub: LocalHub = new LocalHub()) {
    hub.buses.add(this);
  }

  publish(notice: Omit<InvalidationNotice, 'origin'>): void {
    const full: InvalidationNotice = { ...notice, origin: this.origin };
    for (const bus of this.hub.buses) if (bus !== this) deliver(bus.handlers, full);
  }

  subscribe(handler: NoticeHandler): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    this.hub.buses.delete(this);
  }
}
