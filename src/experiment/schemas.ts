/** The experiment routes' bodies and the stored experiment's shape. */
import { z } from 'zod';
import { CONTEXTS, Text } from '../domain/schemas.ts';
import { RankingSettings } from '../recommend/rules.ts';
import { STRATEGIES } from '../recommend/schemas.ts';

/** What an experiment can measure per variant (see metrics.ts for each definition). */
export const METRICS = [
  'conversion',
  'ctr',
  'addToCartRate',
  'revenuePerUser',
  'aov',
  'eventsPerUser',
  'activeDaysPerUser',
  'churn',
  'returnRate',
  'nps',
] as const;
export type MetricName = (typeof METRICS)[number];

/** Keys name experiments in URLs: short, URL-safe. `global-holdout` is the workspace holdout's. */
export const GLOBAL_HOLDOUT_KEY = 'global-holdout';
export const ExperimentKey = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes or underscores, starting with a letter or digit');

export const Variant = z
  .object({
    name: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes or underscores'),
    weight: z.number().finite().positive().max(1_000_000),
    strategy: z.enum(STRATEGIES),
    /** `personalized`: the model that scores (default: the workspace's default model). */
    model: z.string().min(1).max(64).optional(),
    /** `personalized`: ranking settings laid over the workspace's for this variant. */
    settings: RankingSettings.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.strategy !== 'personalized' && (v.model !== undefined || v.settings !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [v.model !== undefined ? 'model' : 'settings'], message: 'only a personalized variant takes a model or settings' });
    }
  });
export type VariantT = z.infer<typeof Variant>;

export const ExperimentBody = z
  .object({
    key: ExperimentKey.refine(
      (k) => k !== GLOBAL_HOLDOUT_KEY,
      `"${GLOBAL_HOLDOUT_KEY}" is the workspace holdout's key (set it with PUT /v1/settings/experiments)`,
    ),
    name: Text(200).optional(),
    description: Text(2000).optional(),
    variants: z
      .array(Variant)
      .min(2, 'an experiment needs at least two variants')
      .max(10)
      .superRefine((vs, ctx) => {
        const seen = new Set<string>();
        vs.forEach((v, i) => {
          if (seen.has(v.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `variant "${v.name}" is named twice` });
          seen.add(v.name);
        });
      }),
    /** The variant the others are compared with (default: the first). */
    control: z.string().min(1).max(64).optional(),
    primaryMetric: z.enum(METRICS).default('conversion'),
    guardrailMetrics: z.array(z.enum(METRICS)).max(METRICS.length).default([]),
    /** Events count for a person this many days after each answer they were served. */
    attributionWindowDays: z.number().finite().min(0.01).max(90).default(7),
    /** A person is churned when inactive this many days (at least this long after their first exposure). */
    churnDays: z.number().int().min(1).max(365).default(14),
    /** The page contexts the experiment serves (default: all). */
    contexts: z.array(z.enum(CONTEXTS)).min(1).max(CONTEXTS.length).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.control !== undefined && !b.variants.some((v) => v.name === b.control))
      ctx.addIssue({ code: 'custom', path: ['control'], message: `no variant is named "${b.control}"` });
  });
export type ExperimentBodyT = z.infer<typeof ExperimentBody>;

export const EXPERIMENT_STATUSES = ['draft', 'running', 'paused', 'stopped'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/** An experiment as stored and answered. */
export interface Experiment extends Omit<ExperimentBodyT, 'control'> {
  control: string;
  status: ExperimentStatus;
  createdAt: number;
  startedAt: number | null;
  stoppedAt: number | null;
  /** Each pause and resume, for the record. */
  history: Array<{ status: ExperimentStatus; at: number }>;
}

/** The workspace's experiment settings: the global holdout. */
export const ExperimentSettingsBody = z
  .object({
    /** The share of people (0–0.5) who never get Afín's recommendations, in or out of experiments. */
    globalHoldout: z.number().finite().min(0).max(0.5),
    /** What the holdout is served: nothing (`none`, the default) or the shop's best sellers (`popular`). */
    holdoutStrategy: z.enum(['none', 'popular']).default('none'),
  })
  .strict();
export type ExperimentSettingsT = z.infer<typeof ExperimentSettingsBody>;

export const ResultsQuery = z
  .object({
    /** Analyse up to this time (ISO 8601 or epoch ms; default now, or when the experiment stopped). */
    until: z.string().max(64).optional(),
  })
  .strict();

export const ListQuery = z.object({ status: z.enum(EXPERIMENT_STATUSES).optional() }).strict();
