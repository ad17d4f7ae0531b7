/**
 * `afin eval --protocol last-purchase`: leave-last-purchase-out on a purchase log, where buying the
 * same thing again is allowed and counts. Every purchase is kept (repeats included, unlike the other
 * protocols, which keep one row per person and item); each person's latest purchase is the target,
 * everything before it is what the models and the server learn from. Compared: popularity, "buy
 * again, then popular", EASE (with the history left out of its list, as usual, and with it kept), and
 * the served answer: a fresh server gets the items and the training purchases as `purchase` events
 * with their timestamps, trains, and is asked `GET /v1/recommendations?userId=…&n=10` at the moment of
 * each person's held-out purchase (its clock is set there: the visit at which they bought).
 */
import { parseArgs } from 'node:util';
import { Ease } from '../recommend/models/ease.ts';
import { rng, gaussian } from '../stats/random.ts';
import { topK } from '../recommend/models/top-k.ts';
import type { HistoryEntry, Interactions, Recommender } from '../recommend/models/types.ts';
import { Popularity } from '../recommend/models/popularity.ts';
import { BuyAgain } from './buy-again.ts';
import { DatasetError, loadDataset, type Dataset, type DatasetKind } from './datasets.ts';
import { meanStd } from './metrics.ts';
import { parseSettingsArg, type OpenServer } from './served.ts';

const DAY = 86_400_000;

/** Purchases, one row each (repeats kept), with each item's leaf category. */
export interface PurchaseLog {
  name: string;
  userIds: string[];
  itemIds: string[];
  /** Leaf category per item, if known. */
  categories: (string | undefined)[];
  users: Int32Array;
  items: Int32Array;
  /** Epoch milliseconds. */
  times: Float64Array;
}

/** The purchase rows of a dataset (rows typed `purchase` when it has types, else every row). */
export function purchaseLogOf(ds: Dataset): PurchaseLog {
  const keep: number[] = [];
  for (let k = 0; k < ds.users.length; k++) if (!ds.types || ds.types[k] === 'purchase') keep.push(k);
  return {
    name: ds.name,
    userIds: ds.userIds,
    itemIds: ds.itemIds,
    categories: ds.itemIds.map((_, i) => ds.docs?.[i]?.categories?.at(-1)),
    users: Int32Array.from(keep, (k) => ds.users[k]),
    items: Int32Array.from(keep, (k) => ds.items[k]),
    times: Float64Array.from(keep, (k) => ds.times[k]),
  };
}

export interface SyntheticOptions {
  users?: number;
  days?: number;
}

/**
 * SYNTHETIC, re-buy-heavy purchase log (no public log staged here has many re-buys). 8 consumable
 * categories (coffee, pet food, ink…: a base interval of 10–60 days) and 8 durable ones (bought once),
 * 20 items each, popularity Zipf-like within a category. People fall in 4 taste groups; each group
 * prefers 2 consumable and 4 durable categories. Each person adopts 1–3 consumables from their
 * group's (sometimes another's), at their own interval (the category's × lognormal σ 0.3), re-buying
 * with ±15 % jitter, switching to another item of the category 10 % of the time and stopping 3 % of
 * the time; and buys 1–4 durables from their group's categories once each at random times. One year.
 */
