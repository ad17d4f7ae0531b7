import { LRUCache } from 'lru-cache';
import { AfinError, parseOr } from '../domain/errors.ts';
import type { ConsentPolicy } from '../domain/consent.ts';
import type { RecContext } from '../domain/schemas.ts';
import { ANON_PREFIX } from '../domain/schemas.ts';
import { anonSubject, isAnonSubject } from '../domain/subjects.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Exposure, StrategyChoice, VariantChooser } from '../recommend/recommend-service.ts';
import type { Store } from '../store/store.ts';
import { MODELS } from '../recommend/registry.ts';
import { assignVariant, propensityOf } from './assignment.ts';
import { assignmentCollection, EXPOSURE_COLLECTION, ExposureLog, type AssignmentBody, type ExposureBody } from './exposure-log.ts';
import {
  ExperimentBody,
  ExperimentSettingsBody,
  GLOBAL_HOLDOUT_KEY,
  type Experiment,
  type ExperimentSettingsT,
  type ExperimentStatus,
  type VariantT,
} from './schemas.ts';
import { bestSellersByGroup, segmentOf, segmentScores, type SegmentKey, type SegmentTable } from './segment.ts';
import { analyse, type ExperimentResults } from './analysis.ts';
import { attribute, type AttributionInput } from './attribution.ts';
import { orderIdOf } from '../domain/orders.ts';

const EXPERIMENT_COLLECTION = 'experiment';
const SETTINGS_COLLECTION = 'experiment-settings';
/** How long a node trusts its list of running experiments before it reads the store again (other nodes' starts and stops). */
const RUNNING_CACHE_MS = 2000;
/** The segment baseline's best sellers: counted over this many recent days, recounted this often. */
const SEGMENT_WINDOW_DAYS = 30;
const SEGMENT_REFRESH_MS = 10 * 60_000;
/** Sooner when the shop's events grew by a tenth since the count (a young shop's best sellers move fast): checked this often. */
const SEGMENT_GROWTH_CHECK_MS = 10_000;
/** At most this many recent events make the segment table (a bounded rebuild). */
const SEGMENT_MAX_EVENTS = 500_000;
const DAY = 86_400_000;

const DEFAULT_SETTINGS: ExperimentSettingsT = { globalHoldout: 0, holdoutStrategy: 'none' };

/** The workspace holdout as an experiment: `holdout` never gets Afín's recommendations, `afin` does. */
export function globalHoldoutExperiment(s: ExperimentSettingsT, since: number): Experiment {
  return {
    key: GLOBAL_HOLDOUT_KEY,
    name: 'Global holdout',
    status: s.globalHoldout > 0 ? 'running' : 'stopped',
    variants: [
      { name: 'holdout', weight: s.globalHoldout, strategy: s.holdoutStrategy },
      { name: 'afin', weight: 1 - s.globalHoldout, strategy: 'personalized' },
    ],
    control: 'holdout',
    primaryMetric: 'conversion',
    guardrailMetrics: [],
    attributionWindowDays: 7,
    churnDays: 14,
    createdAt: since,
    startedAt: since,
    stoppedAt: null,
    history: [],
  };
}

interface Assigned {
  variant: VariantT;
  propensity: number;
}

/**
 * Experiments: create, start, pause, stop; the variant each person is served (sticky across signing in,
 * recorded on first exposure, only with personalization consent); the exposure log; the results.
 */
export class ExperimentService implements VariantChooser {
  readonly log: ExposureLog;
  private readonly running = new Map<string, { at: number; experiments: Experiment[]; settings: ExperimentSettingsT; settingsAt: number }>();
  /** Each person's variant per experiment once known (`ws \n key \n subject`), so a request reads the store once per person. */
  private readonly assigned = new LRUCache<string, Assigned>({ max: 100_000 });
  private readonly segments = new Map<
    string,
    { builtAt: number; catalogVersion: number; table: SegmentTable; events: number; checkedAt: number; building?: Promise<unknown> }
  >();

