import { randomBytes } from 'node:crypto';
import { ExposureLog } from '../experiment/exposure-log.ts';
import type { Profile } from '../profile/profile.ts';
import { rng } from '../stats/random.ts';
import type { Doc, Store } from '../store/store.ts';
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
const MODEL_COLLECTION = 'decision-model';
export const DEFAULT_MAX_DECISIONS_PER_WORKSPACE = 100_000;

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
  /** Kept in the point's own document: every decision of the point created up to here has been learnt. */
  learnedUntil: number;
}

/**
 * Where a decision's model lives: the point's own document, or for an item's variants one document
 * per item (`point/item`; a point name holds no '/', so the two never collide).
 */
export const modelKeyOf = (point: string, item?: string): string => (item === undefined ? point : `${point}/${item}`);

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
  };
}

function modelFromJson(body: Record<string, unknown>): ModelBody {
  const arms = (body.arms ?? {}) as Record<string, Parameters<typeof armFromJson>[0]>;
  const hybrid = body.hybrid ? hybridFromJson(body.hybrid as Parameters<typeof hybridFromJson>[0]) : undefined;
  return { learnedUntil: Number(body.learnedUntil ?? 0), arms: Object.fromEntries(Object.entries(arms).map(([k, a]) => [k, armFromJson(a)])), hybrid };
}

export interface DecisionDeps {
  store: Store;
  clock: () => number;
  /** Who `userId` / `anonymousId` is (the ingest slice knows). */
  subjectOf: (ws: string, ids: { userId?: string | null; anonymousId?: string | null }) => Promise<string>;
  /** Whether the person allows personalization: without it the context holds no profile feature. */
  mayPersonalize: (ws: string, subject: string) => Promise<boolean>;
  isErased?: (ws: string, subject: string) => Promise<boolean>;
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
  private readonly sinceTrim = new Map<string, number>();
  private readonly models = new Map<string, { model: ModelBody; checkedAt: number }>();
  /** When each point last learnt, and the pass running now (so concurrent requests share one). */
  private readonly learntAt = new Map<string, number>();
  private readonly learning = new Map<string, Promise<void>>();
  private readonly learnEveryMs: number;

  constructor(
    private readonly deps: DecisionDeps,
    opts: { maxDecisionsPerWorkspace?: number; logIntervalMs?: number; learnEveryMs?: number } = {},
  ) {
    this.maxPerWorkspace = Math.max(1, opts.maxDecisionsPerWorkspace ?? DEFAULT_MAX_DECISIONS_PER_WORKSPACE);
    this.log = new ExposureLog(deps.store, { intervalMs: opts.logIntervalMs, isErased: deps.isErased });
    this.learnEveryMs = opts.learnEveryMs ?? 60_000;
  }

  async pointOf(ws: string, point: string): Promise<DecisionPoint> {
    const doc = await this.deps.store.getDoc(ws, POINT_COLLECTION, point);
    return doc ? { ...defaultDecisionPoint(point), ...(doc.body as Partial<DecisionPoint>), point } : defaultDecisionPoint(point);
  }

