import { randomBytes } from 'node:crypto';
import { ExposureLog } from '../experiment/exposure-log.ts';
import type { Profile } from '../profile/profile.ts';
import { rng } from '../stats/random.ts';
import type { Store } from '../store/store.ts';
import { ANON_PREFIX } from '../domain/schemas.ts';
import { contextVector, hashFeatures, OPTION_DIMS } from './context.ts';
import { ACTIVITY_EVENTS, activityByHour, HOURS, hourFeatures, isTimeZone, nextSendAt, SEND_TIME_POINT } from './send-time.ts';
import { crossFeatures } from './policies/features.ts';
import { choose, draw, learnOption, type Arms, type PolicySpec } from './policies/policies.ts';
import { hybridFromJson, hybridLearn, hybridProbabilities, hybridToJson, newHybrid, type HybridState } from './policies/hybrid.ts';
import { armFromJson, armToJson } from './policies/ridge.ts';
import { defaultDecisionPoint, type DecideBody, type DecisionPoint, type DecisionPointBody } from './schemas.ts';

/** Every decision, one document each: context, options, choice and propensity. Bounded per workspace. */
export const DECISION_COLLECTION = 'decision';
const POINT_COLLECTION = 'decision-point';
/** A point's model and its learning cursor, one document per point; an item's variants' model, one per item. */
const MODEL_COLLECTION = 'decision-model';
export const ITEM_MODEL_COLLECTION = 'decision-model-item';
export const DEFAULT_MAX_DECISIONS_PER_WORKSPACE = 100_000;
/** At most this many points keep a model per workspace by default (any key may name a new point). */
export const DEFAULT_MAX_POINTS_PER_WORKSPACE = 1_000;
const POINT_CACHE_MS = 5_000;

/** One logged decision. `x` is the chosen option's feature vector, what the policy learns the reward for. */
export interface DecisionBody {
  point: string;
  /** The person's subject ('' when an answer named nobody). */
  person: string;
  options: string[];
  chosen: string;
  propensity: number;
  policy: string;
  personalized: boolean;
  context: number[];
  x: number[];
  /** For an item's presentation variant: the item (its model is the item's own) and the answer it was shown in. */
  item?: string;
  recommendationId?: string;
}

/** Both models learn every decision, so a point can switch policy without starting over. */
interface ModelBody {
  arms: Arms;
  hybrid?: HybridState;
  /**
   * In a point's document: hybrid LinUCB's shared part (A₀, b₀; no arms) learnt from every item's
   * variants, so what a feature ("close-up") earned on one item carries to the next.
   */
  itemsShared?: HybridState;
  /** In an item's document: its hybrid arms were learnt against the point's `itemsShared` (older ones start over). */
  hybridShared?: boolean;
  /** Kept in the point's own document: every decision of the point created up to here has been learnt. */
  learnedUntil: number;
}

/**
 * Where a decision's model lives: the point's own document, or for an item's variants one document
 * per item (`point/item`; a point name holds no '/', so the two never collide).
 */
export const modelKeyOf = (point: string, item?: string): string => (item === undefined ? point : `${point}/${item}`);
const modelCollectionOf = (key: string) => (key.includes('/') ? ITEM_MODEL_COLLECTION : MODEL_COLLECTION);

/** Who is choosing and in what context, worked out once per request however many choices it makes. */
export interface Audience {
  subject: string | null;
  personalized: boolean;
  context: Float64Array;
  now: number;
}

/** One option as a caller offers it: named features (hashed), or a built-in point's own vector of OPTION_DIMS. */
export interface OfferedOption {
  id: string;
  features?: Record<string, number | boolean | string>;
  vector?: Float64Array;
}

export interface DecideAnswer {
  decisionId: string;
  option: string;
  propensity: number;
  personalized: boolean;
  /** send-time: the zone the hour is in and the next moment it comes. */
  timeZone?: string;
  sendAt?: string;
}

