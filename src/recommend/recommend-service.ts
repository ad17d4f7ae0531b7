import { createHash, randomFillSync } from 'node:crypto';
import { AfinError } from '../domain/errors.ts';
import type { RecContext, StoredEvent } from '../domain/schemas.ts';
import type { RecommendationQueryT, Strategy } from './schemas.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { ServingModel, WorkspaceState } from './workspace-state.ts';
import type { ConsentPolicy } from '../domain/consent.ts';
import { funnelStage, type FunnelStage, type Profile } from '../profile/profile.ts';
import type { Store } from '../store/store.ts';
import { topK } from './models/top-k.ts';
import { filterReason, similarReason } from './reasons.ts';
import type { RankingSettingsT } from './rules.ts';
import { eventWeightsOf, loadRankingSettings, saveRankingSettings } from './settings.ts';
import { DueItems, dueItems, dueReason, dueStrength, type RebuyStats } from './rebuy.ts';
import { boostDue, shapeByStage } from './stage-shaping.ts';
import { explainLog, logTemplate, type RecommendationLog } from './recommendation-log.ts';
import { DEFAULT_MODEL, FALLBACK_MODEL, MODELS } from './registry.ts';
import { modelStatuses, type ModelInfo } from './model-store.ts';
import { explainItem, type ItemEvidence } from './pipeline/explain.ts';
import { personHistory, type HistoryOptions, type HistoryPoint } from './pipeline/history.ts';
import { composePage, keepFilter } from './pipeline/page.ts';
import { scoreCatalog, type CatalogScores } from './pipeline/score.ts';
import { personPriceBand, pricePositions, readingLanguage, shapeByLanguage, shapeByPrice } from './pipeline/shape.ts';
import { STAGE_NAMES, stageOn, type StageName } from './pipeline/stages.ts';
import { rng } from '../stats/random.ts';

export type { ItemEvidence } from './pipeline/explain.ts';

export interface RecommendedItem {
  id: string;
  score: number;
  reasons: string[];
  title: string;
  price?: number;
  currency?: string;
}

export interface Recommendation {
  recommendationId: string;
  personalized: boolean;
  model: string;
  items: RecommendedItem[];
  /** The running experiment that chose how this answer was served, and the person's variant in it. */
  experiment?: string;
  variant?: string;
}

/** How one request is served: a strategy, and the experiment variant that chose it (if one did). */
export interface StrategyChoice {
  strategy: Strategy;
  /** `personalized`: the model that scores (default: the request's, else the workspace default). */
  model?: string;
  /** `personalized`: ranking settings laid over the workspace's (kept as one object per variant, so memoising holds). */
  settings?: Partial<RankingSettingsT>;
  experiment?: string;
  variant?: string;
  /** The chance this person had of this variant (its weight share), for off-policy estimates. */
  propensity?: number;
}

/** One served answer under an experiment, as the exposure log keeps it. */
export interface Exposure {
  choice: StrategyChoice;
  subject: string;
  userId: string | null;
  recommendationId: string;
  context: RecContext;
  itemIds: string[];
  at: number;
}

/**
 * The experiment slice's side of serving: which strategy this person gets in this context (null: the
 * default path), the `segment` strategy's scores, and the exposure of each answer an experiment chose.
 */
export interface VariantChooser {
  choose(ws: string, person: { subject: string; policy: ConsentPolicy }, context: RecContext): Promise<StrategyChoice | null>;
  /** A score per catalogue item: the best sellers of the person's declared-trait group, and that group's label. */
  segmentScores(ws: string, subject: string | null, catalog: Catalog, now: number): Promise<{ scores: Float64Array; group: string }>;
  exposed(ws: string, exposure: Exposure): void;
}

/** Who asks: only a server or admin key may pick a strategy with `?strategy=`. */
export interface Caller {
  mayChooseStrategy: boolean;
}

/**
 * How many of a person's newest events shape their recommendations: enough for a heavy user's whole
 * history (item-item models gain from every item), bounded so one request stays cheap.
 */
const HISTORY_LIMIT = 1000;
/** Older events count less: half the weight this many days before the person's latest event. */
export const HISTORY_HALF_LIFE_DAYS = 30;
/** Default diversity: no category takes more than half a page. */
export const DEFAULT_CATEGORY_SHARE = 0.5;

export type Trainer = (ws: string) => Promise<ModelInfo[]>;

/** Who a request's `userId` / `anonymousId` is: the stored subject (the ingest slice knows). */
export interface PersonResolver {
  subjectOf(ws: string, ids: { userId?: string | null; anonymousId?: string | null }): Promise<string>;
}

/** What the person allows (the privacy slice's one choke point). */
export interface ConsentReader {
  policy(ws: string, subject: string): Promise<ConsentPolicy>;
}

