/**
 * Predictions as a service: the predictors are trained on the workspace's own events the first time
 * they are asked for after the recommendation models were (re)trained (`POST /v1/train`, `afin
 * train`, the retrain after an erasure all bump the store's `models` counter), or once a day, and
 * stored as a blob so every node serves the same ones. A person's figures are computed from their
 * own events at request time, so they are always current.
 */
import { AfinError } from '../domain/errors.ts';
import type { StoredEvent } from '../domain/schemas.ts';
import type { Store } from '../store/store.ts';
import { buildEventLog, kindOfType, KIND, type LogRow } from './event-log.ts';
import { DAY_MS } from './person-features.ts';
import { NotEnoughHistoryError, type PersonPredictions, PREDICTOR_VERSION, type PredictorState, predictPerson, trainPredictor } from './predictor.ts';

/** The blob the trained predictors live in. */
export const PREDICTOR_BLOB = 'predict/predictors';
/** Predictions learnt longer ago than this are relearnt, even with no new training of the models. */
const MAX_AGE_MS = DAY_MS;
/** A shop with too little history is looked at again this often (its history grows by the hour). */
const RETRY_SHORT_HISTORY_MS = 3_600_000;
/** How long a node trusts its loaded predictors before it checks the store again. */
const CHECK_EVERY_MS = 10_000;
/** The most recent events of a person read per request (bounds the work a request makes). */
const PERSON_EVENTS = 10_000;

/** What an item tells the predictors: its leaf category and price. */
export interface ItemFacts {
  category: string | null;
  price: number | null;
}

/** What the predictions need from the other slices (wired in `server/compose.ts`). */
export interface PredictDeps {
  store: Pick<Store, 'scanEvents' | 'eventsOf' | 'getBlob' | 'putBlob' | 'readCounters'>;
  clock: () => number;
  /** Whether the person allows profiling now (false for an erased person). */
  mayProfile(ws: string, userId: string): Promise<boolean>;
  /** Each catalogue item's category and price. */
  items(ws: string): Promise<(itemId: string) => ItemFacts | undefined>;
  seed?: number;
}

/** One figure's reasons, as the API shows them. */
export interface FactorView {
  feature: string;
  text: string;
  effect: 'raises' | 'lowers';
  weight: number;
}

/** A person's predictions, as `GET /v1/users/:id/predictions` answers. */
export interface PredictionsView {
  userId: string;
  trainedAt: string;
  horizonDays: number;
  days: number;
  churn: { probability: number; horizonDays: number; factors: FactorView[] };
  nextPurchases: Array<{ category: string; expectedAt: string; daysUntil: number; intervalDays: number; probability: number; factors: FactorView[] }>;
  propensities: Array<{ category: string; probability: number; factors: FactorView[] }>;
}

/**
 * What other slices may ask (the nudges, the profile): a person's figures, or null when there are
 * none to give (no profiling consent, no history, no trained predictors). The caller applies its
 * own purpose's consent (a nudge needs `marketing`) on top.
 */
export interface PredictionsReader {
  peek(ws: string, userId: string, opts?: { days?: number; n?: number }): Promise<PredictionsView | null>;
}

