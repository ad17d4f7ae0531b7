/**
 * The simulator's table: per arm, each metric with its 95 % interval, and each arm's uplift over the
 * control (`segment`). The statistics come in through {@link SimStatistics}, so the simulator uses
 * the project's statistics module rather than a copy of its own.
 */
import type { Interval } from '../stats/tests.ts';
import { CHAT_ARM, CONTROL_ARM, type Arm } from './arms.ts';
import type { ArmOutcome, SimulationResult } from './run.ts';

export type { Interval };

/** Treatment against control: the difference (treatment − control) and the relative uplift, each with its 95 % interval. */
export interface Comparison {
  difference: Interval;
  relative: Interval;
}

/** The statistics the table needs: each per-shopper metric is a mean (a share is a mean of 0s and 1s) or a ratio of sums. */
export interface SimStatistics {
  mean(xs: ArrayLike<number>): Interval;
  /** Σ numerators / Σ denominators over shoppers (e.g. revenue per order), by the delta method. */
  ratio(numerators: ArrayLike<number>, denominators: ArrayLike<number>): Interval;
  /** Two-proportion comparison. */
  compareShares(control: { successes: number; n: number }, treatment: { successes: number; n: number }): Comparison;
  /** Welch's comparison of means. */
  compareMeans(control: ArrayLike<number>, treatment: ArrayLike<number>): Comparison;
  /** Two ratios of sums, by the delta method. */
  compareRatios(control: { num: ArrayLike<number>; den: ArrayLike<number> }, treatment: { num: ArrayLike<number>; den: ArrayLike<number> }): Comparison;
}

export const METRICS = ['conversion', 'aov', 'revenuePerUser', 'activeDays', 'eventsPerUser', 'churn', 'nps', 'fit', 'wanted'] as const;
export type Metric = (typeof METRICS)[number];

/** How each metric reads in the table. */
export const METRIC_LABELS: Record<Metric, { label: string; unit: 'share' | 'eur' | 'number' | 'nps' | 'utility' }> = {
  conversion: { label: 'conversion (bought at least once)', unit: 'share' },
  aov: { label: 'average order value €', unit: 'eur' },
  revenuePerUser: { label: 'revenue per shopper €', unit: 'eur' },
  activeDays: { label: 'engagement: active days per shopper', unit: 'number' },
  eventsPerUser: { label: 'engagement: events per shopper', unit: 'number' },
  churn: { label: 'churn (left for good)', unit: 'share' },
  nps: { label: 'NPS (last answer per shopper)', unit: 'nps' },
  fit: { label: 'shown items fitting the true taste', unit: 'share' },
  // How much the shopper wants what they are shown, on the logit scale of the funnel: 0 is an item as
  // good as the ones they find themselves. "Fit" says the kind is right; this says how good the items are.
  wanted: { label: 'utility of shown items (0: as their own picks)', unit: 'utility' },
};

/** The per-shopper columns each metric is computed from. */
interface Columns {
  converted: Float64Array;
  orders: Float64Array;
  revenue: Float64Array;
  activeDays: Float64Array;
  events: Float64Array;
  churned: Float64Array;
  /** +100 promoter, 0 passive, -100 detractor, one per shopper who answered. */
  npsScores: Float64Array;
  /** Share of what each shopper was shown that fitted, one per shopper who was shown something. */
  fitShares: Float64Array;
  /** Mean utility of what each shopper was shown, relative to their own picks, one per shopper who was shown something. */
  wanted: Float64Array;
  n: number;
}

/** NPS as a mean: a promoter (9–10) counts +100, a detractor (0–6) −100, a passive 0. */
export function npsPoints(answer: number): number {
  return answer >= 9 ? 100 : answer <= 6 ? -100 : 0;
}

function columns(o: ArmOutcome): Columns {
  const n = o.visits.length;
  const npsScores: number[] = [];
  const fitShares: number[] = [];
  const wanted: number[] = [];
  for (let i = 0; i < n; i++) {
    if (o.nps[i] >= 0) npsScores.push(npsPoints(o.nps[i]));
    if (o.shown[i] > 0) {
      fitShares.push(o.fitting[i] / o.shown[i]);
      wanted.push(o.shownUtility[i] / o.shown[i]);
    }
  }
  return {
    converted: Float64Array.from(o.orders, (x) => (x > 0 ? 1 : 0)),
    orders: Float64Array.from(o.orders),
    revenue: Float64Array.from(o.revenue),
    activeDays: Float64Array.from(o.visits),
    events: Float64Array.from(o.events),
    churned: Float64Array.from(o.churned),
    npsScores: Float64Array.from(npsScores),
    fitShares: Float64Array.from(fitShares),
    wanted: Float64Array.from(wanted),
    n,
  };
}