/**
 * A fresh answer id: 12 random bytes in base64url. The bytes come from a pool refilled 256 ids at a
 * time: one call into the system's generator per id took 2.7 % of a served recommendation's CPU.
 */
const ID_BYTES = 12;
const idPool = Buffer.alloc(ID_BYTES * 256);
let idPoolAt = idPool.length;
function newRecommendationId(): string {
  if (idPoolAt === idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  idPoolAt += ID_BYTES;
  return `rec_${idPool.toString('base64url', idPoolAt - ID_BYTES, idPoolAt)}`;
}

/** A composed page, served again while its inputs hold (see `recommend`). */
interface ServedPage {
  personalized: boolean;
  model: string;
  /** Frozen: every answer from this page shares them. */
  items: RecommendedItem[];
  /** The log body for an answer given at a time (compacted once). */
  log: (createdAt: number) => Record<string, unknown>;
}

/**
 * Composed pages kept per ranking settings, least recently served dropped first: each holds a page
 * of items and its compact log, a few KB, so at most about 50 MB.
 */
const MAX_PAGES = 10_000;

/** The JSON of a memoised page's items, as the route's response schema would write them. */
const itemsJson = new WeakMap<readonly RecommendedItem[], string>();

/**
 * The answer as JSON, when its items come from a memoised page (null otherwise: serialise it as usual).
 * Only the schema's fields, in its order: the id, two flags, the items written once per page.
 */
export function answerJson(answer: Recommendation): string | null {
  const items = itemsJson.get(answer.items);
  if (items === undefined) return null;
  const experiment = answer.experiment === undefined ? '' : `,"experiment":${JSON.stringify(answer.experiment)}`;
  const variant = answer.variant === undefined ? '' : `,"variant":${JSON.stringify(answer.variant)}`;
  return `{"recommendationId":${JSON.stringify(answer.recommendationId)},"personalized":${answer.personalized},"model":${JSON.stringify(answer.model)},"items":${items}${experiment}${variant}}`;
}

/**
 * A number per profile content, for the page key. A profile is read and parsed afresh whenever the
 * per-person cache drops it (a new event, consent, erasure, or the cache's time limit), so its text is
 * hashed once per object read: a profile read again unchanged keeps its pages.
 */
const profileIds = new WeakMap<object, number>();
const profilesByHash = new Map<string, number>();
let lastProfileId = 0;
function profileId(p: Profile | null): number {
  if (p === null) return 0;
  let id = profileIds.get(p);
  if (id !== undefined) return id;
  const hash = createHash('sha256').update(JSON.stringify(p)).digest('base64');
  id = profilesByHash.get(hash);
  if (id === undefined) {
    if (profilesByHash.size >= MAX_PAGES) profilesByHash.delete(profilesByHash.keys().next().value!);
    profilesByHash.set(hash, (id = ++lastProfileId));
  }
  profileIds.set(p, id);
  return id;
}

/**
 * The items a person has any event with, and those they bought (and did not return). Kept per history
 * read: the per-person cache hands out the same list until the person's events change.
 */
const historySets = new WeakMap<readonly StoredEvent[], { seen: Set<string>; bought: Set<string> }>();
/** Shared by every request on the same history read: read only. */
function seenAndBought(events: readonly StoredEvent[]): { seen: Set<string>; bought: Set<string> } {
  let sets = historySets.get(events);
  if (!sets) {
    const seen = new Set<string>();
    const bought = new Set<string>();
    for (const e of events) {
      if (!e.itemId) continue;
      seen.add(e.itemId);
      if (e.type === 'purchase') bought.add(e.itemId);
      if (e.type === 'return') bought.delete(e.itemId);
    }
    sets = { seen, bought };
    historySets.set(events, sets);
  }
  return sets;
}

/**
 * A bounded memo that drops first the entries not used since they were last passed over ("second
 * chance", the CLOCK approximation of least-recently-used): a hit only marks its entry, where moving it
 * to the end of the Map (delete and set again, each hashing the long key) was 2 % of the served CPU.
 * When full, the oldest entry goes unless it was used since; a used one is moved to the end, unmarked.
 */
export class Memo<K, V> {
  private readonly map = new Map<K, { value: V; used: boolean }>();

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    e.used = true;
    return e.value;
  }

  /** Stores an entry, first dropping entries so the memo holds at most `cap`. */
  set(key: K, value: V, cap: number): void {
    const e = this.map.get(key);
    if (e !== undefined) {
      e.value = value;
      e.used = true;
      return;
    }
    while (this.map.size >= Math.max(1, cap)) this.dropOne();
    this.map.set(key, { value, used: false });
  }

  private dropOne(): void {
    for (const [k, e] of this.map) {
      this.map.delete(k);
      if (!e.used) return;
      e.used = false;
      this.map.set(k, e);
    }
  }
}

