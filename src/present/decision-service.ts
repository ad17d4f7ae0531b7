import { randomBytes } from 'node:crypto';
import { ExposureLog } from '../experiment/exposure-log.ts';
import type { Profile } from '../profile/profile.ts';
import { rng } from '../stats/random.ts';
import type { Doc, Store } from '../store/store.ts';
import { contextVector, hashFeatures, OPTION_DIMS } from './context.ts';
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
  person: string;
  options: string[];
  chosen: string;
  propensity: number;
  policy: string;
  personalized: boolean;
  context: number[];
  x: number[];
}

/** Both models learn every decision, so a point can switch policy without starting over. */
interface ModelBody {
  arms: Arms;
  hybrid?: HybridState;
  learnedUntil: number;
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
 * every choice with its propensity, and learns from events that cite a `decisionId` once the
 * decision's attribution window has passed (a decision nobody acted on learns reward 0).
 */
export class DecisionService {
  /** Buffered off the request path like experiment exposures (the same log class). */
  readonly log: ExposureLog;
  readonly maxPerWorkspace: number;
  private readonly sinceTrim = new Map<string, number>();
  private readonly models = new Map<string, { model: ModelBody; checkedAt: number }>();

  constructor(
    private readonly deps: DecisionDeps,
    opts: { maxDecisionsPerWorkspace?: number; logIntervalMs?: number; learnEveryMs?: number } = {},
  ) {
    this.maxPerWorkspace = Math.max(1, opts.maxDecisionsPerWorkspace ?? DEFAULT_MAX_DECISIONS_PER_WORKSPACE);
    this.log = new ExposureLog(deps.store, { intervalMs: opts.logIntervalMs, isErased: deps.isErased });
    this.learnEveryMs = opts.learnEveryMs ?? 60_000;
  }
  private readonly learnEveryMs: number;

  async pointOf(ws: string, point: string): Promise<DecisionPoint> {
    const doc = await this.deps.store.getDoc(ws, POINT_COLLECTION, point);
    return doc ? { ...defaultDecisionPoint(point), ...(doc.body as Partial<DecisionPoint>), point } : defaultDecisionPoint(point);
  }

  async savePoint(ws: string, point: string, body: DecisionPointBody): Promise<DecisionPoint> {
    const merged: DecisionPoint = { ...(await this.pointOf(ws, point)), ...body, point };
    await this.deps.store.putDocs(ws, [{ collection: POINT_COLLECTION, id: point, subject: null, body: { ...merged }, createdAt: this.deps.clock() }]);
    return merged;
  }

  async decide(ws: string, q: DecideBody): Promise<{ decisionId: string; option: string; propensity: number; personalized: boolean }> {
    const now = this.deps.clock();
    const subject = await this.deps.subjectOf(ws, q);
    const personalized = await this.deps.mayPersonalize(ws, subject);
    const profile = personalized ? ((await this.deps.store.getProfile(ws, subject)) as Profile | null) : null;
    const point = await this.pointOf(ws, q.point);
    const model = await this.modelOf(ws, point, now);
    const context = contextVector(now, q.context, profile);
    // Every option gets the option slots, features or not, so an option's vector (and its learnt arm)
    // keeps one length whether or not a caller sends its features.
    const options = q.options.map((o) => ({ key: o.id, x: crossFeatures(context, hashFeatures(o.features, OPTION_DIMS)) }));
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
      person: subject,
      options: q.options.map((o) => o.id),
      chosen: options[index].key,
      propensity,
      policy: point.policy,
      personalized: profile !== null,
      context: Array.from(context),
      x: Array.from(options[index].x),
    };
    this.record(ws, { collection: DECISION_COLLECTION, id: decisionId, subject, body: { ...body }, createdAt: now });
    return { decisionId, option: body.chosen, propensity, personalized: body.personalized };
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

  private async modelOf(ws: string, point: DecisionPoint, now: number): Promise<ModelBody> {
    const key = `${ws}\u0000${point.point}`;
    const cached = this.models.get(key);
    if (cached && now - cached.checkedAt < this.learnEveryMs) return cached.model;
    const model = await this.learn(ws, point.point);
    this.models.set(key, { model, checkedAt: now });
    return model;
  }

  /**
   * Learns every decision of the point whose attribution window has closed since the last pass: its
   * reward is the best of its events' rewards within the window, 0 if none.
   */
  async learn(ws: string, pointName: string): Promise<ModelBody> {
    const { store, clock } = this.deps;
    const point = await this.pointOf(ws, pointName);
    const doc = await store.getDoc(ws, MODEL_COLLECTION, pointName);
    const model = doc ? modelFromJson(doc.body) : { arms: {}, learnedUntil: 0 };
    const windowMs = point.attributionWindowHours * 3_600_000;
    const settledBefore = clock() - windowMs;
    if (settledBefore <= model.learnedUntil) return model;
    await this.log.flush();
    const settled = new Map<string, { createdAt: number; body: DecisionBody }>();
    for (const d of await store.listDocs(ws, DECISION_COLLECTION)) {
      const b = d.body as unknown as DecisionBody;
      if (b.point === pointName && d.createdAt > model.learnedUntil && d.createdAt <= settledBefore) settled.set(d.id, { createdAt: d.createdAt, body: b });
    }
    if (settled.size === 0) {
      model.learnedUntil = settledBefore;
      return model;
    }
    const reward = new Map<string, number>();
    for await (const page of store.scanEvents(ws, { since: model.learnedUntil })) {
      for (const e of page) {
        const id = e.properties?.decisionId;
        const d = typeof id === 'string' ? settled.get(id) : undefined;
        const r = point.rewards[e.type];
        if (!d || r === undefined || e.timestamp < d.createdAt || e.timestamp > d.createdAt + windowMs) continue;
        reward.set(id as string, Math.max(reward.get(id as string) ?? -Infinity, r));
      }
    }
    for (const [id, { body }] of [...settled].sort((a, b) => a[1].createdAt - b[1].createdAt)) {
      const r = reward.get(id) ?? 0;
      const x = Float64Array.from(body.x);
      learnOption(model.arms, body.chosen, x, r);
      const own = crossFeatures(body.context);
      model.hybrid ??= newHybrid(own.length, x.length);
      if (model.hybrid.d === own.length && model.hybrid.k === x.length) hybridLearn(model.hybrid, { key: body.chosen, x: own, z: x }, r);
    }
    model.learnedUntil = settledBefore;
    await store.putDocs(ws, [{ collection: MODEL_COLLECTION, id: pointName, subject: null, body: modelToJson(model), createdAt: clock() }]);
    this.models.delete(`${ws}\u0000${pointName}`);
    return model;
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
