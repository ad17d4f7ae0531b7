/**
 * The serving pipeline's optional stages, by name. Each can be turned on or off per workspace
 * (`PUT /v1/settings/ranking { stages: { diversity: false } }`), which is also how `afin eval --ablate`
 * measures what each one adds to the served answer.
 */
export const STAGES = {
  recency: "older history events count less (half-life counted back from the person's latest event)",
  context: 'on an item page or in the cart, what is in view adds an item-to-item source',
  trend: 'a small trending prior breaks ties and fills short lists',
  seenDiscount: 'items the person already looked at come after unseen ones (off unless turned on)',
  funnel: 'the funnel stage shapes the list (discovery for browsers, cross-sell for customers)',
  priceBand: "items far outside the person's price band sink, softly",
  language: "items in the person's reading language come first when the catalogue has both",
  rebuy: 'items the person buys again and again come back when they are due',
  diversity: 'no category fills more than maxCategoryShare of the page',
} as const;

export type StageName = keyof typeof STAGES;
export const STAGE_NAMES = Object.keys(STAGES) as StageName[];

/**
 * Stages a workspace must turn on. `seenDiscount`: what a shopper looked at is mostly what they chose
 * from their own favourite types, the best fits there are; sinking it filled the page with weaker,
 * unseen items. On the simulator's validation seeds (11 and 12, never 7-9) turning it off raised the
 * hidden utility of shown items by +0.33 and +0.43 and the share that fits from 31 % to 43 % and 34 %
 * to 50 % (see README, Simulator).
 */
export const OFF_BY_DEFAULT: ReadonlySet<StageName> = new Set<StageName>(['seenDiscount']);

/** Whether a stage runs under these settings (on unless turned off; `OFF_BY_DEFAULT` ones off unless turned on). */
export function stageOn(stages: Partial<Record<StageName, boolean>> | undefined, name: StageName): boolean {
  return stages?.[name] ?? !OFF_BY_DEFAULT.has(name);
}