export function syntheticPurchaseLog(seed: number, opts: SyntheticOptions = {}): PurchaseLog {
  const rand = rng(seed);
  const nUsers = opts.users ?? 1000;
  const days = opts.days ?? 365;
  const perCat = 20;
  const consumables = ['coffee', 'tea', 'pet food', 'printer ink', 'contact lenses', 'vitamins', 'detergent', 'diapers'];
  const durables = ['sofas', 'lamps', 'desks', 'bikes', 'headphones', 'kettles', 'rugs', 'monitors'];
  const base = consumables.map(() => 10 + rand() * 50);
  const itemIds: string[] = [];
  const categories: string[] = [];
  const catItems: number[][] = [];
  for (const c of [...consumables, ...durables]) {
    const l: number[] = [];
    for (let j = 0; j < perCat; j++) {
      l.push(itemIds.length);
      itemIds.push(`${c.replace(/ /g, '-')}-${j}`);
      categories.push(c);
    }
    catItems.push(l);
  }
  // Zipf-like pick within a category.
  const pick = (c: number) => catItems[c][Math.min(perCat - 1, Math.floor(perCat * rand() ** 2))];
  const rows: Array<[number, number, number]> = [];
  const start = Date.UTC(2024, 0, 1);
  const userIds: string[] = [];
  for (let u = 0; u < nUsers; u++) {
    userIds.push(`s${u}`);
    const g = u % 4;
    const myCons = [2 * g, 2 * g + 1];
    const nCons = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < nCons; k++) {
      const c = rand() < 0.8 ? myCons[k % 2] : Math.floor(rand() * consumables.length);
      let item = pick(c);
      const interval = base[c] * Math.exp(0.3 * gaussian(rand));
      for (let d = rand() * interval; d < days; d += interval * (0.85 + 0.3 * rand())) {
        rows.push([u, item, start + d * DAY + Math.floor(rand() * 8) * 3_600_000]);
        if (rand() < 0.03) break;
        if (rand() < 0.1) item = pick(c);
      }
    }
    const nDur = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < nDur; k++) {
      const c = consumables.length + ((2 * g + Math.floor(rand() * 4)) % durables.length);
      rows.push([u, pick(c), start + rand() * days * DAY]);
    }
  }
  rows.sort((a, b) => a[2] - b[2]);
  return {
    name: 'synthetic-rebuy',
    userIds,
    itemIds,
    categories,
    users: Int32Array.from(rows, (r) => r[0]),
    items: Int32Array.from(rows, (r) => r[1]),
    times: Float64Array.from(rows, (r) => Math.round(r[2])),
  };
}

export interface PurchaseCase {
  user: number;
  /** Row indices of the person's earlier purchases, oldest first. */
  history: number[];
  target: number;
  /** When the held-out purchase happened. */
  at: number;
}

export interface PurchaseSplit {
  train: Int32Array;
  cases: PurchaseCase[];
}

/**
 * Each person's latest purchase (ties broken by the seed) is the target, everything before it the
 * history; people with one purchase only train. `rows` restricts the split to some rows (validation).
 */
export function lastPurchaseSplit(log: PurchaseLog, seed: number, rows?: ArrayLike<number>): PurchaseSplit {
  const rand = rng(seed);
  const idx = rows ? Array.from(rows) : Array.from(log.users.keys());
  const byUser = new Map<number, number[]>();
  for (const k of idx) {
    const l = byUser.get(log.users[k]);
    if (l) l.push(k);
    else byUser.set(log.users[k], [k]);
  }
  const train: number[] = [];
  const cases: PurchaseCase[] = [];
  for (const [user, ks] of byUser) {
    if (ks.length < 2) {
      train.push(...ks);
      continue;
    }
    const tie = new Map(ks.map((k) => [k, rand()]));
    ks.sort((a, b) => log.times[a] - log.times[b] || tie.get(a)! - tie.get(b)!);
    const target = ks.pop()!;
    train.push(...ks);
    cases.push({ user, history: ks, target: log.items[target], at: log.times[target] });
  }
  cases.sort((a, b) => a.user - b.user);
  return { train: Int32Array.from(train).sort(), cases };
}

function interactionsOf(log: PurchaseLog, train: Int32Array): Interactions {
  return {
    nUsers: log.userIds.length,
    nItems: log.itemIds.length,
    users: Int32Array.from(train, (k) => log.users[k]),
    items: Int32Array.from(train, (k) => log.items[k]),
    weights: new Float32Array(train.length).fill(1),
    times: Float64Array.from(train, (k) => log.times[k]),
  };
}

const historyOf = (log: PurchaseLog, c: PurchaseCase): HistoryEntry[] => c.history.map((k) => ({ item: log.items[k], weight: 1, time: log.times[k] }));

export interface HitRates {
  'HR@10': number;
  /** Hit rate on the cases whose target was bought before (re-buys) and on the others. */
  'HR@10 rebuy': number;
  'HR@10 new': number;
}

