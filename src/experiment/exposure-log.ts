import type { Doc, Store } from '../store/store.ts';

/** The one exposure log: a document per served answer that an experiment (or the global holdout) chose. */
export const EXPOSURE_COLLECTION = 'exposure';
/** Where the people assigned to one experiment are recorded, one document each, on their first exposure. */
export const assignmentCollection = (experimentKey: string) => `assignment:${experimentKey}`;

/** At most this many exposures per workspace by default (the oldest go first). */
export const DEFAULT_MAX_EXPOSURES_PER_WORKSPACE = 200_000;

/** One exposure as logged: which experiment and variant served it, with what chance, and what was shown. */
export interface ExposureBody {
  experiment: string;
  variant: string;
  strategy: string;
  /** The chance this person had of this variant (its weight share). */
  propensity: number;
  context: string;
  items: string[];
  /** The person's subject (a visitor's `anon:` one until they are identified). */
  person: string;
  /** The workspace holdout's group this person is in, when one is set (`afin` or `holdout`). */
  holdout?: string;
}

/** One recorded assignment: the person's variant, and the visitor it was inherited from when they signed in. */
export interface AssignmentBody {
  experiment: string;
  variant: string;
  propensity: number;
  from?: string;
}

/**
 * Batches exposure and assignment writes off the request path, like the recommendation log: losing the
 * last second of exposures on a crash loses no user data and keeps a disk sync out of every answer.
 * Read traffic must not fill the disk: the log keeps at most `maxPerWorkspace` documents of its
 * `collection` (the exposures by default; the presentation slice logs its decisions the same way).
 */
export class ExposureLog {
  private pending: Array<{ ws: string; doc: Doc }> = [];
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly sinceTrim = new Map<string, number>();
  readonly maxPerWorkspace: number;
  readonly collection: string;

  /**
   * `isErased` says whether a subject was erased: what was pending about them when the erasure ran is
   * dropped at the flush rather than written after their documents were deleted.
   */
  constructor(
    private readonly store: Store,
    opts: {
      collection?: string;
      intervalMs?: number;
      maxPerWorkspace?: number;
      maxPending?: number;
      isErased?: (ws: string, subject: string) => Promise<boolean>;
    } = {},
  ) {
    this.collection = opts.collection ?? EXPOSURE_COLLECTION;
    this.isErased = opts.isErased ?? (async () => false);
    this.maxPerWorkspace = Math.max(1, opts.maxPerWorkspace ?? DEFAULT_MAX_EXPOSURES_PER_WORKSPACE);
    this.maxPending = opts.maxPending ?? 500;
    this.timer = setInterval(() => void this.flush(), opts.intervalMs ?? 1000);
    this.timer.unref();
  }
  private readonly maxPending: number;
  private readonly isErased: (ws: string, subject: string) => Promise<boolean>;

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
      for (const [ws, all] of byWs) {
        const erased = await Promise.all(all.map((d) => (d.subject === null ? false : this.isErased(ws, d.subject).catch(() => true))));
        const docs = all.filter((_, i) => !erased[i]);
        await this.store.putDocs(ws, docs).catch(() => undefined);
        // Trimming every tenth of the bound keeps the log within 110 % of it at a tenth of the cost.
        const n = (this.sinceTrim.get(ws) ?? 0) + docs.filter((d) => d.collection === this.collection).length;
        if (n >= Math.min(1000, Math.ceil(this.maxPerWorkspace / 10))) {
          this.sinceTrim.set(ws, 0);
          await this.store.trimDocs(ws, this.collection, this.maxPerWorkspace).catch(() => undefined);
        } else this.sinceTrim.set(ws, n);
      }
    });
    return this.flushing;
  }

  /** On erasure: drops the unflushed entries about these subjects and waits for a flush in progress. */
  async forget(ws: string, subjects: readonly string[]): Promise<void> {
    const gone = new Set(subjects);
    this.pending = this.pending.filter((p) => !(p.ws === ws && p.doc.subject !== null && gone.has(p.doc.subject)));
    await this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
