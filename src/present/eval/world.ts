import { gaussian, rng } from '../../stats/random.ts';
import { choose, learnOption, probabilities, type Arms, type PolicyOption, type PolicySpec } from '../policies/policies.ts';
import { crossFeatures } from '../policies/features.ts';
import { meanRewardModel, type OpeLog } from '../ope.ts';

/**
 * A seeded contextual world whose truth is known: each person arrives with a context vector, each
 * option's click chance is a logistic function of it with the option's own hidden weights, so which
 * option is best depends on who is looking.
 */
export interface World {
  k: number;
  dims: number;
  /** Hidden weights, k × (1 + dims): a bias, then one weight per context feature. */
  weights: Float64Array;
  seed: number;
}

export function makeWorld(seed: number, k = 5, dims = 4): World {
  const r = rng(seed);
  const weights = new Float64Array(k * (1 + dims));
  for (let a = 0; a < k; a++) {
    weights[a * (1 + dims)] = -1.5 + 0.3 * gaussian(r);
    for (let j = 1; j <= dims; j++) weights[a * (1 + dims) + j] = 0.9 * gaussian(r);
  }
  return { k, dims, weights, seed };
}

export function drawContext(world: World, r: () => number): Float64Array {
  return Float64Array.from({ length: world.dims }, () => gaussian(r));
}

/** The true click chance of option a for context c. */
export function clickChance(world: World, c: Float64Array, a: number): number {
  const w = world.weights;
  const o = a * (1 + world.dims);
  let z = w[o];
  for (let j = 0; j < world.dims; j++) z += w[o + 1 + j] * c[j];
  return 1 / (1 + Math.exp(-z));
}

const optionsFor = (world: World, c: Float64Array): PolicyOption[] => {
  const x = crossFeatures(c);
  return Array.from({ length: world.k }, (_, a) => ({ key: `o${a}`, x }));
};

export interface OnlineRun {
  policy: string;
  rounds: number;
  clicks: number;
  /** The clicks the best option every round would have earned in expectation. */
  oracle: number;
  /** The arms at the end: the frozen policy the estimators are checked on. */
  arms: Arms;
}

/**
 * Runs a policy online for `rounds` people. Contexts and click draws come from the world's seed, the
 * same for every policy (common random numbers), so differences are the policies'.
 */
export function runOnline(world: World, name: string, spec: PolicySpec, rounds: number, seed: number): OnlineRun {
  const worldRand = rng(world.seed * 7919 + 1);
  const policyRand = rng(seed);
  const arms: Arms = {};
  let clicks = 0,
    oracle = 0;
  for (let t = 0; t < rounds; t++) {
    const c = drawContext(world, worldRand);
    const u = worldRand();
    const options = optionsFor(world, c);
    const { index } = choose(spec, arms, options, policyRand);
    const reward = u < clickChance(world, c, index) ? 1 : 0;
    clicks += reward;
    let best = 0;
    for (let a = 0; a < world.k; a++) best = Math.max(best, clickChance(world, c, a));
    oracle += best;
    learnOption(arms, options[index].key, options[index].x, reward);
  }
  return { policy: name, rounds, clicks, oracle, arms };
}

/** A frozen policy's true value: Σ_a π(a|c) μ(c,a), averaged over `samples` fresh contexts. */
export function trueValue(world: World, spec: PolicySpec, arms: Arms, samples: number, seed: number): number {
  const r = rng(seed);
  let s = 0;
  for (let i = 0; i < samples; i++) {
    const c = drawContext(world, r);
    const p = probabilities(spec, arms, optionsFor(world, c), r);
    for (let a = 0; a < world.k; a++) s += p[a] * clickChance(world, c, a);
  }
  return s / samples;
}

/**
 * A log of `n` rounds chosen uniformly at random, with a frozen target policy's probabilities (and one
 * draw from them, for replay) and the mean-reward model for doubly robust.
 */
export function uniformLog(world: World, spec: PolicySpec, arms: Arms, n: number, seed: number): OpeLog {
  const r = rng(seed);
  const k = world.k;
  const action = new Int32Array(n),
    reward = new Float64Array(n),
    target = new Float64Array(n * k),
    targetAction = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = drawContext(world, r);
    action[i] = Math.min(k - 1, Math.floor(r() * k));
    reward[i] = r() < clickChance(world, c, action[i]) ? 1 : 0;
    const p = probabilities(spec, arms, optionsFor(world, c), r);
    target.set(p, i * k);
    let u = r(),
      a = 0;
    for (; a < k - 1; a++) {
      u -= p[a];
      if (u < 0) break;
    }
    targetAction[i] = a;
  }
  const base = { n, k, action, reward };
  return { ...base, propensity: new Float64Array(n).fill(1 / k), target, targetAction, q: meanRewardModel(base) };
}