/** HR@10 over the cases, split into re-buy and new targets. */
export function hitRates(log: PurchaseLog, split: PurchaseSplit, lists: readonly ArrayLike<number>[]): HitRates {
  let hit = 0,
    rb = 0,
    rbHit = 0;
  split.cases.forEach((c, n) => {
    const rebuy = c.history.some((k) => log.items[k] === c.target);
    const h = Array.prototype.slice.call(lists[n], 0, 10).includes(c.target) ? 1 : 0;
    hit += h;
    if (rebuy) {
      rb++;
      rbHit += h;
    }
  });
  const n = split.cases.length || 1;
  return { 'HR@10': hit / n, 'HR@10 rebuy': rb ? rbHit / rb : 0, 'HR@10 new': split.cases.length - rb ? (hit - rbHit) / (split.cases.length - rb) : 0 };
}

/** The share of targets that repeat an earlier purchase of the same person. */
export function rebuyShare(log: PurchaseLog, split: PurchaseSplit): number {
  let rb = 0;
  for (const c of split.cases) if (c.history.some((k) => log.items[k] === c.target)) rb++;
  return split.cases.length ? rb / split.cases.length : 0;
}

/** Top-10 lists of a fitted model; `keepBought` leaves the person's purchases in the list. */
export function modelLists(log: PurchaseLog, split: PurchaseSplit, m: Recommender, keepBought: boolean): Int32Array[] {
  return split.cases.map((c) => {
    const bought = new Set(c.history.map((k) => log.items[k]));
    return topK(m.score(historyOf(log, c), c.at).scores, 10, (i) => keepBought || !bought.has(i));
  });
}

/** EASE's λ, chosen on a validation split carved from the training purchases. */
export function tuneEase(log: PurchaseLog, split: PurchaseSplit, seed: number, keepBought: boolean): number {
  const val = lastPurchaseSplit(log, seed + 7919, split.train);
  let best = { lambda: 0, hr: -1 };
  for (const lambda of [10, 50, 200, 800]) {
    const m = new Ease({ lambda });
    m.fit(interactionsOf(log, val.train));
    const hr = hitRates(log, val, modelLists(log, val, m, keepBought))['HR@10'];
    if (hr > best.hr) best = { lambda, hr };
  }
  return best.lambda;
}

export interface ServedPurchaseOptions {
  /** Starts the server the purchases are replayed into. */
  open: OpenServer;
  settings?: Record<string, unknown>;
  /** Ask at each held-out purchase's time (default), or at the end of the log for everyone. */
  askAt?: 'purchase' | 'end';
  onProgress?: (stage: string, fraction: number) => void;
}

/** The served top-10 per case: purchases replayed through the API, then one request per person. */
export async function servedLists(log: PurchaseLog, split: PurchaseSplit, opts: ServedPurchaseOptions): Promise<Int32Array[]> {
  let end = 0;
  for (const t of log.times) end = Math.max(end, t);
  let now = end + 3_600_000;
  const server = await opts.open({ clock: () => now, cacheMaxAgeMs: 0 });
  const { call } = server;
  const progress = opts.onProgress ?? (() => {});
  try {
    const items = log.itemIds.map((id, i) => ({ id, title: id, ...(log.categories[i] ? { categories: [log.categories[i]] } : {}) }));
    for (let s = 0; s < items.length; s += 1000) await call('PUT', '/v1/items', items.slice(s, s + 1000));
    if (opts.settings) await call('PUT', '/v1/settings/ranking', opts.settings);
    for (let s = 0; s < split.train.length; s += 1000) {
      const batch = Array.from(split.train.subarray(s, s + 1000), (k) => ({
        messageId: `p-${k}`,
        type: 'purchase',
        userId: log.userIds[log.users[k]],
        itemId: log.itemIds[log.items[k]],
        timestamp: log.times[k],
      }));
      const r = (await call('POST', '/v1/events', batch)) as { rejected: Array<{ error: string }> };
      if (r.rejected.length) throw new Error(`events rejected, first: ${r.rejected[0].error}`);
      progress('sending purchases', Math.min(1, (s + 1000) / split.train.length));
    }
    await call('POST', '/v1/train', {});
    progress('trained', 1);
    const index = new Map(log.itemIds.map((id, i) => [id, i]));
    const lists: Int32Array[] = [];
    for (const [n, c] of split.cases.entries()) {
      if (opts.askAt !== 'end') now = c.at;
      const r = (await call('GET', `/v1/recommendations?userId=${encodeURIComponent(log.userIds[c.user])}&n=10`)) as { items: Array<{ id: string }> };
      lists.push(Int32Array.from(r.items.map((it) => index.get(it.id) ?? -1)));
      if ((n & 63) === 0) progress('asking', n / split.cases.length);
    }
    return lists;
  } finally {
    await server.close();
  }
}