/**
 * The re-buy reckoning's clock: which items are due, and how overdue, is counted once a minute. An
 * overdue item's strength falls with every millisecond (late / elapsed), so counted at each request's
 * time it made every answer's page key new, and a person with an overdue item had their page composed
 * on every request (15 of the demo's 200 shoppers: 8 % of the served CPU). A minute is nothing against
 * re-buy rhythms of days.
 */
const DUE_TICK_MS = 60_000;

/** The due items of a history read at a tick, kept while the catalogue and the re-buy figures hold. */
const dueMemo = new WeakMap<readonly StoredEvent[], { tick: number; catalog: Catalog; stats: RebuyStats | null; due: DueItems }>();
/** Shared by every request on the same history read within the minute: read only. */
function dueAt(events: readonly StoredEvent[], now: number, catalog: Catalog, stats: RebuyStats | null): DueItems {
  const tick = Math.floor(now / DUE_TICK_MS) * DUE_TICK_MS;
  const m = dueMemo.get(events);
  if (m && m.tick === tick && m.catalog === catalog && m.stats === stats) return m.due;
  const due = dueItems(events, tick, (id) => catalog.get(id)?.categories?.at(-1), stats);
  dueMemo.set(events, { tick, catalog, stats, due });
  return due;
}

/** What of the due items shapes and explains a page: each item's lift and reason. */
function dueKey(due: Set<string>): Array<[string, number, string]> | null {
  if (due.size === 0) return null;
  const info = due instanceof DueItems ? due.info : undefined;
  return [...due].map((id) => {
    const d = info?.get(id);
    return [id, d ? dueStrength(d) : 1, dueReason(due, id)];
  });
}

/** dueKey's JSON, once per due set (dueAt hands out the same set within its minute). */
const dueKeyJson = new WeakMap<Set<string>, string>();
function dueKeyText(due: Set<string>): string {
  if (due.size === 0) return 'null';
  let text = dueKeyJson.get(due);
  if (text === undefined) dueKeyJson.set(due, (text = JSON.stringify(dueKey(due))));
  return text;
}

