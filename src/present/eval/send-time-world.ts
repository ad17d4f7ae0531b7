import { rng } from '../../stats/random.ts';
import { CONTEXT_DIMS } from '../context.ts';
import { crossFeatures } from '../policies/features.ts';
import { hybridLearn, hybridProbabilities, newHybrid, type HybridState } from '../policies/hybrid.ts';
import { choose, draw, learnOption, type Arms, type PolicySpec } from '../policies/policies.ts';
import { activityByHour, hourFeatures, localTime } from '../send-time.ts';

/**
 * A seeded world of people with known active hours, to check the send-time point: each person lives
 * in a time zone and is active within an hour of their own peak hour (local time); a message opened
 * is likely when it arrives in those hours and unlikely otherwise. Their history is events at those
 * hours over the last weeks, which is all a policy sees of them.
 */
export interface SendTimePerson {
  timeZone: string;
  /** Local hour around which they are active (±1 hour). */
  peak: number;
  /** Past event times (UTC ms). */
  history: number[];
}

export const ZONES = ['UTC', 'Europe/Madrid', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata', 'America/Sao_Paulo'];
/** The chance a message is opened inside the person's active hours, and outside them. */
export const OPEN_ACTIVE = 0.5;
export const OPEN_IDLE = 0.05;

const hourDistance = (a: number, b: number) => Math.min(Math.abs(a - b), 24 - Math.abs(a - b));
export const isActive = (p: SendTimePerson, localHour: number) => hourDistance(p.peak, localHour) <= 1;

export function makePeople(seed: number, n: number, now: number, eventsEach = 30): SendTimePerson[] {
  const r = rng(seed);
  const people: SendTimePerson[] = [];
  for (let i = 0; i < n; i++) {
    const timeZone = ZONES[Math.floor(r() * ZONES.length)];
    const peak = Math.floor(r() * 24);
    const p: SendTimePerson = { timeZone, peak, history: [] };
    // Rejection sampling over the last 28 days: a random moment is kept when it falls in their hours.
    while (p.history.length < eventsEach) {
      const t = now - Math.floor(r() * 28 * 86_400_000);
      if (isActive(p, localTime(t, timeZone).hour)) p.history.push(t);
    }
    people.push(p);
  }
  return people;
}

export type SendTimePolicy = { kind: 'hybrid-linucb'; alpha: number; floor: number } | PolicySpec;

export interface SendTimeRun {
  rounds: number;
  opens: number;
  /** Sends that fell in the person's active hours. */
  inActiveHours: number;
  /** Per round, 1 when that send fell in the person's active hours. */
  hits: Uint8Array;
}

/**
 * Sends one message per round to a random person at the hour the policy chooses (all 24 offered, with
 * the person's activity per hour as the features the service gives them); the policy learns each
 * batch's opens at the end of the batch, as the service learns once the attribution window closes.
 * `openActive` and `openIdle` set the open chances (swapped, people open only outside their habits).
 */
export function runSendTime(
  people: readonly SendTimePerson[],
  policy: SendTimePolicy,
  rounds: number,
  seed: number,
  { batch = 100, openActive = OPEN_ACTIVE, openIdle = OPEN_IDLE } = {},
): SendTimeRun {
  const r = rng(seed);
  const activity = people.map((p) => activityByHour(p.history, p.timeZone));
  const context = new Float64Array(CONTEXT_DIMS);
  const own = crossFeatures(context);
  const arms: Arms = {};
  let hybrid: HybridState | undefined;
  const pending: Array<{ key: string; x: Float64Array; reward: number }> = [];
  const out: SendTimeRun = { rounds, opens: 0, inActiveHours: 0, hits: new Uint8Array(rounds) };
  for (let t = 0; t < rounds; t++) {
    const who = Math.floor(r() * people.length);
    const p = people[who];
    const options = Array.from({ length: 24 }, (_, h) => ({ key: String(h), x: crossFeatures(context, hourFeatures(activity[who], h)) }));
    let index: number;
    if (policy.kind === 'hybrid-linucb') {
      hybrid ??= newHybrid(own.length, options[0].x.length);
      const probs = hybridProbabilities(
        hybrid,
        options.map((o) => ({ key: o.key, x: own, z: o.x })),
        policy.alpha,
        policy.floor,
      );
      index = draw(probs, r);
    } else index = choose(policy, arms, options, r).index;
    const active = isActive(p, index);
    const reward = r() < (active ? openActive : openIdle) ? 1 : 0;
    out.opens += reward;
    out.inActiveHours += active ? 1 : 0;
    out.hits[t] = active ? 1 : 0;
    pending.push({ key: options[index].key, x: options[index].x, reward });
    if (pending.length >= batch || t === rounds - 1) {
      for (const d of pending.splice(0)) {
        if (hybrid) hybridLearn(hybrid, { key: d.key, x: own, z: d.x }, d.reward);
        else learnOption(arms, d.key, d.x, d.reward);
      }
    }
  }
  return out;
}