const sum = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};

function estimate(stats: SimStatistics, c: Columns, m: Metric): Interval {
  switch (m) {
    case 'conversion':
      return stats.mean(c.converted);
    case 'aov':
      return stats.ratio(c.revenue, c.orders);
    case 'revenuePerUser':
      return stats.mean(c.revenue);
    case 'activeDays':
      return stats.mean(c.activeDays);
    case 'eventsPerUser':
      return stats.mean(c.events);
    case 'churn':
      return stats.mean(c.churned);
    case 'nps':
      return stats.mean(c.npsScores);
    case 'fit':
      return stats.mean(c.fitShares);
    case 'wanted':
      return stats.mean(c.wanted);
  }
}

function compare(stats: SimStatistics, a: Columns, b: Columns, m: Metric): Comparison {
  switch (m) {
    case 'conversion':
      return stats.compareShares({ successes: sum(a.converted), n: a.n }, { successes: sum(b.converted), n: b.n });
    case 'aov':
      return stats.compareRatios({ num: a.revenue, den: a.orders }, { num: b.revenue, den: b.orders });
    case 'revenuePerUser':
      return stats.compareMeans(a.revenue, b.revenue);
    case 'activeDays':
      return stats.compareMeans(a.activeDays, b.activeDays);
    case 'eventsPerUser':
      return stats.compareMeans(a.events, b.events);
    case 'churn':
      return stats.compareShares({ successes: sum(a.churned), n: a.n }, { successes: sum(b.churned), n: b.n });
    case 'nps':
      return stats.compareMeans(a.npsScores, b.npsScores);
    case 'fit':
      return stats.compareMeans(a.fitShares, b.fitShares);
    case 'wanted':
      return stats.compareMeans(a.wanted, b.wanted);
  }
}

export interface ArmRow {
  arm: Arm;
  shoppers: number;
  visits: number;
  metrics: Record<Metric, Interval>;
  /** Against the control; absent for the control itself, or when it is not among the arms. */
  uplift?: Record<Metric, Comparison>;
}

export interface Verdict {
  /** Whether both `personalized` and the control ran. */
  compared: boolean;
  /**
   * Personalized − segment conversion, shopper by shopper: the same shoppers live in both worlds, so
   * the difference of each one's outcome (−1, 0 or +1) is measured, and its mean's interval.
   */
  paired?: Interval;
  /** The same difference as two independent groups (the two-proportion test of a live A/B test). */
  unpaired?: Comparison;
  /** The paired 95 % interval lies above zero. */
  beats: boolean;
  /** When the chat arm ran: its conversion against the control, and against `personalized` alone, shopper by shopper. */
  chat?: { paired: Interval; beats: boolean; overPersonalized?: Interval };
  text: string;
}

export interface Analysis {
  control: Arm;
  rows: ArmRow[];
  verdict: Verdict;
}

