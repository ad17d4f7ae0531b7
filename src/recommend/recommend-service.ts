import { randomBytes } from 'node:crypto';
import { AfinError } from '../domain/errors.ts';
import type { RecommendationQueryT, StoredEvent } from '../domain/schemas.ts';
import { decay, eventWeight } from '../domain/weights.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { ServingModel, WorkspaceState } from '../engine/workspace-state.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import type { ConsentService } from '../privacy/consent.ts';
import { funnelStage, type FunnelStage, type Profile } from '../profile/profile.ts';
import type { Store } from '../store/store.ts';
import type { HistoryEntry } from './models/types.ts';
import { topK } from './models/top-k.ts';
import { becauseReason, filterReason, similarReason } from './reasons.ts';
import { diversify, pin, scoreRules, type RankingSettingsT } from './rules.ts';
import { eventWeightsOf } from './settings.ts';
import { dueForReplenishment } from './replenishment.ts';
import { shapeByStage } from './stage-shaping.ts';
import type { RecommendationLog } from './recommendation-log.ts';
import { DEFAULT_MODEL, FALLBACK_MODEL, MODELS } from './registry.ts';
import type { ModelInfo } from './model-store.ts';

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
}

/** How many of a person's newest events shape their recommendations. */
const HISTORY_LIMIT = 200;
/** Older events count less: half the weight after this many days. */
const HISTORY_HALF_LIFE_DAYS = 30;
/** How much the non-personal trend adds to a personal score (breaks ties, fills short lists). */
const TREND_BLEND = 0.05;
/** How much of its personal score an item the person already looked at keeps. */
const SEEN_DISCOUNT = 0.25;
/** Default diversity: no category takes more than half a page. */
const DEFAULT_CATEGORY_SHARE = 0.5;

/** What stood behind one recommended item: kept with the logged answer for `/why`. */
export interface ItemEvidence {
  id: string;
  score: number;
  personalScore: number;
  trendScore: number;
  basedOn?: { itemId: string; title: string | null; event: { type: string; at: string | null } };
  profileMatch?: { category: string; affinity: number };
}

export type Trainer = (ws: string) => Promise<ModelInfo[]>;