  constructor(
    private readonly store: Store,
    private readonly catalog: (ws: string) => Promise<Catalog>,
    private readonly clock: () => number = Date.now,
    opts: { maxExposuresPerWorkspace?: number; logIntervalMs?: number; isErased?: (ws: string, subject: string) => Promise<boolean> } = {},
  ) {
    this.log = new ExposureLog(store, { maxPerWorkspace: opts.maxExposuresPerWorkspace, intervalMs: opts.logIntervalMs, isErased: opts.isErased });
  }

  // ---- the experiments themselves ----

  async create(ws: string, body: unknown): Promise<Experiment> {
    const b = parseOr(ExperimentBody, body, 'invalid_body');
    b.variants.forEach((v, i) => {
      if (v.model !== undefined && !MODELS[v.model])
        throw new AfinError(
          'invalid_body',
          `variants[${i}].model: unknown model "${v.model}" (known: ${Object.keys(MODELS).join(', ')})`,
          `variants[${i}].model`,
        );
    });
    if (await this.store.getDoc(ws, EXPERIMENT_COLLECTION, b.key)) throw new AfinError('conflict', `key: an experiment "${b.key}" already exists`, 'key');
    const now = this.clock();
    const exp: Experiment = {
      ...b,
      control: b.control ?? b.variants[0].name,
      status: 'draft',
      createdAt: now,
      startedAt: null,
      stoppedAt: null,
      history: [{ status: 'draft', at: now }],
    };
    await this.save(ws, exp);
    return exp;
  }

  async get(ws: string, key: string): Promise<Experiment> {
    if (key === GLOBAL_HOLDOUT_KEY) {
      const { settings, since } = await this.settingsDoc(ws);
      return globalHoldoutExperiment(settings, since);
    }
    const doc = await this.store.getDoc(ws, EXPERIMENT_COLLECTION, key);
    if (!doc) throw new AfinError('not_found', `experiment "${key}" not found`, 'key');
    return doc.body as unknown as Experiment;
  }

  async list(ws: string, status?: ExperimentStatus): Promise<Experiment[]> {
    const docs = await this.store.listDocs(ws, EXPERIMENT_COLLECTION, { limit: 10_000 });
    const all = docs.map((d) => d.body as unknown as Experiment).sort((a, b) => a.createdAt - b.createdAt);
    return status ? all.filter((e) => e.status === status) : all;
  }

  /** start (from draft or paused), pause (from running), stop (from running or paused; final). */
  async transition(ws: string, key: string, to: 'running' | 'paused' | 'stopped'): Promise<Experiment> {
    if (key === GLOBAL_HOLDOUT_KEY) throw new AfinError('conflict', `key: the global holdout is set with PUT /v1/settings/experiments`, 'key');
    const exp = await this.get(ws, key);
    const allowed: Record<typeof to, ExperimentStatus[]> = { running: ['draft', 'paused'], paused: ['running'], stopped: ['running', 'paused'] };
    if (!allowed[to].includes(exp.status))
      throw new AfinError('conflict', `status: a ${exp.status} experiment cannot be ${to === 'running' ? 'started' : to}`, 'status');
    const now = this.clock();
    exp.status = to;
    exp.history.push({ status: to, at: now });
    if (to === 'running' && exp.startedAt === null) exp.startedAt = now;
    if (to === 'stopped') exp.stoppedAt = now;
    await this.save(ws, exp);
    return exp;
  }

  private async save(ws: string, exp: Experiment): Promise<void> {
    await this.store.putDocs(ws, [
      { collection: EXPERIMENT_COLLECTION, id: exp.key, subject: null, body: exp as unknown as Record<string, unknown>, createdAt: exp.createdAt },
    ]);
    this.running.delete(ws);
  }

  private async settingsDoc(ws: string): Promise<{ settings: ExperimentSettingsT; since: number }> {
    const doc = await this.store.getDoc(ws, SETTINGS_COLLECTION, 'global');
    return doc ? { settings: doc.body.settings as ExperimentSettingsT, since: doc.body.since as number } : { settings: DEFAULT_SETTINGS, since: this.clock() };
  }

