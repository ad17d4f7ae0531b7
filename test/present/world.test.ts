import { describe, expect, it } from 'vitest';
import { clickChance, makeWorld, runOnline, trueValue, uniformLog } from '../../src/present/eval/world.ts';
import { parseArgs } from '../../src/present/eval/run.ts';
import { snips, withInterval } from '../../src/present/ope.ts';
import { crossLog, servedShares, type ObdLog } from '../../src/present/eval/obd.ts';
import { ips } from '../../src/present/ope.ts';

describe('the simulated world', () => {
  const world = makeWorld(3);
  it('has click chances that depend on the context', () => {
    const a = clickChance(world, Float64Array.of(2, 0, 0, 0), 0);
    const b = clickChance(world, Float64Array.of(-2, 0, 0, 0), 0);
    expect(a).not.toBeCloseTo(b, 3);
  });

  it('LinUCB and Thompson beat uniform and context-free ε-greedy online, the same for a seed', () => {
    const u = runOnline(world, 'u', { kind: 'uniform' }, 2000, 1);
    const e = runOnline(world, 'e', { kind: 'epsilon-greedy', epsilon: 0.1 }, 2000, 1);
    const l = runOnline(world, 'l', { kind: 'linucb', alpha: 1, floor: 0.05 }, 2000, 1);
    const t = runOnline(world, 't', { kind: 'thompson', v: 0.5, floor: 0.05, samples: 16 }, 2000, 1);
    for (const good of [l, t]) for (const base of [u, e]) expect(good.clicks).toBeGreaterThan(base.clicks);
    expect(runOnline(world, 'l', { kind: 'linucb', alpha: 1, floor: 0.05 }, 2000, 1).clicks).toBe(l.clicks);
  });

  it("a uniform log's SNIPS interval covers a frozen policy's true value", () => {
    const spec = { kind: 'linucb', alpha: 1, floor: 0.05 } as const;
    const run = runOnline(world, 'l', spec, 1500, 2);
    const truth = trueValue(world, spec, run.arms, 5000, 4);
    const e = withInterval(snips, uniformLog(world, spec, run.arms, 3000, 5), 6);
    expect(e.low).toBeLessThanOrEqual(truth);
    expect(e.high).toBeGreaterThanOrEqual(truth);
  });
});

describe('Open Bandit helpers', () => {
  // Two slots, three items: slot 0 served items 0, 0, 1; slot 1 served 2.
  const log: ObdLog = {
    n: 4,
    items: 3,
    item: Int32Array.of(0, 0, 1, 2),
    position: Int32Array.of(0, 0, 0, 1),
    click: Float64Array.of(1, 0, 0, 1),
    propensity: Float64Array.of(0.5, 0.5, 0.25, 1),
  };
  it("servedShares is each item's share of its slot", () => {
    expect([...servedShares(log, 3)].map((v) => +v.toFixed(12))).toEqual([+(2 / 3).toFixed(12), +(1 / 3).toFixed(12), 0, 0, 0, 1]);
  });
  it("crossLog sets each row's target to its slot's shares", () => {
    const shares = Float64Array.of(1, 0, 0, 0, 0, 1);
    const l = crossLog(log, 3, shares, 1);
    // weights: 1/0.5, 1/0.5, 0/0.25, 1/1 → IPS = (2·1 + 2·0 + 0 + 1·1)/4 = 0.75
    expect(ips(l, Int32Array.of(0, 1, 2, 3))).toBeCloseTo(0.75, 12);
    expect([...l.targetAction!]).toEqual([0, 0, 0, 2]);
  });
});

describe('afin eval bandit arguments', () => {
  it('reads the options and refuses unknown ones', () => {
    expect(parseArgs(['--seed', '4', '--rounds', '100'])).toMatchObject({ seed: 4, rounds: 100 });
    expect(parseArgs(['--nope'])).toMatch(/unknown option/);
    expect(parseArgs(['--rounds', '-1'])).toMatch(/positive/);
  });
});
