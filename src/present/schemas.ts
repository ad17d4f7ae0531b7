/** The decision routes' bodies and the stored decision point's shape. */
import { z } from 'zod';
import { EVENT_TYPES, Id, Text } from '../domain/schemas.ts';
import { HOURS, isTimeZone, SEND_TIME_POINT } from './send-time.ts';

/** Decision points name themselves in URLs: short, URL-safe. */
export const PointName = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes or underscores, starting with a letter or digit');

/** Named features: numbers and booleans count as they are, a string as the feature `name=value`. */
export const FeatureMap = z
  .record(z.string().min(1).max(64), z.union([z.number().finite().min(-1e6).max(1e6), z.boolean(), z.string().max(200)]))
  .refine((m) => Object.keys(m).length <= 50, 'at most 50 features');

export const MAX_OPTIONS = 100;

export const DecideBody = z
  .object({
    userId: Id.optional(),
    anonymousId: Id.optional(),
    point: PointName,
    /** Required except at `send-time`, whose options are hours ("0" to "23") and default to all 24. */
    options: z
      .array(z.object({ id: Id, features: FeatureMap.optional() }).strict())
      .min(1, 'at least one option')
      .max(MAX_OPTIONS, `at most ${MAX_OPTIONS} options`)
      .refine((os) => new Set(os.map((o) => o.id)).size === os.length, 'option ids must be distinct')
      .optional(),
    context: FeatureMap.optional(),
    /** The person's IANA time zone (`send-time`; else their `timeZone` trait, else UTC). */
    timeZone: z.string().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Madrid').optional(),
  })
  .strict()
  .refine((b) => b.userId !== undefined || b.anonymousId !== undefined, { message: 'userId or anonymousId is required', path: ['userId'] })
  .refine((b) => b.options !== undefined || b.point === SEND_TIME_POINT, { message: 'options are required', path: ['options'] })
  .refine((b) => b.point !== SEND_TIME_POINT || (b.options ?? []).every((o) => HOURS.includes(o.id) && o.features === undefined), {
    message: 'send-time options are hours "0" to "23", without features',
    path: ['options'],
  });
export type DecideBody = z.infer<typeof DecideBody>;

export const POLICY_KINDS = ['uniform', 'epsilon-greedy', 'linucb', 'hybrid-linucb', 'thompson'] as const;

export const DecisionPointBody = z
  .object({
    policy: z.enum(POLICY_KINDS).optional(),
    /** ε-greedy's exploration share. */
    epsilon: z.number().min(0).max(1).optional(),
    /** LinUCB's (and hybrid LinUCB's) width multiplier. */
    alpha: z.number().min(0).max(100).optional(),
    /** Thompson's posterior scale. */
    v: z.number().min(0).max(100).optional(),
    /** The share spread uniformly over the options, so every choice has a chance above 0. */
    floor: z.number().min(0.001).max(1).optional(),
    /** The reward each event type earns a decision it cites (the best one counts). */
    rewards: z.partialRecord(z.enum(EVENT_TYPES), z.number().finite().min(-1000).max(1000)).optional(),
    /** How long after a decision its events count. */
    attributionWindowHours: z
      .number()
      .positive()
      .max(24 * 90)
      .optional(),
  })
  .strict();
export type DecisionPointBody = z.infer<typeof DecisionPointBody>;

export interface DecisionPoint {
  point: string;
  policy: (typeof POLICY_KINDS)[number];
  epsilon: number;
  alpha: number;
  v: number;
  floor: number;
  rewards: Partial<Record<(typeof EVENT_TYPES)[number], number>>;
  attributionWindowHours: number;
}

export const defaultDecisionPoint = (point: string): DecisionPoint => ({
  point,
  // send-time: one shared lesson ("send when the person is usually active") serves every hour and person.
  policy: point === SEND_TIME_POINT ? 'hybrid-linucb' : 'linucb',
  epsilon: 0.1,
  alpha: 1,
  v: 0.5,
  floor: 0.05,
  rewards:
    point === SEND_TIME_POINT
      ? { email_open: 1, email_click: 2, click: 1, add_to_cart: 2, purchase: 5 }
      : { click: 1, add_to_cart: 2, purchase: 5, email_open: 0.5, email_click: 1 },
  attributionWindowHours: 24,
});

/** A variant's id: what the answer names and an event cites as `variant` (no ':', so never an experiment's `key:variant`). */
export const VariantId = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes or underscores, starting with a letter or digit');

/** Shown to people by the shop's pages: only http(s), never `javascript:` or `data:`. */
const WebUrl = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .refine((s) => {
    try {
      return ['http:', 'https:'].includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, 'must be an http or https URL');

export const MAX_VARIANTS = 20;

export const ItemVariant = z
  .object({
    id: VariantId,
    artworkUrl: WebUrl.optional(),
    headline: Text(300).optional(),
    pitch: Text(1000).optional(),
    /** Tags the policy learns across variants and people, e.g. `{ "style": "close-up", "price-led": true }`. */
    features: FeatureMap.optional(),
  })
  .strict();
export type ItemVariant = z.infer<typeof ItemVariant>;

/** PUT /v1/items/:id/variants: the item's variants (none: the item is shown as it is) and the decision point whose policy chooses. */
export const ItemVariantsBody = z
  .object({
    variants: z
      .array(ItemVariant)
      .max(MAX_VARIANTS, `at most ${MAX_VARIANTS} variants`)
      .refine((vs) => new Set(vs.map((v) => v.id)).size === vs.length, 'variant ids must be distinct'),
    point: PointName.optional(),
  })
  .strict();
export type ItemVariantsBody = z.infer<typeof ItemVariantsBody>;

/** The decision point whose policy, rewards and window an item's variants use unless the item names another. */
export const VARIANTS_POINT = 'item-variants';