/** Candidates, scoring, filters, ranking and explanations for `GET /v1/recommendations`. */
export class RecommendService {
  private readonly training = new Map<string, Promise<unknown>>();
  /** Scores per person history, models and settings (see `remember`); oldest dropped first. */
  private readonly memo = new WeakMap<RankingSettingsT, Memo<string, Awaited<ReturnType<RecommendService['score']>>>>();
  /** Composed pages per scores and the rest of a request's inputs (see `recommend`); oldest dropped first. */
  private readonly pages = new WeakMap<RankingSettingsT, Memo<string, ServedPage>>();
  /** The event count at the last first-request training, so a workspace that gave no model is not retrained on every request. */
  private readonly triedAt = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly state: WorkspaceState,
    private readonly people: PersonResolver,
    private readonly consent: ConsentReader,
    private readonly log: RecommendationLog,
    private readonly train: Trainer,
    private readonly clock: () => number = Date.now,
    private readonly variants: VariantChooser | null = null,
  ) {}

  /** The request's strategy: `?strategy=` from a trusted caller, else the person's experiment variant. */
  private async strategyFor(
    ws: string,
    q: RecommendationQueryT,
    caller: Caller,
    subject: string | null,
    policy: ConsentPolicy | null,
  ): Promise<StrategyChoice | null> {
    if (q.strategy) {
      if (!caller.mayChooseStrategy) throw new AfinError('forbidden', 'strategy: choosing a strategy needs a server or admin key', 'strategy');
      return { strategy: q.strategy };
    }
    if (!this.variants || subject === null || policy === null) return null;
    return this.variants.choose(ws, { subject, policy }, q.context);
  }

  /** The workspace's settings with a variant's laid over, one merged object per pair (the score memo is keyed by it). */
  private readonly overlaid = new WeakMap<RankingSettingsT, WeakMap<object, RankingSettingsT>>();
  private overlay(base: RankingSettingsT, over: Partial<RankingSettingsT> | undefined): RankingSettingsT {
    if (!over) return base;
    let byOver = this.overlaid.get(base);
    if (!byOver) this.overlaid.set(base, (byOver = new WeakMap()));
    let merged = byOver.get(over);
    if (!merged) byOver.set(over, (merged = { ...base, ...over, stages: { ...base.stages, ...over.stages } }));
    return merged;
  }

  /**
   * A score per catalogue item for the strategies that do not use the person's history: `popular` (the
   * popularity model), `random` (seeded by person and day, so a page is stable within a day), `segment`
   * (the person's group's best sellers). `none` serves nothing: the page shows what it would without Afín.
   */
  private async strategyScores(
    ws: string,
    strategy: Exclude<Strategy, 'personalized'>,
    subject: string | null,
    catalog: Catalog,
    now: number,
  ): Promise<{ scores: Float64Array; reason: string } | null> {
    const scores = new Float64Array(catalog.size);
    if (strategy === 'none') return null;
    if (strategy === 'random') {
      let seed = Math.floor(now / 86_400_000);
      for (const ch of subject ?? '') seed = Math.imul(seed ^ ch.charCodeAt(0), 0x01000193);
      const draw = rng(seed);
      for (let i = 0; i < scores.length; i++) scores[i] = draw();
      return { scores, reason: 'A random pick' };
    }
    if (strategy === 'segment') {
      if (!this.variants) throw new AfinError('unavailable', 'strategy: the segment strategy is not wired in this server', 'strategy');
      const seg = await this.variants.segmentScores(ws, subject, catalog, now);
      return { scores: seg.scores, reason: seg.group === 'everyone' ? 'A best seller' : `A best seller with shoppers like you (${seg.group})` };
    }
    const popular = await this.model(ws, 'popularity');
    if (popular) {
      const s = popular.recommender.score([], now).scores;
      for (let k = 0; k < s.length; k++) if (popular.toCatalog[k] >= 0) scores[popular.toCatalog[k]] = s[k];
    }
    return { scores, reason: 'Popular in the shop' };
  }

  /** A model, training every model first when the workspace has none yet (its first request). */
  private async model(ws: string, name: string): Promise<ServingModel | null> {
    const m = await this.state.model(ws, name);
    if (m) return m;
    const events = await this.store.countEvents(ws);
    // Nothing to learn from, or already tried on exactly these events: answer without the model.
    if (events === 0 || this.triedAt.get(ws) === events) return null;
    let t = this.training.get(ws);
    if (!t) {
      t = this.train(ws)
        .catch(() => undefined) // a failed training must not fail the request: the fallbacks answer
        .finally(() => {
          this.training.delete(ws);
          this.triedAt.set(ws, events);
        });
      this.training.set(ws, t);
    }
    await t;
    return this.state.model(ws, name);
  }

  async recommend(ws: string, q: RecommendationQueryT, caller: Caller = { mayChooseStrategy: false }): Promise<Recommendation> {
    const requested = q.model ?? DEFAULT_MODEL;
    if (!MODELS[requested]) throw new AfinError('invalid_query', `model: unknown model "${requested}" (known: ${Object.keys(MODELS).join(', ')})`, 'model');
    if (q.minPrice !== undefined && q.maxPrice !== undefined && q.minPrice > q.maxPrice)
      throw new AfinError('invalid_query', 'minPrice: must not exceed maxPrice', 'minPrice');
    const now = this.clock();
    const catalog = await this.state.catalog(ws);
    const hasPerson = Boolean(q.userId || q.anonymousId);
    const subject = hasPerson ? await this.people.subjectOf(ws, q) : null;
    const policy = subject !== null ? await this.consent.policy(ws, subject) : null;
    const mayPersonalize = policy?.personalization ?? false;
    const choice = await this.strategyFor(ws, q, caller, subject, policy);
    const name = choice?.model && MODELS[choice.model] ? choice.model : requested;
    const events = subject ? await this.store.eventsOf(ws, subject, HISTORY_LIMIT) : [];
    const settings = this.overlay(await this.state.ranking(ws), choice?.settings);
    const on = (stage: StageName) => stageOn(settings.stages, stage);

    // Hard filters apply whatever the consent: they are what the page asked for.
    const { seen, bought } = seenAndBought(events);
    const profile = subject && mayPersonalize ? ((await this.store.getProfile(ws, subject)) as Profile | null) : null;
    const stage = funnelStage(profile, now);
    // What the person bought in a category where the shop's customers re-buy, once it is about time
    // (their own interval, else the category's): allowed back despite "already bought".
    const due = mayPersonalize && !q.includePurchased && on('rebuy') ? dueAt(events, now, catalog, await this.state.rebuy(ws)) : new Set<string>();
    const excluded = new Set(q.exclude ?? []);
    if (q.itemId && q.context === 'item') excluded.add(q.itemId);
    const keep = keepFilter(catalog, {
      excluded,
      seen,
      excludeSeen: Boolean(q.excludeSeen),
      bought,
      includePurchased: Boolean(q.includePurchased),
      due,
      category: q.category,
      minPrice: q.minPrice,
      maxPrice: q.maxPrice,
    });

    if (choice && choice.strategy !== 'personalized') {
      return this.serveStrategy(ws, q, choice, { catalog, keep, settings, subject, policy, now, rules: ['only available items'] });
    }

    const fallback = await this.model(ws, FALLBACK_MODEL);
    const personal = mayPersonalize && MODELS[name].personal ? await this.model(ws, name) : null;
    // The same person with the same history, models and settings gets the same scores: computed once.
    // A history is known by its length and its two ends (the list is oldest first and capped, so a
    // new event changes the length or both ends), so a cache refresh of the same events hits.
    const oldest = events[0];
    const newest = events.at(-1);
    const memoKey = [
      ws,
      subject ?? '',
      events.length,
      oldest?.messageId ?? '',
      oldest?.timestamp ?? 0,
      newest?.messageId ?? '',
      newest?.timestamp ?? 0,
      name,
      q.context,
      q.itemId ?? '',
      stage,
      mayPersonalize,
      catalog.version,
      fallback?.info.trainedAt ?? 0,
      personal?.info.trainedAt ?? 0,
    ].join('|');
    let bySettings = this.memo.get(settings);
    if (!bySettings) this.memo.set(settings, (bySettings = new Memo()));
    let scored = bySettings.get(memoKey);
    if (!scored) {
      scored = await this.score(ws, name, q, events, now, catalog, settings, fallback, personal, stage, seen, bought, mayPersonalize);
      // Bounded by memory: each entry holds a few numbers per catalogue item (~200 MB at most).
      bySettings.set(memoKey, scored, Math.max(16, Math.floor(200e6 / (24 * Math.max(1, catalog.size)))));
    }
    const language =
      mayPersonalize && on('language') ? readingLanguage(subject ? (await this.store.getUser(ws, subject))?.traits.language : undefined, profile) : null;
    // The page follows from the scores and from what else this request brings (the profile, what is
    // due again, the page's own filters): served again while none of them changed.
    const pageKey = `${memoKey}\u0001${profileId(profile)}\u0001${JSON.stringify([
      q.n,
      Boolean(q.excludeSeen),
      Boolean(q.includePurchased),
      q.category ?? null,
      q.minPrice ?? null,
      q.maxPrice ?? null,
      q.exclude ?? null,
      language,
    ])}\u0001${dueKeyText(due)}`;
    let pages = this.pages.get(settings);
    if (!pages) this.pages.set(settings, (pages = new Memo()));
    let page = pages.get(pageKey);
    if (!page) {
      page = this.composeServed(q, {
        catalog,
        settings,
        scored,
        profile,
        stage,
        seen,
        bought,
        due,
        excluded,
        keep,
        fallback,
        name,
        subject,
        mayPersonalize,
        language,
      });
      pages.set(pageKey, page, MAX_PAGES);
    }
    const result: Recommendation = { recommendationId: newRecommendationId(), personalized: page.personalized, model: page.model, items: page.items };
    // An erased person's request is answered but leaves no trace naming them (suppression).
    if (!policy?.erased)
      this.log.add(ws, { collection: 'recommendation', id: result.recommendationId, subject: q.userId ?? subject, createdAt: now, body: page.log(now) });
    return this.reportExposure(ws, q, choice, subject, result, now);
  }

  /**
   * The page for a person's scores: shaped by what is known of them, ruled, explained, and its log body
   * compacted once. Memoised by `recommend` (the items are frozen: every answer shares them).
   */
  private composeServed(
    q: RecommendationQueryT,
    x: {
      catalog: Catalog;
      settings: RankingSettingsT;
      scored: Awaited<ReturnType<RecommendService['score']>>;
      profile: Profile | null;
      stage: FunnelStage;
      seen: Set<string>;
      bought: Set<string>;
      due: Set<string>;
      excluded: Set<string>;
      keep: (i: number) => boolean;
      fallback: ServingModel | null;
      name: string;
      subject: string | null;
      mayPersonalize: boolean;
      language: string | null;
    },
  ): ServedPage {
    const { catalog, settings, scored, profile, stage, seen, bought, due, excluded, keep, fallback, name, subject, mayPersonalize, language } = x;
    const on = (st: StageName) => stageOn(settings.stages, st);
    const { history, trend, because, personalHits } = scored;
    const scores = scored.scores.slice(); // shaped and ruled below, per page

    // Shaping by what is known of the person: funnel stage, price band, reading language.
    if (on('funnel')) shapeByStage(scores, trend, stage, profile, seen, bought, due, catalog);
    boostDue(scores, due, catalog);
    const positions = pricePositions(catalog);
    const band = mayPersonalize && on('priceBand') ? personPriceBand(history, catalog, positions) : null;
    const bandUsed = band !== null && shapeByPrice(scores, positions, band) > 0;
    const languageUsed = language !== null && shapeByLanguage(scores, catalog, language) > 0;

    const { top, pinned, applied } = composePage(scores, catalog, keep, {
      rules: settings.rules ?? [],
      context: q.context,
      n: q.n,
      maxCategoryShare: settings.maxCategoryShare ?? DEFAULT_CATEGORY_SHARE,
      diversity: on('diversity'),
    });
    const currency = catalog.items[top[0]]?.currency;
    const explain = {
      catalog,
      scores,
      trend,
      because,
      history,
      profile,
      context: q.context,
      due,
      pinned,
      band: bandUsed ? band : null,
      positions,
      language: languageUsed ? language : null,
      hasTrend: fallback !== null,
      filterNote: filterReason(q, currency),
    };
    const evidence: ItemEvidence[] = [];
    const items: RecommendedItem[] = top.map((i) => {
      const it = catalog.items[i];
      const { reasons, evidence: ev } = explainItem(i, explain);
      evidence.push(ev);
      const out: RecommendedItem = { id: it.id, score: Math.round(scores[i] * 1e6) / 1e6, reasons, title: it.title };
      if (it.price !== undefined) out.price = it.price;
      if (it.currency !== undefined) out.currency = it.currency;
      return out;
    });

    const personalized = personalHits > 0 && top.some((i) => because[i] >= 0);
    const model = personalized ? name : fallback ? (MODELS[name].personal ? FALLBACK_MODEL : name) : 'catalog';
    const rules: string[] = ['only available items', ...applied.map((r) => `rule: ${r}`)];
    rules.push(`funnel stage: ${stage}`);
    if (bandUsed)
      rules.push(`price band: ${Math.round(band!.low * 100)}–${Math.round(band!.high * 100)} % of each category's price range (items outside sink)`);
    if (languageUsed) rules.push(`reading language: ${language}`);
    const off = STAGE_NAMES.filter((st) => !on(st));
    if (off.length) rules.push(`stages turned off: ${off.join(', ')}`);
    if (!q.includePurchased && bought.size) rules.push(`left out ${bought.size} item(s) already bought`);
    if (q.excludeSeen) rules.push(`left out ${seen.size} item(s) already seen`);
    if (excluded.size) rules.push(`left out by request: ${[...excluded].join(', ')}`);
    if (q.category) rules.push(`category: ${q.category}`);
    if (q.minPrice !== undefined) rules.push(`price ≥ ${q.minPrice}`);
    if (q.maxPrice !== undefined) rules.push(`price ≤ ${q.maxPrice}`);
    if (subject && !mayPersonalize) rules.push('personalization is off for this person (consent): non-personalised answer');
    const logBody = {
      model,
      personalized,
      context: q.context,
      query: { category: q.category, minPrice: q.minPrice, maxPrice: q.maxPrice },
      historyUsed: history.length,
      rules,
      items: items.map((it, k) => ({ id: it.id, score: it.score, reasons: it.reasons, evidence: evidence[k] })),
    };
    for (const it of items) Object.freeze(Object.freeze(it).reasons);
    Object.freeze(items);
    itemsJson.set(items, JSON.stringify(items));
    return { personalized, model, items, log: logTemplate(logBody) };
  }

  /** Names the experiment and variant in the answer and logs the exposure (once per served answer). */
  private reportExposure(
    ws: string,
    q: RecommendationQueryT,
    choice: StrategyChoice | null,
    subject: string | null,
    result: Recommendation,
    now: number,
  ): Recommendation {
    if (!choice?.experiment || !choice.variant || subject === null) return result;
    result.experiment = choice.experiment;
    result.variant = choice.variant;
    this.variants?.exposed(ws, {
      choice,
      subject,
      userId: q.userId ?? null,
      recommendationId: result.recommendationId,
      context: q.context,
      itemIds: result.items.map((it) => it.id),
      at: now,
    });
    return result;
  }

  /** An answer from a strategy that does not use the person's history (see `strategyScores`), with the same hard filters and rules. */
  private async serveStrategy(
    ws: string,
    q: RecommendationQueryT,
    choice: StrategyChoice,
    ctx: {
      catalog: Catalog;
      keep: (i: number) => boolean;
      settings: RankingSettingsT;
      subject: string | null;
      policy: ConsentPolicy | null;
      now: number;
      rules: string[];
    },
  ): Promise<Recommendation> {
    const { catalog, settings, now } = ctx;
    // Declared traits are personal data: only a person who allows personalization is grouped by them.
    const scored = await this.strategyScores(
      ws,
      choice.strategy as Exclude<Strategy, 'personalized'>,
      ctx.policy?.personalization ? ctx.subject : null,
      catalog,
      now,
    );
    const page = scored
      ? composePage(scored.scores, catalog, ctx.keep, {
          rules: settings.rules ?? [],
          context: q.context,
          n: q.n,
          maxCategoryShare: settings.maxCategoryShare ?? DEFAULT_CATEGORY_SHARE,
          diversity: stageOn(settings.stages, 'diversity'),
        })
      : { top: [], applied: [] };
    const items: RecommendedItem[] = page.top.map((i) => {
      const it = catalog.items[i];
      const out: RecommendedItem = { id: it.id, score: Math.round(scored!.scores[i] * 1e6) / 1e6, reasons: [scored!.reason], title: it.title };
      if (it.price !== undefined) out.price = it.price;
      if (it.currency !== undefined) out.currency = it.currency;
      return out;
    });
    const model = choice.strategy === 'popular' ? 'popularity' : choice.strategy;
    const result: Recommendation = { recommendationId: newRecommendationId(), personalized: false, model, items };
    const rules = [
      ...ctx.rules,
      ...page.applied.map((r) => `rule: ${r}`),
      `strategy: ${choice.strategy}${choice.experiment ? ` (experiment ${choice.experiment}, variant ${choice.variant})` : ''}`,
    ];
    if (!ctx.policy?.erased)
      this.log.add(ws, {
        collection: 'recommendation',
        id: result.recommendationId,
        subject: q.userId ?? ctx.subject,
        createdAt: now,
        body: {
          model,
          personalized: false,
          context: q.context,
          query: { ...q },
          historyUsed: 0,
          rules,
          items: items.map((it) => ({ id: it.id, score: it.score, reasons: it.reasons })),
        },
      });
    return this.reportExposure(ws, q, choice, ctx.subject, result, now);
  }

  /**
   * The person's ranking of the whole catalogue, for other slices that filter on their own (the chat):
   * a score per item id, the history entry behind it, and what they already bought. Scored by the same
   * stage as the recommendations route; seen items keep their score (the person is asking).
   */
  async rankFor(ws: string, userId: string, personalize: boolean) {
    const now = this.clock();
    const catalog = await this.state.catalog(ws);
    const events = personalize ? await this.store.eventsOf(ws, userId, HISTORY_LIMIT) : [];
    const fallback = await this.model(ws, FALLBACK_MODEL);
    const personal = personalize ? await this.model(ws, DEFAULT_MODEL) : null;
    const settings = await this.state.ranking(ws);
    const history = personal ? personHistory(events, personal.modelIndex, this.historyOptions(settings, 'chat', undefined, now)) : [];
    const r = scoreCatalog({
      history,
      anchors: [],
      catalogSize: catalog.size,
      updatedAt: () => 0,
      seen: [],
      models: { fallback, personal, generic: null, itemToItem: null },
      trend: true,
      seenDiscount: false,
      now,
    });
    const scores = r.scores;
    const because = r.because;
    const bought = events.filter((e) => e.type === 'purchase' && e.itemId).map((e) => e.itemId!);
    return {
      bought,
      score: (id: string) => {
        const i = catalog.index.get(id);
        return i === undefined ? 0 : scores[i] || 0;
      },
      because: (id: string) => {
        const i = catalog.index.get(id);
        const h = i === undefined ? -1 : because[i];
        if (h < 0) return null;
        const src = history[h];
        return { itemId: src.itemId, itemTitle: catalog.get(src.itemId)?.title ?? src.itemId, type: src.event?.type ?? 'view' };
      },
    };
  }

  /** The evidence behind a logged answer: `GET /v1/recommendations/:id/why`. */
  async why(ws: string, recommendationId: string) {
    const doc = await this.log.get(ws, recommendationId);
    if (!doc) throw new AfinError('not_found', `recommendation "${recommendationId}" not found`, 'recommendationId');
    return explainLog(doc, await this.state.catalog(ws)); // the log keeps reasons by reference
  }

  private historyOptions(settings: RankingSettingsT, context: RecContext, itemId: string | undefined, now: number): HistoryOptions {
    return {
      weights: eventWeightsOf(settings),
      ratings: settings.ratings,
      halfLifeDays: stageOn(settings.stages, 'recency') ? (settings.historyHalfLifeDays ?? HISTORY_HALF_LIFE_DAYS) : null,
      context,
      itemId,
      now,
    };
  }

  /** Scores every item for a person before shaping and rules (memoised by `recommend`). */
  private async score(
    ws: string,
    name: string,
    q: RecommendationQueryT,
    events: StoredEvent[],
    now: number,
    catalog: Catalog,
    settings: RankingSettingsT,
    fallback: ServingModel | null,
    personal: ServingModel | null,
    stage: FunnelStage,
    seen: Set<string>,
    bought: Set<string>,
    mayPersonalize: boolean,
  ): Promise<CatalogScores & { history: HistoryPoint[] }> {
    const inView = q.context === 'item' && q.itemId && catalog.get(q.itemId) ? q.itemId : undefined;
    const history = personal ? personHistory(events, personal.modelIndex, this.historyOptions(settings, q.context, inView, now)) : [];
    // The page's context picks the sources: on an item page or in the cart, what is in view drives an
    // item-to-item source ("goes with this"); the person's whole history still counts, at half weight.
    // Someone with a full cart gets complements of it on the home page too.
    const cartAnchors = q.context === 'cart' || (q.context === 'home' && stage === 'considering');
    const anchors = stageOn(settings.stages, 'context')
      ? history.map((h, k) => (h.event === null || (cartAnchors && h.event.type === 'add_to_cart' && !bought.has(h.itemId)) ? k : -1)).filter((k) => k >= 0)
      : [];
    const itemToItem = anchors.length ? await this.model(ws, 'cooccurrence') : null;
    const generic = !personal && !MODELS[name].personal && mayPersonalize ? await this.model(ws, name) : null;
    const seenIdx: number[] = [];
    for (const id of seen) {
      const i = catalog.index.get(id);
      if (i !== undefined) seenIdx.push(i);
    }
    const r = scoreCatalog({
      history,
      anchors,
      catalogSize: catalog.size,
      updatedAt: (i) => catalog.items[i].updatedAt,
      seen: seenIdx,
      models: { fallback, personal, generic, itemToItem },
      trend: stageOn(settings.stages, 'trend'),
      seenDiscount: stageOn(settings.stages, 'seenDiscount'),
      now,
    });
    return { ...r, history };
  }

  async similar(ws: string, itemId: string, n: number): Promise<{ items: RecommendedItem[] }> {
    const catalog = await this.state.catalog(ws);
    const self = catalog.get(itemId);
    if (!self) throw new AfinError('not_found', `item "${itemId}" not found`, 'id');
    const out: RecommendedItem[] = [];
    const used = new Set([itemId]);
    const m = await this.model(ws, 'cooccurrence');
    const idx = m?.modelIndex.get(itemId);
    if (m && idx !== undefined) {
      const { items, scores } = m.recommender.similar(idx, n * 3);
      for (let k = 0; k < items.length && out.length < n; k++) {
        const c = m.toCatalog[items[k]];
        if (c < 0 || !catalog.available[c] || used.has(catalog.items[c].id)) continue;
        const it = catalog.items[c];
        used.add(it.id);
        out.push({
          id: it.id,
          score: Math.round(scores[k] * 1e6) / 1e6,
          reasons: [similarReason(self, itemId)],
          title: it.title,
          ...(it.price !== undefined ? { price: it.price } : {}),
        });
      }
    }
    // Too little co-engagement (a new item, a young shop): fill with the same category, trending first.
    if (out.length < n) {
      const trend = await this.model(ws, FALLBACK_MODEL);
      const heat = new Float64Array(catalog.size);
      if (trend) {
        const s = trend.recommender.score([], this.clock()).scores;
        for (let k = 0; k < s.length; k++) if (trend.toCatalog[k] >= 0) heat[trend.toCatalog[k]] = s[k];
      }
      const cats = new Set((self.categories ?? []).map((c) => c.toLowerCase()));
      const shared = (i: number) => (catalog.items[i].categories ?? []).filter((c) => cats.has(c.toLowerCase()));
      const fill = topK(
        heat.map((h, i) => (shared(i).length > 0 ? h + 1e-9 : Number.NaN)),
        n - out.length,
        (i) => catalog.available[i] === 1 && !used.has(catalog.items[i].id),
      );
      for (const c of fill) {
        const it = catalog.items[c];
        out.push({ id: it.id, score: 0, reasons: [`Also in ${shared(c)[0]}`], title: it.title, ...(it.price !== undefined ? { price: it.price } : {}) });
      }
    }
    return { items: out };
  }

  /** The workspace's ranking settings as stored (event weights, decay, diversity, rules). */
  rankingSettings(ws: string): Promise<RankingSettingsT> {
    return loadRankingSettings(this.store, ws);
  }

  /** Replaces the ranking settings; every node serves with them at once. */
  async saveRankingSettings(ws: string, s: RankingSettingsT): Promise<void> {
    await saveRankingSettings(this.store, ws, s, this.clock());
    this.state.invalidate(ws, 'settings');
  }

  /** The trained models, each with its last training error. */
  models(ws: string) {
    return modelStatuses(this.store, ws);
  }
}