  async savePoint(ws: string, point: string, body: DecisionPointBody): Promise<DecisionPoint> {
    const merged: DecisionPoint = { ...(await this.pointOf(ws, point)), ...body, point };
    await this.deps.store.putDocs(ws, [{ collection: POINT_COLLECTION, id: point, subject: null, body: { ...merged }, createdAt: this.deps.clock() }]);
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
    const model = await this.modelOf(ws, point.point, modelKeyOf(point.point, extra.item), audience.now);
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
      const p = hybridProbabilities(
        model.hybrid ?? newHybrid(own.length, options[0].x.length),
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
    this.record(ws, { collection: DECISION_COLLECTION, id: decisionId, subject: audience.subject, body: { ...body }, createdAt: audience.now });
    return { decisionId, option: body.chosen, propensity };
  }

  /** Logs a decision; every tenth of the bound, the oldest beyond it go. */
  private record(ws: string, doc: Doc): void {
    this.log.add(ws, doc);
    const n = (this.sinceTrim.get(ws) ?? 0) + 1;
    if (n < Math.min(1000, Math.ceil(this.maxPerWorkspace / 10))) {
      this.sinceTrim.set(ws, n);
      return;
    }
    this.sinceTrim.set(ws, 0);
    void this.log
      .flush()
      .then(() => this.deps.store.trimDocs(ws, DECISION_COLLECTION, this.maxPerWorkspace))
      .catch(() => undefined);
  }

  /** The model under `key`, after the point has learnt what has settled (at most once per `learnEveryMs`). */
  private async modelOf(ws: string, point: string, key: string, now: number): Promise<ModelBody> {
    const pk = `${ws}\u0000${point}`;
    if (now - (this.learntAt.get(pk) ?? -Infinity) >= this.learnEveryMs) {
      let pass = this.learning.get(pk);
      if (!pass) {
        pass = this.learn(ws, point).finally(() => this.learning.delete(pk));
        this.learning.set(pk, pass);
      }
      await pass;
      this.learntAt.set(pk, now);
    }
    const mk = `${ws}\u0000${key}`;
    const cached = this.models.get(mk);
    if (cached && now - cached.checkedAt < this.learnEveryMs) return cached.model;
    const doc = await this.deps.store.getDoc(ws, MODEL_COLLECTION, key);
    const model = doc ? modelFromJson(doc.body) : { arms: {}, learnedUntil: 0 };
    this.models.set(mk, { model, checkedAt: now });
    return model;
  }

  /**
   * Learns every decision of the point whose attribution window has closed since the last pass: its
   * reward is the best of its events' rewards within the window, 0 if none. An event rewards a
   * decision by citing its `decisionId` in `properties`, or, for an item's variant, by naming the
   * item and the `variant` shown: it then rewards the person's latest such decision before it.
   */
  async learn(ws: string, pointName: string): Promise<void> {
    const { store, clock } = this.deps;
    const point = await this.pointOf(ws, pointName);
    const doc = await store.getDoc(ws, MODEL_COLLECTION, pointName);
    const cursor: ModelBody = doc ? modelFromJson(doc.body) : { arms: {}, learnedUntil: 0 };
    const windowMs = point.attributionWindowHours * 3_600_000;
    const settledBefore = clock() - windowMs;
    if (settledBefore <= cursor.learnedUntil) return;
    await this.log.flush();
    const settled = new Map<string, { createdAt: number; body: DecisionBody }>();
    const byVariant = new Map<string, string[]>();
    for (const d of await store.listDocs(ws, DECISION_COLLECTION)) {
      const b = d.body as unknown as DecisionBody;
      if (b.point !== pointName || d.createdAt <= cursor.learnedUntil || d.createdAt > settledBefore) continue;
      settled.set(d.id, { createdAt: d.createdAt, body: b });
      if (b.item !== undefined && b.person) {
        const k = `${b.person}\u0000${b.item}\u0000${b.chosen}`;
        byVariant.set(k, [...(byVariant.get(k) ?? []), d.id]);
      }
    }
    const reward = new Map<string, number>();
    if (settled.size > 0) {
      for (const ids of byVariant.values()) ids.sort((a, b) => settled.get(a)!.createdAt - settled.get(b)!.createdAt);
      for await (const page of store.scanEvents(ws, { since: cursor.learnedUntil })) {
        for (const e of page) {
          const r = point.rewards[e.type];
          if (r === undefined) continue;
          const cited = e.properties?.decisionId;
          let id: string | undefined;
          if (typeof cited === 'string') id = settled.has(cited) ? cited : undefined;
          else if (e.variant && e.itemId) {
            // The latest decision that showed this person this variant of this item before the event.
            const ids = byVariant.get(`${e.subject}\u0000${e.itemId}\u0000${e.variant}`) ?? [];
            for (const i of ids) if (settled.get(i)!.createdAt <= e.timestamp) id = i;
          }
          const d = id === undefined ? undefined : settled.get(id);
          if (!d || id === undefined || e.timestamp < d.createdAt || e.timestamp > d.createdAt + windowMs) continue;
          reward.set(id, Math.max(reward.get(id) ?? -Infinity, r));
        }
      }
    }
    const touched = new Map<string, ModelBody>([[pointName, cursor]]);
    for (const [id, { body }] of [...settled].sort((a, b) => a[1].createdAt - b[1].createdAt)) {
      const key = modelKeyOf(pointName, body.item);
      let model = touched.get(key);
      if (!model) {
        const d = await store.getDoc(ws, MODEL_COLLECTION, key);
        model = d ? modelFromJson(d.body) : { arms: {}, learnedUntil: 0 };
        touched.set(key, model);
      }
      learnDecision(model, body, reward.get(id) ?? 0);
    }
    cursor.learnedUntil = settledBefore;
    const at = clock();
    // The item models first, the cursor last: a pass cut short is redone rather than skipped.
    const docs = [...touched].map(([key, m]) => ({ collection: MODEL_COLLECTION, id: key, subject: null, body: modelToJson(m), createdAt: at }));
    await store.putDocs(ws, docs.reverse());
    for (const key of touched.keys()) this.models.delete(`${ws}\u0000${key}`);
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

/** One settled decision's reward, learnt by both linear models. */
function learnDecision(model: ModelBody, body: DecisionBody, r: number): void {
  const x = Float64Array.from(body.x);
  learnOption(model.arms, body.chosen, x, r);
  const own = crossFeatures(body.context);
  model.hybrid ??= newHybrid(own.length, x.length);
  if (model.hybrid.d === own.length && model.hybrid.k === x.length) hybridLearn(model.hybrid, { key: body.chosen, x: own, z: x }, r);
}