function modelToJson(m: ModelBody): Record<string, unknown> {
  return {
    learnedUntil: m.learnedUntil,
    arms: Object.fromEntries(Object.entries(m.arms).map(([k, a]) => [k, armToJson(a)])),
    ...(m.hybrid ? { hybrid: hybridToJson(m.hybrid) } : {}),
    ...(m.itemsShared ? { itemsShared: hybridToJson(m.itemsShared) } : {}),
    ...(m.hybridShared ? { hybridShared: true } : {}),
  };
}

function modelFromJson(body: Record<string, unknown>): ModelBody {
  const arms = (body.arms ?? {}) as Record<string, Parameters<typeof armFromJson>[0]>;
  const hybrid = body.hybrid ? hybridFromJson(body.hybrid as Parameters<typeof hybridFromJson>[0]) : undefined;
  const itemsShared = body.itemsShared ? hybridFromJson(body.itemsShared as Parameters<typeof hybridFromJson>[0]) : undefined;
  return {
    learnedUntil: Number(body.learnedUntil ?? 0),
    arms: Object.fromEntries(Object.entries(arms).map(([k, a]) => [k, armFromJson(a)])),
    hybrid,
    itemsShared,
    hybridShared: body.hybridShared === true,
  };
}

export interface DecisionDeps {
  store: Store;
  clock: () => number;
  /** Who `userId` / `anonymousId` is (the ingest slice knows). */
  subjectOf: (ws: string, ids: { userId?: string | null; anonymousId?: string | null }) => Promise<string>;
  /** Whether the person allows personalization: without it the context holds no profile feature. */
  mayPersonalize: (ws: string, subject: string) => Promise<boolean>;
  isErased?: (ws: string, subject: string) => Promise<boolean>;
  /** Whether an item is still in the catalogue: a deleted item's settled decisions are not learnt (its model went with it). */
  itemExists?: (ws: string, item: string) => Promise<boolean>;
}

/** The policy of a point (hybrid LinUCB keeps its own state and is chosen apart, see `decide`). */
export function policySpec(p: DecisionPoint): PolicySpec {
  switch (p.policy) {
    case 'uniform':
      return { kind: 'uniform' };
    case 'epsilon-greedy':
      return { kind: 'epsilon-greedy', epsilon: p.epsilon };
    case 'hybrid-linucb':
    case 'linucb':
      return { kind: 'linucb', alpha: p.alpha, floor: p.floor };
    case 'thompson':
      return { kind: 'thompson', v: p.v, floor: p.floor, samples: 64 };
  }
}