  /**
   * Retention (`exposureMaxAgeDays`): an experiment stopped before `cutoff` loses its assignments and
   * exposures, so its results can no longer be computed; exposures no live or recently stopped
   * experiment claims (generated content's, a deleted experiment's) go once older than `cutoff`. A
   * draft, running or paused experiment keeps everything, as does the global holdout while it is on.
   */
  async expire(ws: string, cutoff: number): Promise<{ exposures: number; assignments: number }> {
    await this.log.flush();
    const experiments = await this.list(ws);
    const { settings, since } = await this.settingsDoc(ws);
    // The holdout stopped when its share was last set to 0 (a new share starts a new period).
    const holdoutKept = settings.globalHoldout > 0 || since >= cutoff;
    const kept = new Set(experiments.filter((e) => e.stoppedAt === null || e.stoppedAt >= cutoff).map((e) => e.key));
    if (holdoutKept) kept.add(GLOBAL_HOLDOUT_KEY);
    let assignments = 0;
    for (const key of [...experiments.map((e) => e.key), GLOBAL_HOLDOUT_KEY])
      if (!kept.has(key)) assignments += await this.store.deleteDocsBefore(ws, assignmentCollection(key), cutoff);
    const claimed = (b: Record<string, unknown>) => kept.has(String(b.experiment)) || (holdoutKept && typeof b.holdout === 'string');
    let exposures = 0;
    if (kept.size === 0) exposures = await this.store.deleteDocsBefore(ws, EXPOSURE_COLLECTION, cutoff);
    else
      for (const d of await this.store.listDocs(ws, EXPOSURE_COLLECTION, { limit: 2 * this.log.maxPerWorkspace }))
        if (d.createdAt < cutoff && !claimed(d.body)) exposures += Number(await this.store.deleteDoc(ws, EXPOSURE_COLLECTION, d.id));
    return { exposures, assignments };
  }

  settings(ws: string): Promise<ExperimentSettingsT> {
    return this.settingsDoc(ws).then((d) => d.settings);
  }

  /** Sets the global holdout. A new share starts a new holdout period (its results count from then). */
  async saveSettings(ws: string, body: unknown): Promise<ExperimentSettingsT> {
    const s = parseOr(ExperimentSettingsBody, body, 'invalid_body');
    const old = await this.settingsDoc(ws);
    const since = old.settings.globalHoldout === s.globalHoldout && old.settings.holdoutStrategy === s.holdoutStrategy ? old.since : this.clock();
    await this.store.putDocs(ws, [{ collection: SETTINGS_COLLECTION, id: 'global', subject: null, body: { settings: s, since }, createdAt: this.clock() }]);
    this.running.delete(ws);
    return s;
  }

  private async servingState(ws: string) {
    const now = this.clock();
    let r = this.running.get(ws);
    if (!r || now - r.at > RUNNING_CACHE_MS || now < r.at) {
      const [experiments, { settings, since }] = await Promise.all([this.list(ws, 'running'), this.settingsDoc(ws)]);
      r = { at: now, experiments, settings, settingsAt: since };
      this.running.set(ws, r);
    }
    return r;
  }

  // ---- serving: the VariantChooser the recommend service asks ----

  /**
   * The strategy this person is served here: the global holdout first, then the oldest running
   * experiment covering the context. A person without personalization consent is in none of them.
   */
  async choose(ws: string, person: { subject: string; policy: ConsentPolicy }, context: RecContext): Promise<StrategyChoice | null> {
    if (!person.policy.personalization || person.policy.erased) return null;
    const state = await this.servingState(ws);
    const holdout = state.settings.globalHoldout > 0 ? globalHoldoutExperiment(state.settings, state.settingsAt) : null;
    let inAfin: Assigned | null = null;
    if (holdout) {
      const g = await this.variantOf(ws, holdout, person.subject);
      if (g.variant.name === 'holdout') return this.choice(holdout, g);
      inAfin = g;
    }
    const exp = state.experiments.find((e) => !e.contexts || e.contexts.includes(context));
    if (exp) return this.choice(exp, await this.variantOf(ws, exp, person.subject));
    return holdout && inAfin ? this.choice(holdout, inAfin) : null;
  }

  private choice(exp: Experiment, a: Assigned): StrategyChoice {
    const c: StrategyChoice = { strategy: a.variant.strategy, experiment: exp.key, variant: a.variant.name, propensity: a.propensity };
    if (a.variant.model) c.model = a.variant.model;
    if (a.variant.settings) c.settings = a.variant.settings; // one object per variant: the recommend memo holds
    return c;
  }

