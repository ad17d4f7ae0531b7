import type { RetentionConfig } from '../config.ts';
import type { Store } from '../store/store.ts';
import { AUDIT_COLLECTION, type AuditLog } from './audit.ts';

const DAY_MS = 86_400_000;

/**
 * Recommendation logs are kept this long by default even when events are kept forever: read traffic
 * must not fill the disk (they are also capped per workspace; see RecommendationLog).
 */
export const RECOMMENDATION_LOG_MAX_AGE_DAYS = 30;

/**
 * Document collections that are raw behavioural data and expire with the events (recommendation
 * logs; slices that keep transcripts or delivery logs add their collection here).
 */
export const RETAINED_COLLECTIONS: string[] = ['recommendation', 'chat_session', 'item_change'];

/**
 * Exposures and assignments of an experiment stopped this long ago go (and exposures no live experiment
 * claims, once this old), unless `exposureMaxAgeDays` says otherwise: long enough to reread a finished
 * experiment's results for a quarter, short enough that read traffic's traces do not stay forever.
 */
export const EXPOSURE_MAX_AGE_DAYS = 90;

/** Ages out a slice's exposure log and experiment assignments (the experiment slice knows which are live). */
export type ExposureSweep = (ws: string, cutoff: number) => Promise<{ exposures: number; assignments: number }>;

export interface RetentionRun {
  at: string;
  cutoff: string | null;
  events: number;
  documents: number;
  audit: number;
  workspaces: number;
  /** Recommendation logs older than this went (the default limit, or the events' if shorter). */
  recommendationCutoff: string;
  /** Exposures and assignments of experiments stopped before this went (null: kept forever). */
  exposureCutoff: string | null;
  exposures: number;
  assignments: number;
}

/**
 * Enforces the maximum age of raw events (and of the audit log, when configured): a periodic job
 * on every node (deletes are idempotent, so nodes running it together do no harm).
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionRun> | null = null;
  last: RetentionRun | null = null;
  private readonly exposureSweeps: ExposureSweep[] = [];

  constructor(
    private readonly store: Store,
    readonly config: RetentionConfig,
    private readonly audit: AuditLog,
    private readonly clock: () => number = Date.now,
    readonly recommendationLogMaxAgeDays = RECOMMENDATION_LOG_MAX_AGE_DAYS,
  ) {}

  private workspaceLimits: ((ws: string) => Promise<Pick<RetentionConfig, 'eventMaxAgeDays' | 'auditMaxAgeDays'>>) | null = null;

  /** Lets each workspace keep events and its audit log for less time than the deployment (`PUT /v1/settings/privacy`). */
  useWorkspaceLimits(resolve: (ws: string) => Promise<Pick<RetentionConfig, 'eventMaxAgeDays' | 'auditMaxAgeDays'>>): void {
    this.workspaceLimits = resolve;
  }

  /** The limits in force for one workspace. */
  limitsFor(ws: string): Promise<Pick<RetentionConfig, 'eventMaxAgeDays' | 'auditMaxAgeDays'>> {
    return this.workspaceLimits ? this.workspaceLimits(ws) : Promise.resolve(this.config);
  }

  /** Exposure logs' and assignments' age limit in days (null: kept forever). */
  get exposureMaxAgeDays(): number | null {
    return this.config.exposureMaxAgeDays === undefined ? EXPOSURE_MAX_AGE_DAYS : this.config.exposureMaxAgeDays;
  }

  /** Registers a slice's exposure sweep (wired where the slices meet: this slice knows no experiment). */
  addExposureSweep(sweep: ExposureSweep): void {
    this.exposureSweeps.push(sweep);
  }

  /** Runs once now over every workspace. */
  run(): Promise<RetentionRun> {
    if (!this.running) this.running = this.sweep().finally(() => (this.running = null));
    return this.running;
  }

  private async sweep(): Promise<RetentionRun> {
    const now = this.clock();
    const { eventMaxAgeDays } = this.config;
    const cutoff = eventMaxAgeDays === null ? null : now - eventMaxAgeDays * DAY_MS;
    const recCutoff = Math.max(cutoff ?? -Infinity, now - this.recommendationLogMaxAgeDays * DAY_MS);
    const exposureDays = this.exposureMaxAgeDays;
    const exposureCutoff = exposureDays === null ? null : now - exposureDays * DAY_MS;
    const out: RetentionRun = {
      at: new Date(now).toISOString(),
      cutoff: cutoff === null ? null : new Date(cutoff).toISOString(),
      events: 0,
      documents: 0,
      audit: 0,
      workspaces: 0,
      recommendationCutoff: new Date(recCutoff).toISOString(),
      exposureCutoff: exposureCutoff === null ? null : new Date(exposureCutoff).toISOString(),
      exposures: 0,
      assignments: 0,
    };
    for (const w of await this.store.listWorkspaces()) {
      out.workspaces++;
      let events = 0,
        documents = 0,
        audit = 0;
      // A workspace may set shorter limits of its own (the run's summary quotes the deployment's).
      const own = await this.limitsFor(w.id);
      const wsCutoff = own.eventMaxAgeDays === null ? null : now - own.eventMaxAgeDays * DAY_MS;
      const wsAuditCutoff = own.auditMaxAgeDays === null ? null : now - own.auditMaxAgeDays * DAY_MS;
      const wsRecCutoff = Math.max(wsCutoff ?? -Infinity, recCutoff);
      if (wsCutoff !== null) {
        events = await this.store.deleteEventsBefore(w.id, wsCutoff);
        for (const c of RETAINED_COLLECTIONS) if (c !== 'recommendation') documents += await this.store.deleteDocsBefore(w.id, c, wsCutoff);
      }
      documents += await this.store.deleteDocsBefore(w.id, 'recommendation', wsRecCutoff);
      if (wsAuditCutoff !== null) audit = await this.store.deleteDocsBefore(w.id, AUDIT_COLLECTION, wsAuditCutoff);
      let exposures = 0,
        assignments = 0;
      if (exposureCutoff !== null)
        for (const sweep of this.exposureSweeps) {
          const r = await sweep(w.id, exposureCutoff);
          exposures += r.exposures;
          assignments += r.assignments;
        }
      if (events + documents + audit + exposures + assignments > 0) {
        await this.audit.record(w.id, {
          actor: { source: 'retention' },
          action: 'retention.run',
          detail: {
            events,
            documents,
            audit,
            exposures,
            assignments,
            cutoff: wsCutoff === null ? null : new Date(wsCutoff).toISOString(),
            exposureCutoff: out.exposureCutoff,
          },
        });
      }
      out.exposures += exposures;
      out.assignments += assignments;
      out.events += events;
      out.documents += documents;
      out.audit += audit;
    }
    this.last = out;
    return out;
  }

  /** Starts the periodic job (recommendation logs always expire, so it always runs). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run().catch(() => undefined), this.config.intervalMs);
    this.timer.unref();
    void this.run().catch(() => undefined);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