/** A decision id's own seed, so a decision's draws are reproducible from its id. */
function seedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Decision points: chooses among any options per person and context with the point's policy, logs
 * every choice with its propensity, and learns from events that cite a `decisionId` (or, for an
 * item's variants, the item and the `variant`) once the decision's attribution window has passed (a
 * decision nobody acted on learns reward 0).
 */
export class DecisionService {
  /** Buffered off the request path like experiment exposures (the same log class). */
  readonly log: ExposureLog;
  readonly maxPerWorkspace: number;
  readonly maxPoints: number;
  private readonly points = new Map<string, { at: number; point: DecisionPoint }>();
  private readonly models = new Map<string, { model: ModelBody; checkedAt: number }>();
  /** When each workspace last learnt, and the pass running now (so concurrent requests share one). */
  private readonly learntAt = new Map<string, number>();
  private readonly learning = new Map<string, Promise<void>>();
  private readonly learnEveryMs: number;

  constructor(
    private readonly deps: DecisionDeps,
    opts: { maxDecisionsPerWorkspace?: number; maxPointsPerWorkspace?: number; logIntervalMs?: number; learnEveryMs?: number } = {},
  ) {
    this.maxPerWorkspace = Math.max(1, opts.maxDecisionsPerWorkspace ?? DEFAULT_MAX_DECISIONS_PER_WORKSPACE);
    this.maxPoints = Math.max(1, opts.maxPointsPerWorkspace ?? DEFAULT_MAX_POINTS_PER_WORKSPACE);
    this.log = new ExposureLog(deps.store, {
      collection: DECISION_COLLECTION,
      maxPerWorkspace: this.maxPerWorkspace,
      intervalMs: opts.logIntervalMs,
      isErased: deps.isErased,
    });
    this.learnEveryMs = opts.learnEveryMs ?? 60_000;
  }

  /** A point's settings (cached a few seconds: read on every decision; another node's change shows within that). */
  async pointOf(ws: string, point: string): Promise<DecisionPoint> {
    const key = `${ws}\u0000${point}`;
    const now = this.deps.clock();
    const hit = this.points.get(key);
    if (hit && now - hit.at < POINT_CACHE_MS) return hit.point;
    const doc = await this.deps.store.getDoc(ws, POINT_COLLECTION, point);
    const value = doc ? { ...defaultDecisionPoint(point), ...(doc.body as Partial<DecisionPoint>), point } : defaultDecisionPoint(point);
    if (this.points.size > 10_000) this.points.clear();
    this.points.set(key, { at: now, point: value });
    return value;
  }

  async savePoint(ws: string, point: string, body: DecisionPointBody): Promise<DecisionPoint> {
    this.points.delete(`${ws}\u0000${point}`);
    const merged: DecisionPoint = { ...(await this.pointOf(ws, point)), ...body, point };
    await this.deps.store.putDocs(ws, [{ collection: POINT_COLLECTION, id: point, subject: null, body: { ...merged }, createdAt: this.deps.clock() }]);
    this.points.delete(`${ws}\u0000${point}`);
    return merged;
  }

  /**
   * The person and the context vector (time, the caller's context, and the profile only with
   * consent). Without any id the choice is made for nobody in particular: no profile, logged with no subject.
   */
  async audience(
    ws: string,
    ids: { userId?: string | null; anonymousId?: string | null },
    context?: Record<string, number | boolean | string>,
  ): Promise<Audience> {
    const now = this.deps.clock();
    const subject = ids.userId || ids.anonymousId ? await this.deps.subjectOf(ws, ids) : null;
    const personalized = subject !== null && (await this.deps.mayPersonalize(ws, subject));
    const profile = personalized ? ((await this.deps.store.getProfile(ws, subject)) as Profile | null) : null;
    return { subject, personalized: profile !== null, context: contextVector(now, context, profile), now };
  }

  async decide(ws: string, q: DecideBody): Promise<DecideAnswer> {
    const audience = await this.audience(ws, q, q.context);
    const point = await this.pointOf(ws, q.point);
    if (q.point === SEND_TIME_POINT) return this.sendTime(ws, q, audience, point);
    const r = await this.choose(ws, audience, point, q.options ?? []);
    return { ...r, personalized: audience.personalized };
  }

  /**
   * The hour to send a message, in the person's time zone: each hour offered with how active the person
   * has been then (their latest events, only with personalization consent), answered with when that
   * hour next comes.
   */
  private async sendTime(ws: string, q: DecideBody, audience: Audience, point: DecisionPoint): Promise<DecideAnswer> {
    const { store } = this.deps;
    const subject = audience.subject;
    const trait = subject && !subject.startsWith(ANON_PREFIX) ? (await store.getUser(ws, subject))?.traits.timeZone : undefined;
    const timeZone = q.timeZone ?? (typeof trait === 'string' && isTimeZone(trait) ? trait : 'UTC');
    const history = audience.personalized && subject ? await store.eventsOf(ws, subject, ACTIVITY_EVENTS) : [];
    const activity = activityByHour(
      history.map((e) => e.timestamp),
      timeZone,
    );
    const hours = q.options?.map((o) => o.id) ?? HOURS;
    const offered = hours.map((h) => ({ id: h, vector: hourFeatures(activity, Number(h)) }));
    const r = await this.choose(ws, audience, point, offered);
    return { ...r, personalized: audience.personalized, timeZone, sendAt: new Date(nextSendAt(audience.now, Number(r.option), timeZone)).toISOString() };
  }

  /**
   * Chooses one of `options` for the audience with the point's policy and the model of the point (or
   * of `extra.item`), and logs the choice.
   */
  async choose(
    ws: string,
    audience: Audience,
    point: DecisionPoint,
    offered: readonly OfferedOption[],
    extra: { item?: string; recommendationId?: string } = {},
  ): Promise<{ decisionId: string; option: string; propensity: number }> {
    const model = await this.modelOf(ws, modelKeyOf(point.point, extra.item), audience.now);
    const { context } = audience;
    // Every option gets the option slots, features or not, so an option's vector (and its learnt arm)
    // keeps one length whether or not a caller sends its features.
    const options = offered.map((o) => ({ key: o.id, x: crossFeatures(context, o.vector ?? hashFeatures(o.features, OPTION_DIMS)) }));
    const decisionId = `dec_${randomBytes(12).toString('base64url')}`;
    const rand = rng(seedOf(decisionId));
    let index: number, propensity: number;
    if (point.policy === 'hybrid-linucb') {
      // Per option, x is the context alone; the shared z is the context crossed with the option's features.
      const own = crossFeatures(context);
      const k = options[0].x.length;
      const state =
        extra.item === undefined
          ? (model.hybrid ?? newHybrid(own.length, k))
          : itemHybrid((await this.modelOf(ws, point.point, audience.now)).itemsShared, model.hybridShared ? model.hybrid : undefined, own.length, k);
      const p = hybridProbabilities(
        state,
        options.map((o) => ({ key: o.key, x: own, z: o.x })),
        point.alpha,
        point.floor,
      );
      index = draw(p, rand);
      propensity = p[index];
    } else ({ index, propensity } = choose(policySpec(point), model.arms, options, rand));
    const body: DecisionBody = {
      point: point.point,
      person: audience.subject ?? '',
      options: offered.map((o) => o.id),
      chosen: options[index].key,
      propensity,
      policy: point.policy,
      personalized: audience.personalized,
      context: Array.from(context),
      x: Array.from(options[index].x),
      ...(extra.item === undefined ? {} : { item: extra.item }),
      ...(extra.recommendationId === undefined ? {} : { recommendationId: extra.recommendationId }),
    };
    this.log.add(ws, { collection: DECISION_COLLECTION, id: decisionId, subject: audience.subject, body: { ...body }, createdAt: audience.now });
    return { decisionId, option: body.chosen, propensity };
  }

  /** The model under `key`, after the workspace has learnt what has settled (at most once per `learnEveryMs`). */
  private async modelOf(ws: string, key: string, now: number): Promise<ModelBody> {
    if (now - (this.learntAt.get(ws) ?? -Infinity) >= this.learnEveryMs) {
      let pass = this.learning.get(ws);
      if (!pass) {
        pass = this.learn(ws).finally(() => this.learning.delete(ws));
        this.learning.set(ws, pass);
      }
      await pass;
      this.learntAt.set(ws, now);
    }
    const mk = `${ws}\u0000${key}`;
    const cached = this.models.get(mk);
    if (cached && now - cached.checkedAt < this.learnEveryMs) return cached.model;
    const doc = await this.deps.store.getDoc(ws, modelCollectionOf(key), key);
    const model = doc ? modelFromJson(doc.body) : { arms: {}, learnedUntil: 0 };
    // An item's model is tens of KB (a d² inverse per variant): a few thousand at most stay in memory.
    if (this.models.size > 2_000) this.models.clear();
    this.models.set(mk, { model, checkedAt: now });
    return model;
  }

  /**
   * Learns every decision whose attribution window has closed since its point's last pass: its reward
   * is the best of its events' rewards within the window, 0 if none. An event rewards a decision by
   * citing its `decisionId` in `properties`, or, for an item's variant, by naming the item and the
   * `variant` shown: it then rewards the person's latest such decision before it.
   *
   * One pass covers every point of the workspace, so the log and the events are read once however
   * many points there are (a caller inventing point names costs nothing extra). Each point's cursor
   * (`learnedUntil`, in its model document) survives restarts: nothing is learnt twice.
   */
  async learn(ws: string): Promise<void> {
    const { store, clock } = this.deps;
    await this.log.flush();
    const now = clock();
    const byPoint = new Map<string, Array<{ id: string; createdAt: number; body: DecisionBody }>>();
    for (const d of await store.listDocs(ws, DECISION_COLLECTION)) {
      const body = d.body as unknown as DecisionBody;
      const list = byPoint.get(body.point);
      if (list) list.push({ id: d.id, createdAt: d.createdAt, body });
      else byPoint.set(body.point, [{ id: d.id, createdAt: d.createdAt, body }]);
    }
    interface Settled {
      createdAt: number;
      body: DecisionBody;
      point: DecisionPoint;
    }
    const settled = new Map<string, Settled>();
    const cursors = new Map<string, { cursor: ModelBody; point: DecisionPoint; until: number }>();
    for (const [name, decisions] of byPoint) {
      const newest = decisions.reduce((m, d) => Math.max(m, d.createdAt), -Infinity);
      const point = await this.pointOf(ws, name);
      const until = now - point.attributionWindowHours * 3_600_000;
      // Nothing of this point has settled yet: its cursor need not even be read.
      if (decisions.every((d) => d.createdAt > until)) continue;
      const doc = await store.getDoc(ws, MODEL_COLLECTION, name);
      const cursor: ModelBody = doc ? modelFromJson(doc.body) : { arms: {}, learnedUntil: 0 };
      if (newest <= cursor.learnedUntil) continue;
      let any = false;
      for (const d of decisions) {
        if (d.createdAt <= cursor.learnedUntil || d.createdAt > until) continue;
        settled.set(d.id, { createdAt: d.createdAt, body: d.body, point });
        any = true;
      }
      if (any) cursors.set(name, { cursor, point, until });
    }
    if (settled.size === 0) return;

    // Who was shown which variant of which item, oldest first, to find the decision an event cites.
    const byVariant = new Map<string, string[]>();
    let since = Infinity;
    for (const [id, d] of [...settled].sort((a, b) => a[1].createdAt - b[1].createdAt)) {
      since = Math.min(since, d.createdAt);
      if (d.body.item === undefined || !d.body.person) continue;
      const k = `${d.body.person}\u0000${d.body.item}\u0000${d.body.chosen}`;
      const ids = byVariant.get(k);
      if (ids) ids.push(id);
      else byVariant.set(k, [id]);
    }
    const reward = new Map<string, number>();
    for await (const page of store.scanEvents(ws, { since })) {
      for (const e of page) {
        const cited = e.properties?.decisionId;
        let id: string | undefined;
        if (typeof cited === 'string') id = cited;
        else if (e.variant && e.itemId) {
          // The latest decision that showed this person this variant of this item before the event.
          for (const i of byVariant.get(`${e.subject}\u0000${e.itemId}\u0000${e.variant}`) ?? []) if (settled.get(i)!.createdAt <= e.timestamp) id = i;
        }
        const d = id === undefined ? undefined : settled.get(id);
        const r = d?.point.rewards[e.type];
        if (!d || id === undefined || r === undefined) continue;
        if (e.timestamp < d.createdAt || e.timestamp > d.createdAt + d.point.attributionWindowHours * 3_600_000) continue;
        reward.set(id, Math.max(reward.get(id) ?? -Infinity, r));
      }
    }

    const touched = new Map<string, ModelBody>();
    for (const [name, c] of cursors) touched.set(name, c.cursor);
    const exists = new Map<string, boolean>();
    for (const [id, d] of [...settled].sort((a, b) => a[1].createdAt - b[1].createdAt)) {
      const item = d.body.item;
      if (item !== undefined && this.deps.itemExists) {
        let here = exists.get(item);
        if (here === undefined) exists.set(item, (here = await this.deps.itemExists(ws, item)));
        if (!here) continue;
      }
      const key = modelKeyOf(d.body.point, d.body.item);
      let model = touched.get(key);
      if (!model) {
        const doc = await store.getDoc(ws, modelCollectionOf(key), key);
        model = doc ? modelFromJson(doc.body) : { arms: {}, learnedUntil: 0 };
        touched.set(key, model);
      }
      learnDecision(model, d.body, reward.get(id) ?? 0, d.body.item === undefined ? undefined : cursors.get(d.body.point)?.cursor);
    }
    for (const [, c] of cursors) c.cursor.learnedUntil = c.until;
    const at = clock();
    // Item models first, the points' cursors last: a pass cut short is redone rather than skipped.
    const docs = [...touched]
      .sort((a, b) => Number(cursors.has(a[0])) - Number(cursors.has(b[0])))
      .map(([key, m]) => ({ collection: modelCollectionOf(key), id: key, subject: null, body: modelToJson(m), createdAt: at }));
    await store.putDocs(ws, docs);
    // Bounded: the points learnt least recently go first (items' models are bounded by the catalogue).
    await store.trimDocs(ws, MODEL_COLLECTION, this.maxPoints);
    for (const key of touched.keys()) this.models.delete(`${ws}\u0000${key}`);
  }

  /** Deletes an item's variants' models under these points (the item left the catalogue). */
  async forgetItem(ws: string, item: string, points: readonly string[]): Promise<void> {
    for (const point of new Set(points)) {
      const key = modelKeyOf(point, item);
      await this.deps.store.deleteDoc(ws, ITEM_MODEL_COLLECTION, key);
      this.models.delete(`${ws}\u0000${key}`);
    }
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

/**
 * An item's hybrid model: its variants' own arms over the shared part its point learns from every item
 * (Li et al.'s hybrid LinUCB with items' variants as the arms). Read-only unless the caller keeps both.
 */
function itemHybrid(shared: HybridState | undefined, own: HybridState | undefined, d: number, k: number): HybridState {
  const s = shared && shared.d === d && shared.k === k ? shared : newHybrid(d, k);
  return { d, k, A0: s.A0, b0: s.b0, arms: own && own.d === d && own.k === k ? own.arms : {} };
}

/** One settled decision's reward, learnt by both linear models (an item's hybrid one with its point's shared part). */
function learnDecision(model: ModelBody, body: DecisionBody, r: number, pointModel?: ModelBody): void {
  const x = Float64Array.from(body.x);
  learnOption(model.arms, body.chosen, x, r);
  const own = crossFeatures(body.context);
  if (pointModel) {
    const d = own.length,
      k = x.length;
    if (!pointModel.itemsShared || pointModel.itemsShared.d !== d || pointModel.itemsShared.k !== k) pointModel.itemsShared = newHybrid(d, k);
    if (!model.hybridShared || !model.hybrid || model.hybrid.d !== d || model.hybrid.k !== k) model.hybrid = newHybrid(d, k);
    model.hybridShared = true;
    hybridLearn(itemHybrid(pointModel.itemsShared, model.hybrid, d, k), { key: body.chosen, x: own, z: x }, r);
    return;
  }
  model.hybrid ??= newHybrid(own.length, x.length);
  if (model.hybrid.d === own.length && model.hybrid.k === x.length) hybridLearn(model.hybrid, { key: body.chosen, x: own, z: x }, r);
}
