import { describe, expect, it } from 'vitest';
import { funnelFigures, TAOBAO_FUNNEL, type BehaviourRow } from '../../src/simulate/funnel.ts';

const T0 = 1_000_000;
const window = { from: T0, to: T0 + 10 * 86_400 };
const row = (user: string, type: string, minutes: number, item = 'i'): BehaviourRow => ({ user, item, type, time: T0 + minutes * 60 });

describe('funnelFigures', () => {
  it('counts views, carts and buys and their ratios, leaving out rows outside the window', () => {
    const rows = [
      ...Array.from({ length: 20 }, (_, k) => row('a', 'pv', k)),
      row('a', 'cart', 21),
      row('a', 'cart', 22),
      row('a', 'fav', 23),
      row('a', 'buy', 24),
      row('b', 'pv', 0),
      row('b', 'pv', -10_000),
      row('b', 'buy', 99_999),
    ];
    const f = funnelFigures(rows, window);
    expect(f).toMatchObject({ users: 2, rows: 25, views: 21, carts: 2, buys: 1 });
    expect(f.cartPerView).toBeCloseTo(2 / 21, 12);
    expect(f.buyPerCart).toBeCloseTo(1 / 2, 12);
    expect(f.buyPerView).toBeCloseTo(1 / 21, 12);
  });

  it('starts a session after a gap of more than 30 minutes, per person', () => {
    // a: 0, 10, 40 (gap 30: same session), 71 (gap 31: new); b: one row.
    const f = funnelFigures([row('a', 'pv', 0), row('a', 'pv', 10), row('a', 'pv', 40), row('a', 'pv', 71), row('b', 'pv', 5)], window);
    expect(f.sessions).toBe(3);
    expect(f.viewsPerSession).toBeCloseTo(5 / 3, 12);
  });

  it('gives the share of active person-days with a purchase', () => {
    const day = 24 * 60;
    const f = funnelFigures([row('a', 'pv', 0), row('a', 'buy', 5), row('a', 'pv', day + 1), row('b', 'pv', 2 * day), row('b', 'buy', 3 * day)], window);
    // a: day 0 (bought), day 1; b: day 2, day 3 (bought): 2 of 4.
    expect(f.buyingDayShare).toBe(0.5);
  });

  it('answers zeros, not NaN, for an empty log', () => {
    const f = funnelFigures([], window);
    expect([f.cartPerView, f.buyPerCart, f.viewsPerSession, f.buyingDayShare]).toEqual([0, 0, 0, 0]);
  });

  it('ships rates that agree with the Taobao counts quoted beside them (4,494 / 75,658 and 1,749 / 4,494)', () => {
    expect(TAOBAO_FUNNEL.cartPerView).toBeCloseTo(4494 / 75658, 4);
    expect(TAOBAO_FUNNEL.buyPerCart).toBeCloseTo(1749 / 4494, 3);
  });
});