interface Loaded {
  state: PredictorState | null;
  reason: string | null;
  counter: number;
  /** When these predictors (or the finding that there was too little history) were learnt. */
  learnedAt: number;
  checkedAt: number;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export class PredictService implements PredictionsReader {
  private readonly loaded = new Map<string, Loaded>();
  private readonly training = new Map<string, Promise<Loaded>>();

  constructor(private readonly deps: PredictDeps) {}

  /**
   * A person's predictions; 403 without profiling consent, 404 for a person with no history, 409
   * while the shop's history is too short to learn from.
   */
  async forUser(ws: string, userId: string, opts: { days?: number; n?: number } = {}): Promise<PredictionsView> {
    if (!(await this.deps.mayProfile(ws, userId)))
      throw new AfinError(
        'forbidden',
        `user ${userId} has not given profiling consent (or objected to profiling): no predictions are made about them`,
        'consent.profiling',
      );
    const events = await this.deps.store.eventsOf(ws, userId, PERSON_EVENTS);
    // Checked before any learning, so that a refused request stores nothing.
    if (!events.some((e) => e.timestamp < this.deps.clock()))
      throw new AfinError('not_found', `no events of user ${userId}: there is nothing to predict from`, 'id');
    const loaded = await this.predictors(ws);
    // A state of the shop, not a fault of the server: 409, as for any request the data cannot answer yet.
    if (!loaded.state) throw new AfinError('conflict', `no predictions yet: ${loaded.reason}`);
    const view = await this.view(ws, userId, events, loaded.state, opts);
    if (!view) throw new AfinError('not_found', `no events of user ${userId}: there is nothing to predict from`, 'id');
    return view;
  }

  async peek(ws: string, userId: string, opts: { days?: number; n?: number } = {}): Promise<PredictionsView | null> {
    if (!(await this.deps.mayProfile(ws, userId))) return null;
    const events = await this.deps.store.eventsOf(ws, userId, PERSON_EVENTS);
    if (events.length === 0) return null;
    const { state } = await this.predictors(ws);
    return state ? this.view(ws, userId, events, state, opts) : null;
  }

  /** Trains the predictors now and stores them (the lazy path calls this too). */
  async train(ws: string): Promise<PredictorState | null> {
    return (await this.retrain(ws, (await this.deps.store.readCounters(ws)).models ?? 0)).state;
  }

  private async view(
    ws: string,
    userId: string,
    events: StoredEvent[],
    state: PredictorState,
    opts: { days?: number; n?: number },
  ): Promise<PredictionsView | null> {
    const items = await this.deps.items(ws);
    const now = this.deps.clock();
    const log = buildEventLog(toRows(events, items, () => userId));
    const p = predictPerson(state, log, 0, now, opts.days ?? state.horizonDays, opts.n ?? 5);
    if (!p) return null;
    return present(userId, state, p);
  }

  /** The stored predictors, relearnt when the models were retrained since, or when a day old. */
  private async predictors(ws: string): Promise<Loaded> {
    const now = this.deps.clock();
    const mem = this.loaded.get(ws);
    if (mem && now - mem.checkedAt < CHECK_EVERY_MS) return mem;
    const counter = (await this.deps.store.readCounters(ws)).models ?? 0;
    const fresh = (l: { counter: number; learnedAt: number; trained: boolean }) =>
      l.counter === counter && now - l.learnedAt < (l.trained ? MAX_AGE_MS : RETRY_SHORT_HISTORY_MS);
    if (mem && fresh({ counter: mem.counter, learnedAt: mem.learnedAt, trained: mem.state !== null })) {
      mem.checkedAt = now;
      return mem;
    }
    const blob = await this.deps.store.getBlob(ws, PREDICTOR_BLOB);
    const meta = blob?.meta;
    if (meta && meta.version === PREDICTOR_VERSION && fresh({ counter: Number(meta.counter), learnedAt: Number(meta.trainedAt), trained: true })) {
      const body = JSON.parse(new TextDecoder().decode(blob!.data)) as { state: PredictorState };
      const l: Loaded = { state: body.state, reason: null, counter, learnedAt: Number(meta.trainedAt), checkedAt: now };
      this.loaded.set(ws, l);
      return l;
    }
    return this.retrain(ws, counter);
  }

  /** One training per workspace at a time: concurrent requests wait for the same one. */
  private retrain(ws: string, counter: number): Promise<Loaded> {
    let t = this.training.get(ws);
    if (!t) {
      t = this.learn(ws, counter).finally(() => this.training.delete(ws));
      this.training.set(ws, t);
    }
    return t;
  }

  private async learn(ws: string, counter: number): Promise<Loaded> {
    const now = this.deps.clock();
    const items = await this.deps.items(ws);
    const rows: LogRow[] = [];
    for await (const page of this.deps.store.scanEvents(ws, { pageSize: 20_000 })) rows.push(...toRows(page, items, (e) => e.subject));
    let state: PredictorState | null = null;
    let reason: string | null = null;
    try {
      state = trainPredictor(buildEventLog(rows), { now, seed: this.deps.seed ?? 42 });
    } catch (e) {
      if (!(e instanceof NotEnoughHistoryError)) throw e;
      reason = e.message;
    }
    // Too little history is remembered by this node only: a refused request stores nothing.
    if (state) {
      const body = new TextEncoder().encode(JSON.stringify({ state }));
      await this.deps.store.putBlob(ws, PREDICTOR_BLOB, body, { version: PREDICTOR_VERSION, counter, trainedAt: now, events: rows.length }, now);
    }
    const l: Loaded = { state, reason, counter, learnedAt: now, checkedAt: now };
    this.loaded.set(ws, l);
    return l;
  }
}

/** Store events as the predictors' rows; a purchase without a value is worth its item's price. */
function toRows(events: readonly StoredEvent[], items: (id: string) => ItemFacts | undefined, personOf: (e: StoredEvent) => string): LogRow[] {
  const out: LogRow[] = [];
  for (const e of events) {
    const kind = kindOfType(e.type);
    if (kind === null) continue;
    const item = e.itemId ? items(e.itemId) : undefined;
    const money = kind === KIND.purchase || kind === KIND.return;
    out.push({ person: personOf(e), category: item?.category ?? null, kind, time: e.timestamp, value: money ? (e.value ?? item?.price ?? null) : null });
  }
  return out;
}

function present(userId: string, s: PredictorState, p: PersonPredictions): PredictionsView {
  return {
    userId,
    trainedAt: new Date(s.trainedAt).toISOString(),
    horizonDays: s.horizonDays,
    days: p.days,
    churn: { probability: round4(p.churn.probability), horizonDays: p.churn.horizonDays, factors: p.churn.factors },
    nextPurchases: p.nextPurchases.map((n) => ({
      category: n.category,
      expectedAt: new Date(n.expectedAt).toISOString(),
      daysUntil: n.daysUntil,
      intervalDays: n.intervalDays,
      probability: round4(n.probability),
      factors: n.factors,
    })),
    propensities: p.propensities.map((x) => ({ category: x.category, probability: round4(x.probability), factors: x.factors })),
  };
}