  /**
   * The person's variant: recorded if they were served before (or, once signed in, as the visitor
   * they were), else by the hash of the experiment key and the person, recorded now (first exposure).
   */
  private async variantOf(ws: string, exp: Experiment, subject: string): Promise<Assigned> {
    const memoKey = `${ws}\n${exp.key}\n${subject}`;
    const hit = this.assigned.get(memoKey);
    if (hit) return hit;
    const collection = assignmentCollection(exp.key);
    const byName = (name: unknown) => exp.variants.find((v) => v.name === name);
    const found = async (s: string) => {
      const doc = await this.store.getDoc(ws, collection, s);
      const v = doc && byName(doc.body.variant);
      return v ? { variant: v, propensity: Number(doc!.body.propensity) || propensityOf(exp.variants, v) } : null;
    };
    let a = await found(subject);
    if (!a) {
      let from: string | undefined;
      if (!isAnonSubject(subject)) {
        for (const anon of await this.store.anonymousIdsOf(ws, subject)) {
          a = await found(anonSubject(anon));
          if (a) {
            from = anonSubject(anon);
            break;
          }
        }
      }
      if (!a) {
        const v = assignVariant(exp.key, subject, exp.variants);
        a = { variant: v, propensity: propensityOf(exp.variants, v) };
      }
      const body: AssignmentBody = { experiment: exp.key, variant: a.variant.name, propensity: a.propensity, ...(from ? { from } : {}) };
      this.log.add(ws, { collection, id: subject, subject, body: body as unknown as Record<string, unknown>, createdAt: this.clock() });
    }
    this.assigned.set(memoKey, a);
    return a;
  }

  exposed(ws: string, e: Exposure): void {
    if (!e.choice.experiment || !e.choice.variant) return;
    const body: ExposureBody = {
      experiment: e.choice.experiment,
      variant: e.choice.variant,
      strategy: e.choice.strategy,
      propensity: e.choice.propensity ?? 1,
      context: e.context,
      items: e.itemIds,
      person: e.subject,
    };
    const group = this.assigned.get(`${ws}\n${GLOBAL_HOLDOUT_KEY}\n${e.subject}`);
    if (group) body.holdout = group.variant.name;
    this.log.add(ws, {
      collection: EXPOSURE_COLLECTION,
      id: e.recommendationId,
      subject: e.userId ?? e.subject,
      body: body as unknown as Record<string, unknown>,
      createdAt: e.at,
    });
  }

  /** The segment baseline's scores for this person (see segment.ts); without a person, the whole shop's best sellers. */
  async segmentScores(ws: string, subject: string | null, catalog: Catalog, now: number): Promise<{ scores: Float64Array; group: string }> {
    const table = await this.segmentTable(ws, catalog, now);
    const key: SegmentKey =
      subject && !subject.startsWith(ANON_PREFIX)
        ? segmentOf((await this.store.getUser(ws, subject))?.traits, now)
        : { ageBand: null, location: null, interest: null };
    return segmentScores(table, key);
  }

  private async segmentTable(ws: string, catalog: Catalog, now: number): Promise<SegmentTable> {
    const cached = this.segments.get(ws);
    const fresh = cached && cached.catalogVersion === catalog.version;
    let due = !fresh || now - cached.builtAt >= SEGMENT_REFRESH_MS;
    if (!due && cached && Math.abs(now - cached.checkedAt) >= SEGMENT_GROWTH_CHECK_MS) {
      cached.checkedAt = now;
      due = (await this.store.countEvents(ws)) >= cached.events * 1.1 + 100;
    }
    if (!due) return cached!.table;
    const build = async () => {
      const total = await this.store.countEvents(ws);
      const events: Array<{ subject: string; type: string; itemId: string | null }> = [];
      for await (const page of this.store.scanEvents(ws, { since: now - SEGMENT_WINDOW_DAYS * DAY })) {
        for (const e of page) if (e.itemId) events.push({ subject: e.subject, type: e.type, itemId: e.itemId });
        if (events.length >= SEGMENT_MAX_EVENTS) break;
      }
      const keys = new Map<string, SegmentKey>();
      for (const e of events) {
        if (keys.has(e.subject)) continue;
        keys.set(e.subject, segmentOf(isAnonSubject(e.subject) ? null : (await this.store.getUser(ws, e.subject))?.traits, now));
      }
      const table = bestSellersByGroup(
        events,
        (s) => keys.get(s)!,
        (id) => catalog.index.get(id),
        catalog.size,
      );
      this.segments.set(ws, { builtAt: now, catalogVersion: catalog.version, table, events: total, checkedAt: now });
      return table;
    };
    // A stale table of the same catalogue serves while a new one is counted; a changed catalogue waits.
    if (fresh && cached) {
      if (!cached.building)
        cached.building = build()
          .catch(() => undefined)
          .finally(() => (cached.building = undefined));
      return cached.table;
    }
    return build();
  }

