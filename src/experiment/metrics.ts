/**
 * The metrics an experiment reports per variant, each defined over the per-person outcomes of
 * attribution. A person is the unit of randomisation, so every metric is either a per-person
 * proportion or mean, or a ratio of per-person sums (analysed by the delta method).
 */
import type { Behaviour, PersonOutcome } from './attribution.ts';
import type { MetricName } from './schemas.ts';

interface Common {
  name: MetricName;
  label: string;
  /** Whether a larger value is better (churn and returns: smaller is). */
  direction: 'higher' | 'lower';
  /** How the value is shown: a share as %, an NPS in points (×100), else as it is. */
  display: 'percent' | 'nps' | 'number';
}

/** Per person 0 or 1 (null: not counted, such as churn for someone served too recently). */
export interface ProportionMetric extends Common {
  kind: 'proportion';
  value: (o: PersonOutcome) => number | null;
  pre?: (b: Behaviour) => number;
}
/** Per person a number (null: not counted, such as NPS for someone who never answered a survey). */
export interface MeanMetric extends Common {
  kind: 'mean';
  value: (o: PersonOutcome) => number | null;
  pre?: (b: Behaviour) => number;
}
/** Σ numerator / Σ denominator over people. */
export interface RatioMetric extends Common {
  kind: 'ratio';
  numerator: (o: PersonOutcome) => number;
  denominator: (o: PersonOutcome) => number;
}
export type Metric = ProportionMetric | MeanMetric | RatioMetric;

export const METRIC_DEFINITIONS: Readonly<Record<MetricName, Metric>> = {
  conversion: {
    name: 'conversion',
    label: 'conversion (share who bought)',
    kind: 'proportion',
    direction: 'higher',
    display: 'percent',
    value: (o) => o.converted,
    pre: (b) => b.converted,
  },
  ctr: {
    name: 'ctr',
    label: 'click-through (answers clicked / answers served)',
    kind: 'ratio',
    direction: 'higher',
    display: 'percent',
    numerator: (o) => o.clickedAnswers,
    denominator: (o) => o.answers,
  },
  addToCartRate: {
    name: 'addToCartRate',
    label: 'add-to-cart rate (share who added to cart)',
    kind: 'proportion',
    direction: 'higher',
    display: 'percent',
    value: (o) => o.addedToCart,
    pre: (b) => b.addedToCart,
  },
  revenuePerUser: {
    name: 'revenuePerUser',
    label: 'revenue per person',
    kind: 'mean',
    direction: 'higher',
    display: 'number',
    value: (o) => o.revenue,
    pre: (b) => b.revenue,
  },
  aov: {
    name: 'aov',
    label: 'average order value (revenue / orders)',
    kind: 'ratio',
    direction: 'higher',
    display: 'number',
    numerator: (o) => o.revenue,
    denominator: (o) => o.orders,
  },
  eventsPerUser: {
    name: 'eventsPerUser',
    label: 'engagement: events per person',
    kind: 'mean',
    direction: 'higher',
    display: 'number',
    value: (o) => o.events,
    pre: (b) => b.events,
  },
  activeDaysPerUser: {
    name: 'activeDaysPerUser',
    label: 'engagement: active days per person',
    kind: 'mean',
    direction: 'higher',
    display: 'number',
    value: (o) => o.activeDays,
    pre: (b) => b.activeDays,
  },
  churn: { name: 'churn', label: 'churn (share inactive for churnDays)', kind: 'proportion', direction: 'lower', display: 'percent', value: (o) => o.churned },
  returnRate: {
    name: 'returnRate',
    label: 'returns (returns / purchases)',
    kind: 'ratio',
    direction: 'lower',
    display: 'percent',
    numerator: (o) => o.returns,
    denominator: (o) => o.purchases,
  },
  nps: { name: 'nps', label: 'NPS (promoters − detractors, of survey answers)', kind: 'mean', direction: 'higher', display: 'nps', value: (o) => o.npsScore },
};
