/**
 * The results of an experiment: per metric and variant against control, the difference and relative
 * uplift with 95 % intervals, the p-value, the Bayesian chance to beat control, CUPED where the
 * pre-period has data, and the sample-ratio-mismatch check. Pure: it takes the per-person outcomes.
 */
import { chanceToBeatNormal, chanceToBeatProportion } from '../stats/bayes.ts';
import { cuped } from '../stats/cuped.ts';
import { normalCdf } from '../stats/distributions.ts';
import { differenceInterval, ratioEstimate, relativeUplift } from '../stats/ratio.ts';
import { sampleRatioMismatch, SRM_THRESHOLD } from '../stats/srm.ts';
import { momentsOf } from '../stats/summary.ts';
import { twoProportionZTest, welchTTest, type Interval, type TestResult } from '../stats/tests.ts';
import type { PersonOutcome } from './attribution.ts';
import { METRIC_DEFINITIONS, type Metric } from './metrics.ts';
import type { Experiment, MetricName } from './schemas.ts';

/** A comparison needs at least this many people counted in each group. */
export const MIN_PEOPLE = 2;

export interface VariantValue {
  variant: string;
  /** The metric's value: a share, a mean or a ratio (NPS as a mean score from −1 to 1). */
  value: number | null;
  /** People counted (for a ratio, people with a non-zero denominator… all assigned people count). */
  n: number;
}

export interface Comparison {
  variant: string;
  /** Treatment − control, in the metric's unit, with its 95 % interval. */
  difference: Interval | null;
  /** Treatment / control − 1, with its 95 % interval (null when the control's value is 0). */
  uplift: Interval | null;
  pValue: number | null;
  /** The posterior probability that this variant is better than control (direction-aware). */
  chanceToBeatControl: number | null;
  /** Whether the 95 % interval of the difference excludes 0. */
  significant: boolean;
  /** The same comparison after CUPED, when the pre-period has data for this metric. */
  cuped?: { difference: Interval; uplift: Interval | null; pValue: number; varianceReduction: number; theta: number };
}

export interface MetricResult {
  metric: MetricName;
  label: string;
  kind: Metric['kind'];
  direction: Metric['direction'];
  display: Metric['display'];
  primary: boolean;
  guardrail: boolean;
  values: VariantValue[];
  comparisons: Comparison[];
}

