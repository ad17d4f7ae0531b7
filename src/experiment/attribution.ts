/**
 * Attribution: what each assigned person did after they were first served, as numbers per person —
 * the units the analysis compares. Pure: the service reads the assignments, exposures and events.
 *
 * An event counts for a person when it comes after their first exposure, no later than the end of the
 * analysis, and within the attribution window after an answer they were served (or when it cites one
 * of the experiment's answers by `recommendationId`, or names the variant as `<experiment>:<variant>`).
 */
import type { Experiment } from './schemas.ts';

const DAY = 86_400_000;

export interface AttributionInput {
  experiment: Pick<Experiment, 'key' | 'variants' | 'attributionWindowDays' | 'churnDays'>;
  /** Each recorded assignment, by person (a visitor who signed in already resolved to the user). */
  assignments: ReadonlyArray<{ person: string; variant: string; at: number }>;
  /** Each answer served under the experiment (its recommendationId), to whom, under which variant, when. */
  exposures: ReadonlyArray<{ id: string; person: string; variant: string; at: number }>;
  events: ReadonlyArray<{
    subject: string;
    type: string;
    itemId: string | null;
    value: number | null;
    recommendationId: string | null;
    variant: string | null;
    timestamp: number;
    orderId: string | null;
  }>;
  /** An item's price, for purchases sent without a `value`. */
  price: (itemId: string) => number | undefined;
  end: number;
  /** Days before the first exposure that make the pre-period (CUPED's covariate). */
  preDays: number;
}

/** What one person did in a period: the inputs of every metric. */
export interface Behaviour {
  addedToCart: number;
  converted: number;
  revenue: number;
  orders: number;
  purchases: number;
  returns: number;
  events: number;
  activeDays: number;
}

export interface PersonOutcome extends Behaviour {
  person: string;
  variant: string;
  firstExposure: number;
  /** Answers served and answers clicked through (a click or view citing the answer). */
  answers: number;
  clickedAnswers: number;
  /** Inactive for `churnDays` at the end; null when first served less than `churnDays` before the end. */
  churned: number | null;
  /** From the person's last survey: +1 promoter (9–10), 0 passive (7–8), −1 detractor (0–6); null without one. */
  npsScore: number | null;
  /** The same behaviour in the pre-period, for CUPED. */
  pre: Behaviour;
}

function emptyBehaviour(): Behaviour {
  return { addedToCart: 0, converted: 0, revenue: 0, orders: 0, purchases: 0, returns: 0, events: 0, activeDays: 0 };
}

type Ev = AttributionInput['events'][number];

function behaviourOf(events: readonly Ev[], price: AttributionInput['price']): Behaviour {
  const b = emptyBehaviour();
  const days = new Set<number>();
  const orders = new Set<string>();
  for (const e of events) {
    if (e.type === 'impression') continue; // sent by the page, not done by the person
    b.events++;
    days.add(Math.floor(e.timestamp / DAY));
    if (e.type === 'add_to_cart') b.addedToCart = 1;
    else if (e.type === 'purchase') {
      b.converted = 1;
      b.purchases++;
      b.revenue += e.value ?? (e.itemId ? price(e.itemId) : undefined) ?? 0;
      orders.add(e.orderId ?? `event:${b.purchases}`);
    } else if (e.type === 'return') b.returns++;
  }
  b.activeDays = days.size;
  b.orders = orders.size;
  return b;
}

function npsScoreOf(value: number): number {
  return value >= 9 ? 1 : value >= 7 ? 0 : -1;
}

/** The per-person outcomes of an experiment, one per assigned person (their earliest assignment). */
export function attribute(input: AttributionInput): PersonOutcome[] {
  const { experiment: exp, end } = input;
  const window = exp.attributionWindowDays * DAY;
  const known = new Set(exp.variants.map((v) => v.name));
  const first = new Map<string, { variant: string; at: number }>();
  for (const a of input.assignments) {
    if (!known.has(a.variant)) continue;
    const f = first.get(a.person);
    if (!f || a.at < f.at) first.set(a.person, { variant: a.variant, at: a.at });
  }
  const exposuresOf = new Map<string, number[]>();
  const answerOwner = new Map<string, string>();
  for (const x of input.exposures) {
    if (!first.has(x.person) || x.at > end) continue;
    let l = exposuresOf.get(x.person);
    if (!l) exposuresOf.set(x.person, (l = []));
    l.push(x.at);
    answerOwner.set(x.id, x.person);
  }
  for (const l of exposuresOf.values()) l.sort((a, b) => a - b);
  const eventsOf = new Map<string, Ev[]>();
  for (const e of input.events) {
    if (!first.has(e.subject)) continue;
    let l = eventsOf.get(e.subject);
    if (!l) eventsOf.set(e.subject, (l = []));
    l.push(e);
  }
  const variantTag = (v: string) => [`${exp.key}:${v}`, `${exp.key}/${v}`];

  const out: PersonOutcome[] = [];
  for (const [person, { variant, at: firstAt }] of first) {
    if (firstAt > end) continue;
    const times = exposuresOf.get(person) ?? [];
    const served = times.length ? times : [firstAt];
    const tags = new Set(variantTag(variant));
    const events = (eventsOf.get(person) ?? []).slice().sort((a, b) => a.timestamp - b.timestamp);
    const during: Ev[] = [];
    const before: Ev[] = [];
    const clicked = new Set<string>();
    let k = 0; // the latest answer at or before the event
    let survey: number | null = null;
    let lastActive = -Infinity;
    for (const e of events) {
      if (e.timestamp > end) continue;
      if (e.type !== 'impression') lastActive = Math.max(lastActive, e.timestamp);
      if (e.timestamp < firstAt) {
        if (e.timestamp >= firstAt - input.preDays * DAY) before.push(e);
        continue;
      }
      while (k + 1 < served.length && served[k + 1] <= e.timestamp) k++;
      const cited = e.recommendationId !== null && answerOwner.get(e.recommendationId) === person;
      const inWindow = served[k] <= e.timestamp && e.timestamp - served[k] <= window;
      if (!(inWindow || cited || (e.variant !== null && tags.has(e.variant)))) continue;
      during.push(e);
      if (cited && (e.type === 'click' || e.type === 'view')) clicked.add(e.recommendationId!);
      if (e.type === 'survey' && e.value !== null) survey = e.value;
    }
    const churnFrom = end - exp.churnDays * DAY;
    out.push({
      person,
      variant,
      firstExposure: firstAt,
      ...behaviourOf(during, input.price),
      answers: times.length,
      clickedAnswers: clicked.size,
      churned: firstAt <= churnFrom ? (lastActive > churnFrom ? 0 : 1) : null,
      npsScore: survey === null ? null : npsScoreOf(survey),
      pre: behaviourOf(before, input.price),
    });
  }
  return out;
}
