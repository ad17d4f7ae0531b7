import { describe, expect, it } from 'vitest';
import { BuyAgain } from '../../src/eval/buy-again.ts';
import {
  formatPurchaseTable,
  hitRates,
  lastPurchaseSplit,
  modelLists,
  purchaseLogOf,
  rebuyShare,
  runPurchaseEvaluation,
  syntheticPurchaseLog,
  type PurchaseLog,
} from '../../src/eval/purchases.ts';
import { parseCsv } from '../../src/eval/datasets.ts';

const DAY = 86_400_000;
// a: x, y, x, x (last: a re-buy of x); b: y, z (last: z, new); c: one purchase only (trains).
const log: PurchaseLog = {
  name: 't',
  userIds: ['a', 'b', 'c'],
  itemIds: ['x', 'y', 'z'],
  categories: ['coffee', 'coffee', 'lamps'],
  users: Int32Array.from([0, 0, 0, 0, 1, 1, 2]),
  items: Int32Array.from([0, 1, 0, 0, 1, 2, 1]),
  times: Float64Array.from([1, 2, 3, 4, 1, 5, 2].map((d) => d * DAY)),
};

describe('leave-last-purchase-out', () => {
  it("holds out each person's latest purchase, keeps repeats, and trains on the rest", () => {
    const s = lastPurchaseSplit(log, 1);
    expect(s.cases.map((c) => [c.user, c.target, c.history.length, c.at / DAY])).toEqual([
      [0, 0, 3, 4],
      [1, 2, 1, 5],
    ]);
    expect([...s.train]).toEqual([0, 1, 2, 4, 6]);
    expect(rebuyShare(log, s)).toBe(0.5);
  });

  it('scores buy-again (own purchases by count, then popular) and keeps what was bought in the list', () => {
    const s = lastPurchaseSplit(log, 1);
    const m = new BuyAgain();
    m.fit({
      nUsers: 3,
      nItems: 3,
      users: Int32Array.from(s.train, (k) => log.users[k]),
      items: Int32Array.from(s.train, (k) => log.items[k]),
      weights: new Float32Array(s.train.length).fill(1),
      times: Float64Array.from(s.train, (k) => log.times[k]),
    });
    const lists = modelLists(log, s, m, true);
    expect([...lists[0]].slice(0, 2)).toEqual([0, 1]); // x twice, y once
    expect(hitRates(log, s, lists)).toEqual({ 'HR@10': 1, 'HR@10 rebuy': 1, 'HR@10 new': 1 });
    expect(hitRates(log, s, [Int32Array.of(1), Int32Array.of(0)])).toEqual({ 'HR@10': 0, 'HR@10 rebuy': 0, 'HR@10 new': 0 });
  });

  it('reads purchase rows of a typed file with their leaf category', () => {
    const l = purchaseLogOf(parseCsv('user_id,item_id,category_id,behavior_type,timestamp\n1,a,9,pv,1511544070\n1,a,9,buy,1511544080\n1,a,9,buy,1511644080\n'));
    expect([...l.items]).toEqual([0, 0]);
    expect(l.categories).toEqual(['9']);
  });

  it('builds the same synthetic re-buy-heavy log from the same seed', () => {
    const a = syntheticPurchaseLog(3, { users: 100 });
    expect(syntheticPurchaseLog(3, { users: 100 }).items).toEqual(a.items);
    expect(rebuyShare(a, lastPurchaseSplit(a, 1))).toBeGreaterThan(0.3);
  });

  it('measures on the validation split without the test purchases when asked', async () => {
    // Everyone buys a, then b twice, then a thing of their own (the test target, never a re-buy); the
    // validation split holds out the second b (a re-buy) and learns from a and the first b only.
    const n = 12;
    const rows: Array<[number, number, number]> = [];
    for (let u = 0; u < n; u++) rows.push([u, 0, 1], [u, 1, 2], [u, 1, 3], [u, 2 + u, 4]);
    const l: PurchaseLog = {
      name: 'v',
      userIds: Array.from({ length: n }, (_, u) => `u${u}`),
      itemIds: ['a', 'b', ...Array.from({ length: n }, (_, u) => `own${u}`)],
      categories: [],
      users: Int32Array.from(rows, (r) => r[0]),
      items: Int32Array.from(rows, (r) => r[1]),
      times: Float64Array.from(rows, (r) => r[2] * DAY),
    };
    const test = await runPurchaseEvaluation(l, [1], { served: false });
    expect(test.rebuyShare).toBe(0);
    const val = await runPurchaseEvaluation(l, [1], { served: false, validation: true });
    expect(val.rebuyShare).toBe(1);
    expect(val.rows.find((r) => r.model === 'buy-again')!.metrics['HR@10'].mean).toBe(1);
    expect(formatPurchaseTable(val)).toContain('last-purchase (validation split)');
    expect(formatPurchaseTable(test)).not.toContain('validation');
  });
});
