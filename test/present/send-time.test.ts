import { describe, expect, it } from 'vitest';
import { activityByHour, hourFeatures, isTimeZone, localTime, nextSendAt } from '../../src/present/send-time.ts';
import { isActive, makePeople, runSendTime } from '../../src/present/eval/send-time-world.ts';

const JAN = Date.UTC(2026, 0, 15, 12);
const JUL = Date.UTC(2026, 6, 15, 12);

describe('send-time features', () => {
  it('reads local hours in the person’s zone, summer time included', () => {
    expect(localTime(Date.UTC(2026, 0, 15, 19, 30), 'Europe/Madrid')).toEqual({ hour: 20, minute: 30 });
    expect(localTime(Date.UTC(2026, 6, 15, 19, 30), 'Europe/Madrid')).toEqual({ hour: 21, minute: 30 });
    expect(localTime(Date.UTC(2026, 0, 15, 0, 0), 'Asia/Kolkata')).toEqual({ hour: 5, minute: 30 });
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('spreads each event over its hour and the neighbours (¼, ½, ¼), as shares of all events', () => {
    // Three events at 20:xx Madrid time (19:xx UTC in January), one at 23:10 (22:10 UTC).
    const ts = [0, 1, 2].map((d) => Date.UTC(2026, 0, 10 + d, 19, 5)).concat(Date.UTC(2026, 0, 13, 22, 10));
    const a = activityByHour(ts, 'Europe/Madrid');
    expect(a[20]).toBeCloseTo((0.5 * 3) / 4, 12);
    expect(a[19]).toBeCloseTo((0.25 * 3) / 4, 12);
    expect(a[21]).toBeCloseTo((0.25 * 3) / 4, 12);
    expect(a[22]).toBeCloseTo(0.25 / 4, 12);
    expect(a[23]).toBeCloseTo(0.5 / 4, 12);
    expect(a[0]).toBeCloseTo(0.25 / 4, 12);
    expect(a.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(activityByHour([], 'UTC').every((x) => x === 0)).toBe(true);

    const f = hourFeatures(a, 20);
    expect(Array.from(f)).toEqual([3 * a[20], 1, Math.sin((2 * Math.PI * 20) / 24), Math.cos((2 * Math.PI * 20) / 24)]);
    expect(hourFeatures(a, 23)[1]).toBe(0);
    expect(hourFeatures(a, 23)[0]).toBeCloseTo(3 * a[23], 12);
  });

  it('says when the chosen hour next comes in the zone', () => {
    expect(new Date(nextSendAt(JAN, 20, 'UTC')).toISOString()).toBe('2026-01-15T20:00:00.000Z');
    // 12:00 UTC is 17:30 in Kolkata: the next 09:00 there is tomorrow, 03:30 UTC.
    expect(new Date(nextSendAt(JAN, 9, 'Asia/Kolkata')).toISOString()).toBe('2026-01-16T03:30:00.000Z');
    // New York in July is UTC-4: 08:00 there has passed (12:00 UTC), so tomorrow at 12:00 UTC.
    expect(new Date(nextSendAt(JUL, 8, 'America/New_York')).toISOString()).toBe('2026-07-16T12:00:00.000Z');
    expect(new Date(nextSendAt(JUL, 9, 'America/New_York')).toISOString()).toBe('2026-07-15T13:00:00.000Z');
  });
});

describe('the send-time world', () => {
  const people = makePeople(1, 120, JAN, 20);

  it('generates people whose history falls in their active hours, in their own zone', () => {
    for (const p of people) for (const t of p.history) expect(isActive(p, localTime(t, p.timeZone).hour)).toBe(true);
    expect(new Set(people.map((p) => p.timeZone)).size).toBeGreaterThan(3);
  });

  it('hybrid LinUCB learns to send in each person’s active hours; uniform hits them one time in eight', () => {
    const hybrid = runSendTime(people, { kind: 'hybrid-linucb', alpha: 1, floor: 0.05 }, 600, 2);
    const uniform = runSendTime(people, { kind: 'uniform' }, 600, 2);
    expect(uniform.inActiveHours / 600).toBeLessThan(0.2);
    expect(hybrid.inActiveHours / 600).toBeGreaterThan(0.6);
    expect(hybrid.opens).toBeGreaterThan(2 * uniform.opens);
  }, 30_000);

  it('learns from the opens, not from the features alone: people who open only outside their habits are sent outside them', () => {
    const share = (hits: Uint8Array, from: number, to: number) => hits.slice(from, to).reduce((n, h) => n + h, 0) / (to - from);
    const usual = runSendTime(people, { kind: 'hybrid-linucb', alpha: 1, floor: 0.05 }, 600, 3);
    const swapped = runSendTime(people, { kind: 'hybrid-linucb', alpha: 1, floor: 0.05 }, 600, 3, { openActive: 0.05, openIdle: 0.5 });
    // The first batch, before any reward, is the same for both (the features alone); afterwards they part.
    expect(share(swapped.hits, 0, 100)).toBe(share(usual.hits, 0, 100));
    expect(share(usual.hits, 400, 600)).toBeGreaterThan(0.7);
    expect(share(swapped.hits, 400, 600)).toBeLessThan(0.1);
  }, 30_000);
});

describe('nextSendAt across a change of offset', () => {
  it('finds the hour on the night summer time starts and ends', () => {
    // Madrid, 2026-03-29: 02:00 becomes 03:00 (UTC+1 → UTC+2). From 00:30 UTC (01:30 local), 09:00 local is 07:00 UTC.
    expect(new Date(nextSendAt(Date.UTC(2026, 2, 29, 0, 30), 9, 'Europe/Madrid')).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    // 2026-10-25: 03:00 becomes 02:00 (UTC+2 → UTC+1). From 00:30 UTC (02:30 local), 09:00 local is 08:00 UTC.
    expect(new Date(nextSendAt(Date.UTC(2026, 9, 25, 0, 30), 9, 'Europe/Madrid')).toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });
});