/** Candidates, scoring, filters, ranking and explanations for `GET /v1/recommendations`. */
export class RecommendService {
  private readonly training = new Map<string, Promise<unknown>>();
  private readonly memo = new WeakMap<StoredEvent[], WeakMap<RankingSettingsT, Map<string, Awaited<ReturnType<RecommendService['score']>>>>>();
  /** The event count at the last first-request training, so a workspace that gave no model is not retrained on every request. */
  private readonly triedAt = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly state: WorkspaceState,
    private readonly ingest: IngestService,
    private readonly consent: ConsentService,
    private readonly log: RecommendationLog,
    private readonly train: Trainer,
    private readonly clock: () => number = Date.now,
  ) {}

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

  async recommend(ws: string, q: RecommendationQueryT): Promise<Recommendation> {
    const name = q.model ?? DEFAULT_MODEL;
    if (!MODELS[name]) throw new AfinError('invalid_query', `model: unknown model "${name}" (known: ${Object.keys(MODELS).join(', ')})`, 'model');
    if (q.minPrice !== undefined && q.maxPrice !== undefined && q.minPrice > q.maxPrice) throw new AfinError('invalid_query', 'minPrice: must not exceed maxPrice', 'minPrice');
    const now = this.clock();
    const catalog = await this.state.catalog(ws);
    const hasPerson = Boolean(q.userId || q.anonymousId);
    const subject = hasPerson ? await this.ingest.subjectOf(ws, q) : null;
    const policy = subject !== null ? await this.consent.policy(ws, subject) : null;
    const mayPersonalize = policy?.personalization ?? false;
    const events = subject ? await this.store.eventsOf(ws, subject, HISTORY_LIMIT) : [];

    // Hard filters apply whatever the consent: they are what the page asked for.
    const seen = new Set<string>();
    const bought = new Set<string>();
    for (const e of events) {
      if (!e.itemId) continue;
      seen.add(e.itemId);
      if (e.type === 'purchase') bought.add(e.itemId);
      if (e.type === 'return') bought.delete(e.itemId);
    }
    const settings = await this.state.ranking(ws);
    const profile = subject && mayPersonalize ? ((await this.store.getProfile(ws, subject)) as Profile | null) : null;
    const stage = funnelStage(profile, now);
    // What the person buys again and again, once it is about time: allowed back despite "already bought".
    const due = mayPersonalize && !q.includePurchased ? dueForReplenishment(events, now) : new Set<string>();
    const excluded = new Set(q.exclude ?? []);
    if (q.itemId && q.context === 'item') excluded.add(q.itemId);
    const keep = (i: number): boolean => {
      if (!catalog.available[i]) return false;
      const it = catalog.items[i];
      if (excluded.has(it.id)) return false;
      if (q.excludeSeen && seen.has(it.id)) return false;
      if (!q.includePurchased && bought.has(it.id) && !due.has(it.id)) return false;
      if (q.category && !catalog.inCategory(i, q.category)) return false;
      const p = catalog.price[i];
      if (q.minPrice !== undefined && !(p >= q.minPrice)) return false;
      if (q.maxPrice !== undefined && !(p <= q.maxPrice)) return false;
      return true;
    };

    const fallback = await this.model(ws, FALLBACK_MODEL);
    const personal = mayPersonalize && MODELS[name].personal ? await this.model(ws, name) : null;
    // The same person with the same history, models and settings gets the same scores: computed once
    // per history (the store's cached event list is one object until that person's next event).
    const memoKey = [name, q.context, q.itemId ?? '', stage, mayPersonalize, catalog.version, fallback?.info.trainedAt ?? 0, personal?.info.trainedAt ?? 0].join('|');
    let scored = this.memo.get(events)?.get(settings)?.get(memoKey);
    if (!scored) {
      scored = await this.score(ws, name, q, events, now, catalog, settings, fallback, personal, stage, seen, bought, mayPersonalize);
      let bySettings = this.memo.get(events);
      if (!bySettings) this.memo.set(events, (bySettings = new WeakMap()));
      let byKey = bySettings.get(settings);
      if (!byKey) bySettings.set(settings, (byKey = new Map()));
      if (byKey.size >= 16) byKey.clear();
      byKey.set(memoKey, scored);
    }
    const { history, trend, because, personalHits } = scored;
    const scores = scored.scores.slice(); // shaped and ruled below, per request

    shapeByStage(scores, trend, stage, profile, seen, bought, due, catalog);
    const ruled = scoreRules(catalog.items, scores, settings.rules ?? [], q.context);
    const allowed = (i: number) => keep(i) && ruled.keep(i);
    // Scoring, then the page: diversity across categories, then pinned items at their places.
    const candidates = Array.from(topK(scores, Math.min(catalog.size, q.n * 5), allowed));
    const leaf = (i: number) => catalog.items[i].categories?.at(-1)?.toLowerCase();
    const varied = diversify(candidates, leaf, q.n, settings.maxCategoryShare ?? DEFAULT_CATEGORY_SHARE);
    const { list: top, pinned, applied: pins } = pin(varied, settings.rules ?? [], q.context, (id) => catalog.index.get(id), allowed, q.n);
    const filterNote = filterReason(q, catalog.items[top[0]]?.currency);
    const evidence: ItemEvidence[] = [];
    const items: RecommendedItem[] = top.map((i) => {
      const it = catalog.items[i];
      const reasons: string[] = [];
      const ev: ItemEvidence = { id: it.id, score: scores[i], trendScore: trend[i] || 0, personalScore: Math.max(0, (scores[i] || 0) - (trend[i] || 0)) };
      const h = because[i];
      if (h >= 0) {
        const src = history[h];
        const source = catalog.get(src.itemId);
        reasons.push(q.context === 'item' && src.event === null ? similarReason(source, src.itemId) : becauseReason(src.event?.type ?? 'view', source, src.itemId));
        ev.basedOn = { itemId: src.itemId, title: source?.title ?? null, event: src.event ? { type: src.event.type, at: new Date(src.event.timestamp).toISOString() } : { type: 'in_view', at: null } };
      }
      const liked = profile ? (it.categories ?? []).find((c) => (profile.categories[c] ?? 0) > 0) : undefined;
      if (liked) {
        reasons.push(`Matches your interest in ${liked}`);
        ev.profileMatch = { category: liked, affinity: Math.round(profile!.categories[liked] * 1000) / 1000 };
      }
      if (due.has(it.id)) reasons.unshift('Time to restock? You buy this regularly');
      if (pinned.has(i)) reasons.push('Featured');
      if (reasons.length === 0) reasons.push(fallback ? (it.categories?.[0] ? `Trending in ${it.categories[0]}` : 'Trending now') : 'New in the catalogue');
      if (filterNote) reasons.push(filterNote);
      evidence.push(ev);
      const out: RecommendedItem = { id: it.id, score: Math.round(scores[i] * 1e6) / 1e6, reasons, title: it.title };
      if (it.price !== undefined) out.price = it.price;
      if (it.currency !== undefined) out.currency = it.currency;
      return out;
    });

    const personalized = personalHits > 0 && top.some((i) => because[i] >= 0);
    const result: Recommendation = {
      recommendationId: `rec_${randomBytes(12).toString('base64url')}`,
      personalized,
      model: personalized ? name : fallback ? (MODELS[name].personal ? FALLBACK_MODEL : name) : 'catalog',
      items,
    };
    const rules: string[] = ['only available items', ...ruled.applied.map((r) => `rule: ${r}`)];
    for (const p of pins) rules.push(`rule: ${p}`);
    rules.push(`funnel stage: ${stage}`);
    if (!q.includePurchased && bought.size) rules.push(`left out ${bought.size} item(s) already bought`);
    if (q.excludeSeen) rules.push(`left out ${seen.size} item(s) already seen`);
    if (excluded.size) rules.push(`left out by request: ${[...excluded].join(', ')}`);
    if (q.category) rules.push(`category: ${q.category}`);
    if (q.minPrice !== undefined) rules.push(`price ≥ ${q.minPrice}`);
    if (q.maxPrice !== undefined) rules.push(`price ≤ ${q.maxPrice}`);
    if (subject && !mayPersonalize) rules.push('personalization is off for this person (consent): non-personalised answer');
    // An erased person's request is answered but leaves no trace naming them (suppression).
    if (!policy?.erased) this.log.add(ws, {
      collection: 'recommendation', id: result.recommendationId, subject: q.userId ?? subject, createdAt: now,
      body: {
        model: result.model, personalized, context: q.context, query: { ...q }, historyUsed: history.length, rules,
        items: items.map((it, k) => ({ id: it.id, score: it.score, reasons: it.reasons, evidence: evidence[k] })),
      },
    });
    return result;
  }

  /**
   * The person's ranking of the whole catalogue, for other slices that filter on their own (the chat):
   * a score per item id, the history entry behind it, and what they already bought.
   */
  async rankFor(ws: string, userId: string, personalize: boolean) {
    const now = this.clock();
    const catalog = await this.state.catalog(ws);
    const events = personalize ? await this.store.eventsOf(ws, userId, HISTORY_LIMIT) : [];
    const fallback = await this.model(ws, FALLBACK_MODEL);
    const personal = personalize ? await this.model(ws, DEFAULT_MODEL) : null;
    const q = { n: 1, context: 'chat' } as RecommendationQueryT;
    const history = personal ? this.history(personal, events, q, now, catalog, await this.state.ranking(ws)) : [];
    const scores = new Float64Array(catalog.size);
    const because = new Int32Array(catalog.size).fill(-1);
    if (fallback) this.addScores(scores, fallback, fallback.recommender.score([], now).scores, TREND_BLEND);
    if (personal && history.length > 0) {
      const r = personal.recommender.score(history.map((h) => h.entry), now);
      this.addScores(scores, personal, r.scores, 1, r.because, because);
    }
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
    const b = doc.body as Record<string, any>;
    return {
      recommendationId,
      userId: doc.subject,
      createdAt: new Date(doc.createdAt).toISOString(),
      model: b.model,
      personalized: b.personalized,
      context: b.context,
      historyUsed: b.historyUsed ?? 0,
      rules: b.rules ?? [],
      items: b.items,
    };
  }

  /** Scores every item for a person before stage shaping and rules (memoised by `recommend`). */
  private async score(
    ws: string, name: string, q: RecommendationQueryT, events: StoredEvent[], now: number, catalog: Catalog, settings: RankingSettingsT,
    fallback: ServingModel | null, personal: ServingModel | null, stage: FunnelStage, seen: Set<string>, bought: Set<string>, mayPersonalize: boolean,
  ) {
    const history = personal ? this.history(personal, events, q, now, catalog, settings) : [];

    const scores = new Float64Array(catalog.size).fill(Number.NaN);
    const because = new Int32Array(catalog.size).fill(-1);
    let personalHits = 0;
    if (fallback) this.addScores(scores, fallback, fallback.recommender.score([], now).scores, TREND_BLEND);
    else catalog.items.forEach((it, i) => (scores[i] = it.updatedAt / 1e15)); // no events at all: newest first
    const trend = Float64Array.from(scores, (v) => (Number.isNaN(v) ? 0 : v));
    // The page's context picks the sources: on an item page or in the cart, what is in view drives an
    // item-to-item source ("goes with this"); the person's whole history still counts, at half weight.
    // Someone with a full cart gets complements of it on the home page too.
    const cartAnchors = q.context === 'cart' || (q.context === 'home' && stage === 'considering');
    const anchors = history.map((h, k) => (h.event === null || (cartAnchors && h.event.type === 'add_to_cart' && !bought.has(h.itemId)) ? k : -1)).filter((k) => k >= 0);
    const itemToItem = anchors.length ? await this.model(ws, 'cooccurrence') : null;
    if (personal && history.length > 0) {
      const r = personal.recommender.score(history.map((h) => h.entry), now);
      personalHits = this.addScores(scores, personal, r.scores, itemToItem ? 0.5 : 1, r.because, because);
    } else if (!MODELS[name].personal && mayPersonalize) {
      const m = await this.model(ws, name);
      if (m) this.addScores(scores, m, m.recommender.score([], now).scores, 1);
    }
    if (itemToItem) {
      const entries = anchors.map((k) => ({ ...history[k].entry, item: itemToItem.modelIndex.get(history[k].itemId) ?? -1 }));
      const r = itemToItem.recommender.score(entries, now);
      const viaAnchor = r.because ? Int32Array.from(r.because, (a) => (a >= 0 ? anchors[a] : -1)) : undefined;
      personalHits += this.addScores(scores, itemToItem, r.scores, 1, viaAnchor, because, true);
    }
    // Seen but not bought: still allowed, but after what the person has not seen yet.
    for (const id of seen) {
      const i = catalog.index.get(id);
      if (i !== undefined && !Number.isNaN(scores[i])) scores[i] = trend[i] + (scores[i] - trend[i]) * SEEN_DISCOUNT;
    }

    return { history, scores, trend, because, personalHits };
  }

  /** The person's history as model input: recent, decayed, and shaped by the page's context. */
  private history(m: ServingModel, events: StoredEvent[], q: RecommendationQueryT, now: number, catalog: Catalog, settings: RankingSettingsT) {
    const out: Array<{ entry: HistoryEntry; event: StoredEvent | null; itemId: string }> = [];
    const weights = eventWeightsOf(settings);
    const halfLife = settings.historyHalfLifeDays ?? HISTORY_HALF_LIFE_DAYS;
    let strongest = 1;
    for (const e of events) {
      if (!e.itemId) continue;
      const item = m.modelIndex.get(e.itemId);
      if (item === undefined) continue;
      const w = eventWeight(e.type, e.value, weights) * decay(now - e.timestamp, halfLife);
      if (w === 0) continue;
      strongest = Math.max(strongest, w);
      out.push({ entry: { item, weight: w, time: e.timestamp }, event: e, itemId: e.itemId });
    }
    // On an item page, the item in view matters most; in the cart, what is in it.
    if (q.context === 'item' && q.itemId) {
      const item = m.modelIndex.get(q.itemId);
      if (item !== undefined && catalog.get(q.itemId)) out.push({ entry: { item, weight: 3 * strongest, time: now }, event: null, itemId: q.itemId });
    }
    if (q.context === 'cart') {
      for (const h of out) if (h.event?.type === 'add_to_cart') h.entry.weight *= 3;
    }
    return out;
  }

  /**
   * Adds `scale ×` normalised model scores onto catalogue scores; returns how many items got a positive
   * score. With `strongerWins`, an item's explanation moves to this source only where it adds more.
   */
  private addScores(target: Float64Array, m: ServingModel, s: Float32Array, scale: number, because?: Int32Array, becauseOut?: Int32Array, strongerWins = false): number {
    let max = 0;
    for (let k = 0; k < s.length; k++) if (s[k] > max) max = s[k];
    let hits = 0;
    for (let k = 0; k < s.length; k++) {
      const c = m.toCatalog[k];
      if (c < 0) continue;
      const v = max > 0 && s[k] > 0 ? (scale * s[k]) / max : 0;
      const before = Number.isNaN(target[c]) ? 0 : target[c];
      target[c] = before + v;
      if (v > 0) {
        hits++;
        if (because && becauseOut && because[k] >= 0 && (!strongerWins || becauseOut[c] < 0 || v > before)) becauseOut[c] = because[k];
      }
    }
    return hits;
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
        out.push({ id: it.id, score: Math.round(scores[k] * 1e6) / 1e6, reasons: [similarReason(self, itemId)], title: it.title, ...(it.price !== undefined ? { price: it.price } : {}) });
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
      const fill = topK(heat.map((h, i) => (shared(i).length > 0 ? h + 1e-9 : Number.NaN)), n - out.length, (i) => catalog.available[i] === 1 && !used.has(catalog.items[i].id));
      for (const c of fill) {
        const it = catalog.items[c];
        out.push({ id: it.id, score: 0, reasons: [`Also in ${shared(c)[0]}`], title: it.title, ...(it.price !== undefined ? { price: it.price } : {}) });
      }
    }
    return { items: out };
  }
}