  /** The recorded variant of a person (as served: a user id or `anon:<anonymousId>`). */
  async assignmentOf(
    ws: string,
    key: string,
    subject: string,
  ): Promise<{ experiment: string; person: string; variant: string | null; propensity: number | null; assignedAt: string | null; from: string | null }> {
    await this.get(ws, key);
    await this.log.flush();
    const doc = await this.store.getDoc(ws, assignmentCollection(key), subject);
    return {
      experiment: key,
      person: subject,
      variant: doc ? String(doc.body.variant) : null,
      propensity: doc ? Number(doc.body.propensity) : null,
      assignedAt: doc ? new Date(doc.createdAt).toISOString() : null,
      from: doc && typeof doc.body.from === 'string' ? doc.body.from : null,
    };
  }

  // ---- results ----

  async results(ws: string, key: string, until?: number): Promise<ExperimentResults> {
    const exp = await this.get(ws, key);
    await this.log.flush();
    const now = this.clock();
    const end = Math.min(until ?? now, exp.stoppedAt ?? Infinity, now);
    const assignments = await this.store.listDocs(ws, assignmentCollection(key), { limit: 10_000_000 });
    const exposures = (await this.store.listDocs(ws, EXPOSURE_COLLECTION, { limit: this.log.maxPerWorkspace })).filter(
      (d) => d.body.experiment === key || (key === GLOBAL_HOLDOUT_KEY && typeof d.body.holdout === 'string'),
    );
    // A visitor who signed in is one person: their events moved to the user they became.
    const anonIds = assignments.filter((d) => isAnonSubject(d.id)).map((d) => d.id.slice(ANON_PREFIX.length));
    const linked = await this.store.resolveAnonymousMany(ws, anonIds);
    const personOf = (subject: string) => (isAnonSubject(subject) ? (linked.get(subject.slice(ANON_PREFIX.length)) ?? subject) : subject);
    const firstAt = assignments.reduce((m, d) => Math.min(m, d.createdAt), Infinity);
    const preDays = CUPED_PRE_PERIOD_DAYS;
    const events: Array<AttributionInput['events'][number]> = [];
    if (Number.isFinite(firstAt)) {
      for await (const page of this.store.scanEvents(ws, { since: firstAt - preDays * DAY })) {
        for (const e of page)
          if (e.timestamp <= end)
            events.push({
              subject: e.subject,
              type: e.type,
              itemId: e.itemId,
              value: e.value,
              recommendationId: e.recommendationId,
              variant: e.variant,
              timestamp: e.timestamp,
              orderId: orderIdOf(e.properties),
            });
      }
    }
    const catalog = await this.catalog(ws);
    const outcomes = attribute({
      experiment: exp,
      end,
      preDays,
      assignments: assignments.map((d) => ({ person: personOf(d.id), variant: String(d.body.variant), at: d.createdAt })),
      exposures: exposures.map((d) => ({
        id: d.id,
        person: personOf(String(d.body.person ?? d.subject)),
        variant: key === GLOBAL_HOLDOUT_KEY ? String(d.body.holdout ?? d.body.variant) : String(d.body.variant),
        at: d.createdAt,
      })),
      events,
      price: (itemId) => catalog.get(itemId)?.price,
    });
    return analyse(exp, outcomes, { end });
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

/** Days before each person's first exposure whose behaviour CUPED uses as the covariate. */
export const CUPED_PRE_PERIOD_DAYS = 14;