const points = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(100 * x).toFixed(1)}`;
const range = (i: Interval) => `[${points(i.low)}, ${points(i.high)}]`;

const bought = (o: ArmOutcome, i: number) => (o.orders[i] > 0 ? 1 : 0);
/** Treatment − control conversion, shopper by shopper (the same shoppers live in every world). */
const pairedConversion = (stats: SimStatistics, treatment: ArmOutcome, control: ArmOutcome) =>
  stats.mean(Float64Array.from(treatment.orders, (_, i) => bought(treatment, i) - bought(control, i)));
/** Where a difference's 95 % interval lies, in words. */
const placed = (i: Interval, control: string) =>
  i.low > 0 ? 'the 95 % interval is above zero' : i.high < 0 ? `${control} converts more` : 'the 95 % interval includes zero: this run cannot tell them apart';

/** The chat arm's line: against the control, and what the assistant added to the personalized page. */
function chatLine(result: SimulationResult, stats: SimStatistics): { chat: Verdict['chat']; text: string } | null {
  const c = result.arms.find((o) => o.arm === CHAT_ARM);
  const s = result.arms.find((o) => o.arm === CONTROL_ARM);
  if (!c || !s) return null;
  const paired = pairedConversion(stats, c, s);
  const beats = paired.low > 0;
  const p = result.arms.find((o) => o.arm === 'personalized');
  const over = p ? pairedConversion(stats, c, p) : undefined;
  const text =
    `${CHAT_ARM} ${beats ? 'BEATS' : 'does NOT beat'} ${CONTROL_ARM} on conversion: ${points(paired.estimate)} points, shopper by shopper 95 % interval ${range(paired)} (${placed(paired, CONTROL_ARM)})` +
    (over ? `; against personalized alone ${points(over.estimate)} points ${range(over)} (${placed(over, 'personalized')}).` : '.');
  return { chat: { paired, beats, ...(over ? { overPersonalized: over } : {}) }, text };
}

function verdictOf(result: SimulationResult, stats: SimStatistics, rows: ArmRow[]): Verdict {
  const personal = rows.find((r) => r.arm === 'personalized');
  const p = result.arms.find((o) => o.arm === 'personalized');
  const s = result.arms.find((o) => o.arm === CONTROL_ARM);
  const chat = chatLine(result, stats);
  if (!p || !s || !personal?.uplift) {
    const text = `personalized vs ${CONTROL_ARM}: not compared (run both arms: --arms ${CONTROL_ARM},personalized)`;
    return { compared: false, beats: false, ...(chat ? { chat: chat.chat } : {}), text: chat ? `${text}\n${chat.text}` : text };
  }
  const paired = pairedConversion(stats, p, s);
  const unpaired = personal.uplift.conversion;
  const beats = paired.low > 0;
  const head = beats ? `personalized BEATS ${CONTROL_ARM} on conversion` : `personalized does NOT beat ${CONTROL_ARM} on conversion`;
  const why = placed(paired, CONTROL_ARM);
  // What the pages were like, the usual why: the right kind of item (fit), and how good the items were (utility).
  const control = rows.find((r) => r.arm === CONTROL_ARM)!;
  const fit = personal.uplift.fit.difference;
  const wanted = personal.uplift.wanted.difference;
  const signedUtility = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(2)}`;
  const text = [
    `${head}: ${points(paired.estimate)} points, shopper by shopper 95 % interval ${range(paired)} (${why}).`,
    `As two independent groups, as a live A/B test with different shoppers per arm would compute it: ${range(unpaired.difference)} points` +
      `${Number.isFinite(unpaired.relative.estimate) ? `, relative ${points(unpaired.relative.estimate)} % ${range(unpaired.relative)}` : ''}.`,
    `Its pages: ${(100 * personal.metrics.fit.estimate).toFixed(1)} % of shown items fit the shopper's true taste against ${(100 * control.metrics.fit.estimate).toFixed(1)} % (${points(fit.estimate)} points ${range(fit)}); ` +
      `their utility ${signedUtility(personal.metrics.wanted.estimate)} against ${signedUtility(control.metrics.wanted.estimate)} (${signedUtility(wanted.estimate)} [${signedUtility(wanted.low)}, ${signedUtility(wanted.high)}]; 0 is as good as the shopper's own picks).`,
    ...(chat ? [chat.text] : []),
  ].join('\n');
  return { compared: true, paired, unpaired, beats, ...(chat ? { chat: chat.chat } : {}), text };
}

/** The table for a simulation: each arm's metrics, each arm's uplift over `segment`, and the verdict. */
export function analyse(result: SimulationResult, stats: SimStatistics): Analysis {
  const cols = new Map(result.arms.map((o) => [o.arm, columns(o)]));
  const control = cols.get(CONTROL_ARM);
  const rows: ArmRow[] = result.arms.map((o) => {
    const c = cols.get(o.arm)!;
    const metrics = Object.fromEntries(METRICS.map((m) => [m, estimate(stats, c, m)])) as Record<Metric, Interval>;
    const row: ArmRow = { arm: o.arm, shoppers: c.n, visits: sum(o.visits), metrics };
    if (control && o.arm !== CONTROL_ARM) row.uplift = Object.fromEntries(METRICS.map((m) => [m, compare(stats, control, c, m)])) as Record<Metric, Comparison>;
    return row;
  });
  return { control: CONTROL_ARM, rows, verdict: verdictOf(result, stats, rows) };
}