export interface PurchaseReport {
  dataset: string;
  seeds: number[];
  purchases: number;
  cases: number;
  rebuyShare: number;
  /** Measured on the validation split, not the test split. */
  validation?: boolean;
  rows: Array<{ model: string; metrics: Record<keyof HitRates, { mean: number; std: number }>; params: string }>;
}

function servedBy(open: OpenServer | undefined): OpenServer {
  if (!open) throw new Error('runPurchaseEvaluation: the served run needs opts.open (a server to measure)');
  return open;
}

/** Every model and the served answer on the same splits, one per seed. */
export async function runPurchaseEvaluation(
  logs: PurchaseLog | ((seed: number) => PurchaseLog),
  seeds: number[],
  opts: { served: boolean; open?: OpenServer; askAt?: 'purchase' | 'end'; settings?: Record<string, unknown>; validation?: boolean },
  say: (l: string) => void = () => {},
): Promise<PurchaseReport> {
  const runs = new Map<string, { hr: HitRates[]; params: Set<string> }>();
  const note = (model: string, hr: HitRates, params = '-') => {
    let r = runs.get(model);
    if (!r) runs.set(model, (r = { hr: [], params: new Set() }));
    r.hr.push(hr);
    r.params.add(params);
    say(`  ${model}: HR@10 ${hr['HR@10'].toFixed(4)} (re-buys ${hr['HR@10 rebuy'].toFixed(4)}, new ${hr['HR@10 new'].toFixed(4)})`);
  };
  let cases = 0,
    share = 0;
  let log = typeof logs === 'function' ? logs(seeds[0]) : logs;
  for (const seed of seeds) {
    if (typeof logs === 'function') log = logs(seed);
    const outer = lastPurchaseSplit(log, seed);
    // On validation, everything is measured on the split carved from the training purchases (each
    // person's last training purchase held out, as EASE is tuned): the test purchases are never seen.
    const split = opts.validation ? lastPurchaseSplit(log, seed + 7919, outer.train) : outer;
    cases = split.cases.length;
    share = rebuyShare(log, split);
    say(
      `seed ${seed}: ${log.users.length} purchases by ${log.userIds.length} people of ${log.itemIds.length} items; ${split.train.length} training purchases, ${cases} people, ${(100 * share).toFixed(1)} % of held-out purchases are re-buys`,
    );
    const data = interactionsOf(log, split.train);
    const pop = new Popularity();
    pop.fit(data);
    note('popularity', hitRates(log, split, modelLists(log, split, pop, false)));
    const again = new BuyAgain();
    again.fit(data);
    note('buy-again', hitRates(log, split, modelLists(log, split, again, true)));
    for (const keep of [false, true]) {
      const lambda = tuneEase(log, split, seed, keep);
      const ease = new Ease({ lambda });
      ease.fit(data);
      note(keep ? 'ease (bought kept)' : 'ease', hitRates(log, split, modelLists(log, split, ease, keep)), `lambda=${lambda}`);
    }
    if (opts.served) {
      const t0 = performance.now();
      note(
        'served',
        hitRates(log, split, await servedLists(log, split, { open: servedBy(opts.open), askAt: opts.askAt, settings: opts.settings })),
        opts.settings ? JSON.stringify(opts.settings) : '-',
      );
      say(`  (served in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
  }
  const rows = [...runs].map(([model, r]) => ({
    model,
    metrics: Object.fromEntries(
      (['HR@10', 'HR@10 rebuy', 'HR@10 new'] as const).map((k) => [k, meanStd(r.hr.map((h) => h[k]))]),
    ) as PurchaseReport['rows'][0]['metrics'],
    params: [...r.params].join(' | '),
  }));
  return { dataset: log.name, seeds, purchases: log.users.length, cases, rebuyShare: share, ...(opts.validation ? { validation: true } : {}), rows };
}

export function formatPurchaseTable(rep: PurchaseReport): string {
  const head = ['model', 'HR@10', 'HR@10 re-buys', 'HR@10 new', 'params'];
  const body = rep.rows.map((r) => [
    r.model,
    ...(['HR@10', 'HR@10 rebuy', 'HR@10 new'] as const).map((k) => `${r.metrics[k].mean.toFixed(4)} ±${r.metrics[k].std.toFixed(4)}`),
    r.params,
  ]);
  const w = head.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(w[i]))
      .join('  ')
      .trimEnd();
  return [
    `${rep.dataset} · protocol last-purchase${rep.validation ? ' (validation split)' : ''} · ${rep.purchases} purchases · ${rep.cases} people tested · ${(100 * rep.rebuyShare).toFixed(1)} % of held-out purchases are re-buys · seeds ${rep.seeds.join(',')}`,
    line(head),
    line(w.map((n) => '-'.repeat(n))),
    ...body.map(line),
  ].join('\n');
}

export const PURCHASE_USAGE = `usage: afin eval --protocol last-purchase --dataset csv|jsonl|synthetic-rebuy [--path FILE] [options]

Leave-last-purchase-out on a purchase log: repeats are kept and count. Rows typed purchase (a type
column: buy, purchase, order…) or every row of an untyped file. --dataset synthetic-rebuy builds a
documented synthetic re-buy-heavy log instead (src/eval/purchases.ts).

options:
  --seeds N         splits to average over (ties at the same timestamp broken per seed)   [default 3]
  --users N         people in the synthetic log                                            [default 1000]
  --ask-at WHEN     purchase: the server's clock is each held-out purchase's time          [default]
                    end: the end of the log, for everyone
  --settings JSON   ranking settings for the served run
  --validation      measure on the validation split carved from the training purchases (each
                    person's last training purchase held out), never the test purchases: for
                    choosing defaults
  --model-only      skip the served run`;

/** The CLI for this protocol. Returns the exit code. */
export async function runPurchaseEval(args: string[], open: OpenServer): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        protocol: { type: 'string' },
        dataset: { type: 'string' },
        path: { type: 'string' },
        seeds: { type: 'string', default: '3' },
        users: { type: 'string', default: '1000' },
        'ask-at': { type: 'string', default: 'purchase' },
        settings: { type: 'string' },
        'model-only': { type: 'boolean', default: false },
        validation: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`afin eval: ${(e as Error).message}\n\n${PURCHASE_USAGE}\n`);
    return 2;
  }
  const fail = (m: string) => {
    process.stderr.write(`afin eval: ${m}\n\n${PURCHASE_USAGE}\n`);
    return 2;
  };
  if (values.help) {
    process.stdout.write(PURCHASE_USAGE + '\n');
    return 0;
  }
  const nSeeds = Number(values.seeds);
  if (!Number.isInteger(nSeeds) || nSeeds < 1 || nSeeds > 100) return fail('--seeds must be an integer from 1 to 100');
  const askAt = values['ask-at'];
  if (askAt !== 'purchase' && askAt !== 'end') return fail('--ask-at must be purchase or end');
  let settings: Record<string, unknown> | undefined;
  if (values.settings !== undefined) {
    const parsed = parseSettingsArg(String(values.settings));
    if (typeof parsed === 'string') return fail(parsed);
    settings = parsed;
  }
  let log: PurchaseLog | ((seed: number) => PurchaseLog);
  if (values.dataset === 'synthetic-rebuy') {
    const users = Number(values.users);
    if (!Number.isInteger(users) || users < 10) return fail('--users must be an integer of at least 10');
    log = (seed: number) => syntheticPurchaseLog(seed, { users }); // a new synthetic shop per seed
  } else if (values.dataset === 'csv' || values.dataset === 'jsonl') {
    if (!values.path) return fail('--path is required');
    try {
      log = purchaseLogOf(await loadDataset(values.dataset as DatasetKind, String(values.path)));
    } catch (e) {
      if (e instanceof DatasetError) return fail(e.message);
      throw e;
    }
  } else return fail('--dataset must be csv, jsonl or synthetic-rebuy');
  const say = (l: string) => process.stderr.write(l + '\n');
  const rep = await runPurchaseEvaluation(
    log,
    Array.from({ length: nSeeds }, (_, i) => i + 1),
    { served: !values['model-only'], open, askAt, settings, validation: Boolean(values.validation) },
    say,
  );
  process.stdout.write(formatPurchaseTable(rep) + '\n' + JSON.stringify({ eval: rep }) + '\n');
  return 0;
}
