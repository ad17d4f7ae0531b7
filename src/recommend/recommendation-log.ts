import type { Doc, Store } from '../store/store.ts';

/**
 * Keeps what was recommended to whom, so later events can cite a `recommendationId` and an
 * explanation can be looked up. Writes are batched off the request path: losing the last second of
 * this log on a crash loses no user data, and it keeps a per-request disk sync out of the hot path.
 */
export class RecommendationLog {
  private pending: Array<{ ws: string; doc: Doc }> = [];
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store, intervalMs = 1000, private readonly maxPending = 500) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  add(ws: string, doc: Doc): void {
    this.pending.push({ ws, doc });
    if (this.pending.length >= this.maxPending) void this.flush();
  }

  flush(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return this.flushing;
    this.pending = [];
    const byWs = new Map<string, Doc[]>();
    for (const { ws, doc } of batch) {
      let l = byWs.get(ws);
      if (!l) byWs.set(ws, (l = []));
      l.push(doc);
    }
    this.flushing = this.flushing.then(async () => {
      for (const [ws, docs] of byWs) await this.store.putDocs(ws, docs).catch(() => undefined);
    });
    return this.flushing;
  }

  /**
   * On erasure: drops the unflushed entries about these subjects (they never reach the disk) and
   * waits for a flush in progress, so that nothing about them is written after the caller deletes.
   */
  async forget(ws: string, subjects: readonly string[]): Promise<void> {
    const gone = new Set(subjects);
    this.pending = this.pending.filter((p) => !(p.ws === ws && p.doc.subject !== null && gone.has(p.doc.subject)));
    await this.flushing;
  }

  /** A logged recommendation, looking at unflushed entries too. */
  async get(ws: string, id: string): Promise<Doc | null> {
    const hit = this.pending.find((p) => p.ws === ws && p.doc.id === id);
    return hit ? hit.doc : this.store.getDoc(ws, 'recommendation', id);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