export interface ExperimentResults {
  experiment: Pick<Experiment, 'key' | 'status' | 'control' | 'primaryMetric' | 'guardrailMetrics' | 'attributionWindowDays'> & {
    startedAt: string | null;
    stoppedAt: string | null;
  };
  analysedUntil: string;
  people: number;
  variants: Array<{ name: string; strategy: string; weight: number; people: number; answers: number }>;
  srm: { chiSquared: number; pValue: number; mismatch: boolean; threshold: number; observed: Record<string, number>; expected: Record<string, number> };
  metrics: MetricResult[];
  /** Plain sentences: the SRM verdict, the primary metric's verdict per variant, guardrails that got worse. */
  summary: string[];
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const clean = (i: Interval): Interval => ({ estimate: i.estimate, low: i.low, high: i.high });
const finiteInterval = (i: Interval | null): Interval | null =>
  i && Number.isFinite(i.estimate) && Number.isFinite(i.low) && Number.isFinite(i.high) ? clean(i) : null;

/** The values of a per-person metric in one group, leaving out people it does not count (null). */
function valuesOf(people: readonly PersonOutcome[], f: (o: PersonOutcome) => number | null): { y: number[]; rows: PersonOutcome[] } {
  const y: number[] = [];
  const rows: PersonOutcome[] = [];
  for (const o of people) {
    const v = f(o);
    if (v === null || !Number.isFinite(v)) continue;
    y.push(v);
    rows.push(o);
  }
  return { y, rows };
}

/** Compares one variant's people with control's on one metric. */
export function compare(
  metric: Metric,
  control: readonly PersonOutcome[],
  treatment: readonly PersonOutcome[],
  cupedTheta?: { theta: number; xMean: number; varianceReduction: number },
): { control: VariantValue; treatment: VariantValue; comparison: Omit<Comparison, 'variant'> } {
  const better = (p: number) => (metric.direction === 'higher' ? p : 1 - p);
  if (metric.kind === 'ratio') {
    const est = (ps: readonly PersonOutcome[]) => {
      const r = ratioEstimate(ps.map(metric.numerator), ps.map(metric.denominator));
      return { estimate: r.ratio, variance: r.variance, n: ps.length };
    };
    const a = est(control);
    const b = est(treatment);
    const ok =
      a.n >= MIN_PEOPLE &&
      b.n >= MIN_PEOPLE &&
      Number.isFinite(a.estimate) &&
      Number.isFinite(b.estimate) &&
      Number.isFinite(a.variance) &&
      Number.isFinite(b.variance);
    const diff = ok ? differenceInterval(a, b) : null;
    const p = diff && diff.se > 0 ? 2 * normalCdf(-Math.abs(diff.estimate / diff.se)) : null;
    return {
      control: { variant: '', value: finite(a.estimate), n: a.n },
      treatment: { variant: '', value: finite(b.estimate), n: b.n },
      comparison: {
        difference: diff ? finiteInterval(diff) : null,
        uplift: ok ? finiteInterval(relativeUplift(a, b)) : null,
        pValue: p,
        chanceToBeatControl: diff ? better(chanceToBeatNormal(diff.estimate, diff.se)) : null,
        significant: diff !== null && (diff.low > 0 || diff.high < 0),
      },
    };
  }
  const a = valuesOf(control, metric.value);
  const b = valuesOf(treatment, metric.value);
  const ma = momentsOf(a.y);
  const mb = momentsOf(b.y);
  const value = (m: typeof ma): VariantValue => ({ variant: '', value: m.n ? m.mean : null, n: m.n });
  if (ma.n < MIN_PEOPLE || mb.n < MIN_PEOPLE) {
    return {
      control: value(ma),
      treatment: value(mb),
      comparison: { difference: null, uplift: null, pValue: null, chanceToBeatControl: null, significant: false },
    };
  }
  let test: TestResult;
  let chance: number;
  if (metric.kind === 'proportion') {
    const xa = a.y.reduce((s, v) => s + v, 0);
    const xb = b.y.reduce((s, v) => s + v, 0);
    test = twoProportionZTest(xa, ma.n, xb, mb.n);
    chance = better(chanceToBeatProportion(xa, ma.n, xb, mb.n));
  } else {
    test = welchTTest(ma, mb);
    chance = better(chanceToBeatNormal(test.difference.estimate, Math.sqrt(ma.variance / ma.n + mb.variance / mb.n)));
  }
  const uplift = relativeUplift({ estimate: ma.mean, variance: ma.variance / ma.n }, { estimate: mb.mean, variance: mb.variance / mb.n });
  const comparison: Omit<Comparison, 'variant'> = {
    difference: finiteInterval(test.difference),
    uplift: finiteInterval(uplift),
    pValue: finite(test.pValue),
    chanceToBeatControl: finite(chance),
    significant: test.difference.low > 0 || test.difference.high < 0,
  };
  if (cupedTheta && metric.pre) {
    const pre = metric.pre;
    const adj = (rows: PersonOutcome[], y: number[]) => y.map((v, i) => v - cupedTheta.theta * (pre(rows[i].pre) - cupedTheta.xMean));
    const ca = momentsOf(adj(a.rows, a.y));
    const cb = momentsOf(adj(b.rows, b.y));
    const t = welchTTest(ca, cb);
    comparison.cuped = {
      difference: clean(t.difference),
      uplift: finiteInterval(relativeUplift({ estimate: ca.mean, variance: ca.variance / ca.n }, { estimate: cb.mean, variance: cb.variance / cb.n })),
      pValue: t.pValue,
      varianceReduction: cupedTheta.varianceReduction,
      theta: cupedTheta.theta,
    };
  }
  return { control: value(ma), treatment: value(mb), comparison };
}

/** θ for CUPED over everyone the metric counts, or undefined when the pre-period has no data for it. */
function cupedFit(metric: Metric, people: readonly PersonOutcome[]) {
  if (metric.kind === 'ratio' || !metric.pre) return undefined;
  const { y, rows } = valuesOf(people, metric.value);
  const x = rows.map((o) => metric.pre!(o.pre));
  if (!x.some((v) => v !== x[0])) return undefined; // no pre-period variation: nothing to adjust with
  const fit = cuped(y, x);
  return { theta: fit.theta, xMean: x.reduce((s, v) => s + v, 0) / x.length, varianceReduction: fit.varianceReduction };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const chancePct = (p: number) => (p > 0.999 ? 'above 99.9 %' : p < 0.001 ? 'below 0.1 %' : pct(p));

/** The whole analysis of an experiment's per-person outcomes. */
export function analyse(exp: Experiment, outcomes: readonly PersonOutcome[], opts: { end: number; metrics?: readonly MetricName[] }): ExperimentResults {
  const byVariant = new Map<string, PersonOutcome[]>(exp.variants.map((v) => [v.name, []]));
  for (const o of outcomes) byVariant.get(o.variant)?.push(o);
  const counts = exp.variants.map((v) => byVariant.get(v.name)!.length);
  const srm = sampleRatioMismatch(
    counts,
    exp.variants.map((v) => v.weight),
  );
  const names: MetricName[] = [
    ...new Set<MetricName>([exp.primaryMetric, ...exp.guardrailMetrics, ...(opts.metrics ?? (Object.keys(METRIC_DEFINITIONS) as MetricName[]))]),
  ];
  const control = byVariant.get(exp.control) ?? [];
  const metrics: MetricResult[] = names.map((name) => {
    const m = METRIC_DEFINITIONS[name];
    const theta = cupedFit(m, outcomes);
    const values: VariantValue[] = [];
    const comparisons: Comparison[] = [];
    let controlValue: VariantValue | null = null;
    for (const v of exp.variants) {
      const r = compare(m, control, byVariant.get(v.name)!, theta);
      controlValue ??= { ...r.control, variant: exp.control };
      if (v.name === exp.control) continue;
      values.push({ ...r.treatment, variant: v.name });
      comparisons.push({ variant: v.name, ...r.comparison });
    }
    if (controlValue) values.unshift(controlValue);
    return {
      metric: name,
      label: m.label,
      kind: m.kind,
      direction: m.direction,
      display: m.display,
      primary: name === exp.primaryMetric,
      guardrail: exp.guardrailMetrics.includes(name),
      values,
      comparisons,
    };
  });

  const summary: string[] = [];
  summary.push(
    srm.mismatch
      ? `Sample ratio mismatch (p = ${srm.pValue.toExponential(2)} < ${SRM_THRESHOLD}): the variants' sizes do not fit their weights, so no figure below can be trusted until the cause (assignment, logging, bots) is found.`
      : `Sample ratio OK (p = ${srm.pValue.toFixed(3)}).`,
  );
  const primary = metrics.find((r) => r.primary)!;
  for (const c of primary.comparisons) {
    const u = c.cuped?.uplift ?? c.uplift;
    if (!u || c.pValue === null) {
      summary.push(`${c.variant}: not enough data on ${primary.metric} yet.`);
      continue;
    }
    const sig = c.cuped ? c.cuped.difference.low > 0 || c.cuped.difference.high < 0 : c.significant;
    const good = primary.direction === 'higher' ? u.estimate > 0 : u.estimate < 0;
    summary.push(
      `${c.variant} vs ${exp.control} on ${primary.metric}: ${u.estimate >= 0 ? '+' : ''}${pct(u.estimate)} (95 % interval ${pct(u.low)} to ${pct(u.high)}${c.cuped ? ', CUPED' : ''}), chance to beat control ${chancePct(c.chanceToBeatControl ?? 0)}: ${sig ? (good ? 'better' : 'worse') : 'no significant difference'}.`,
    );
  }
  for (const g of metrics.filter((r) => r.guardrail)) {
    for (const c of g.comparisons) {
      if (!c.significant || !c.difference) continue;
      const worse = g.direction === 'higher' ? c.difference.high < 0 : c.difference.low > 0;
      if (worse) summary.push(`Guardrail ${g.metric} is significantly worse for ${c.variant} (p = ${c.pValue?.toFixed(4)}).`);
    }
  }
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    experiment: {
      key: exp.key,
      status: exp.status,
      control: exp.control,
      primaryMetric: exp.primaryMetric,
      guardrailMetrics: exp.guardrailMetrics,
      attributionWindowDays: exp.attributionWindowDays,
      startedAt: iso(exp.startedAt),
      stoppedAt: iso(exp.stoppedAt),
    },
    analysedUntil: new Date(opts.end).toISOString(),
    people: outcomes.length,
    variants: exp.variants.map((v, i) => ({
      name: v.name,
      strategy: v.strategy,
      weight: v.weight,
      people: counts[i],
      answers: byVariant.get(v.name)!.reduce((s, o) => s + o.answers, 0),
    })),
    srm: {
      chiSquared: srm.chiSquared,
      pValue: srm.pValue,
      mismatch: srm.mismatch,
      threshold: SRM_THRESHOLD,
      observed: Object.fromEntries(exp.variants.map((v, i) => [v.name, counts[i]])),
      expected: Object.fromEntries(exp.variants.map((v, i) => [v.name, srm.expected[i]])),
    },
    metrics,
    summary,
  };
}
