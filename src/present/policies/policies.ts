import { gaussian } from '../../stats/random.ts';
import { learn as learnArm, newArm, predict, type RidgeArm } from './ridge.ts';

/** How a decision point chooses. Every kind but `uniform` keeps a floor of uniform exploration. */
export type PolicySpec =
  | { kind: 'uniform' }
  /** Context-free: the option with the best mean reward so far, else (ε of the time) any option. */
  | { kind: 'epsilon-greedy'; epsilon: number }
  /** Disjoint LinUCB (Li et al. 2010): θ̂·x + α√(xᵀA⁻¹x), the argmax except a `floor` share spread uniformly. */
  | { kind: 'linucb'; alpha: number; floor: number }
  /** Linear Thompson sampling (Agrawal & Goyal 2013): θ̃ ~ N(θ̂, v²A⁻¹), argmax θ̃·x; `samples` draws estimate the propensity. */
  | { kind: 'thompson'; v: number; floor: number; samples: number };

export const DEFAULT_POLICY: PolicySpec = { kind: 'linucb', alpha: 1, floor: 0.05 };

/** One option as a policy sees it: the key its arm is learnt under and its crossed feature vector. */
export interface PolicyOption {
  key: string;
  x: Float64Array;
}

/** The learnt state: one ridge arm per option key. */
export type Arms = Record<string, RidgeArm>;

export interface Choice {
  index: number;
  /** The chance the policy had of choosing this option (> 0 for every option). */
  propensity: number;
}

export function armOf(arms: Arms, key: string, d: number): RidgeArm {
  const a = arms[key];
  return a && a.d === d ? a : newArm(d);
}

/** The indices holding the largest value (all of them, so ties share the greedy chance). */
function argmaxAll(values: ArrayLike<number>): number[] {
  let best = -Infinity;
  let at: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] > best) {
      best = values[i];
      at = [i];
    } else if (values[i] === best) at.push(i);
  }
  return at.length ? at : Array.from({ length: values.length }, (_, i) => i);
}

/** Greedy over `scores` except a `floor` share spread uniformly: each option's chance. */
export function flooredGreedy(scores: ArrayLike<number>, floor: number): Float64Array {
  const k = scores.length;
  const p = new Float64Array(k).fill(floor / k);
  const top = argmaxAll(scores);
  for (const i of top) p[i] += (1 - floor) / top.length;
  return p;
}

/** An index drawn with the given probabilities. */
export function draw(p: Float64Array, rand: () => number): number {
  let u = rand();
  for (let i = 0; i < p.length; i++) {
    u -= p[i];
    if (u < 0) return i;
  }
  return p.length - 1;
}

/** Context-free means; an option never rewarded yet counts as best, so each is tried early. */
function means(arms: Arms, options: readonly PolicyOption[]): Float64Array {
  return Float64Array.from(options, (o) => {
    const a = arms[o.key];
    return a && a.n > 0 ? a.rewardSum / a.n : Infinity;
  });
}

export function ucbScores(arms: Arms, options: readonly PolicyOption[], alpha: number): Float64Array {
  const s = new Float64Array(options.length);
  for (let i = 0; i < options.length; i++) {
    const { mean, variance } = predict(armOf(arms, options[i].key, options[i].x.length), options[i].x);
    s[i] = mean + alpha * Math.sqrt(variance);
  }
  return s;
}

/** One Thompson draw per option: θ̃·x for θ̃ ~ N(θ̂, v²A⁻¹) is N(θ̂·x, v² xᵀA⁻¹x), each arm apart (disjoint). */
function thompsonDraw(stats: ReadonlyArray<{ mean: number; sd: number }>, rand: () => number, out = new Float64Array(stats.length)): Float64Array {
  for (let i = 0; i < stats.length; i++) out[i] = stats[i].mean + stats[i].sd * gaussian(rand);
  return out;
}

/**
 * Each option's chance under the policy. Exact for uniform, ε-greedy and LinUCB; for Thompson the
 * chance of winning the draw is estimated from `samples` seeded draws (then floored).
 */
export function probabilities(spec: PolicySpec, arms: Arms, options: readonly PolicyOption[], rand: () => number): Float64Array {
  const k = options.length;
  if (k === 0) throw new RangeError('no options to choose from');
  switch (spec.kind) {
    case 'uniform':
      return new Float64Array(k).fill(1 / k);
    case 'epsilon-greedy':
      return flooredGreedy(means(arms, options), spec.epsilon);
    case 'linucb':
      return flooredGreedy(ucbScores(arms, options, spec.alpha), spec.floor);
    case 'thompson': {
      const stats = thompsonStats(arms, options, spec.v);
      const wins = new Float64Array(k);
      const draws = new Float64Array(k);
      for (let s = 0; s < spec.samples; s++) {
        const top = argmaxAll(thompsonDraw(stats, rand, draws));
        for (const i of top) wins[i] += 1 / top.length;
      }
      return Float64Array.from(wins, (w) => (1 - spec.floor) * (w / spec.samples) + spec.floor / k);
    }
  }
}

function thompsonStats(arms: Arms, options: readonly PolicyOption[], v: number) {
  return options.map((o) => {
    const { mean, variance } = predict(armOf(arms, o.key, o.x.length), o.x);
    return { mean, sd: v * Math.sqrt(variance) };
  });
}

/**
 * Chooses one option and says with what chance. Thompson chooses by its own draw (the floor share
 * uniformly) and reports the estimated chance of that option; the others draw from their exact
 * probabilities.
 */
export function choose(spec: PolicySpec, arms: Arms, options: readonly PolicyOption[], rand: () => number): Choice {
  if (spec.kind !== 'thompson') {
    const p = probabilities(spec, arms, options, rand);
    const index = draw(p, rand);
    return { index, propensity: p[index] };
  }
  const k = options.length;
  if (k === 0) throw new RangeError('no options to choose from');
  let index: number;
  if (rand() < spec.floor) index = Math.min(k - 1, Math.floor(rand() * k));
  else {
    const top = argmaxAll(thompsonDraw(thompsonStats(arms, options, spec.v), rand));
    index = top[Math.min(top.length - 1, Math.floor(rand() * top.length))];
  }
  const p = probabilities(spec, arms, options, rand);
  return { index, propensity: p[index] };
}

/** Learns a reward for the option under `key` (its arm is created on its first reward). */
export function learnOption(arms: Arms, key: string, x: Float64Array, reward: number): void {
  const arm = armOf(arms, key, x.length);
  learnArm(arm, x, reward);
  arms[key] = arm;
}
