/** The recommendation routes' queries and bodies. */
import { z } from 'zod';
import { CONTEXTS, Id, MAX_AMOUNT, UserId } from '../domain/schemas.ts';

const csv = z
  .string()
  .max(20_000)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
const boolText = z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1');
const price = z.coerce.number().finite().nonnegative().max(MAX_AMOUNT);

/**
 * The ways an answer can be served: the experiment arms. `personalized` is the default path; `none` is
 * the holdout (no recommendations: the shop shows what it would without Afín).
 */
export const STRATEGIES = ['personalized', 'segment', 'popular', 'random', 'none'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const RecommendationQuery = z
  .object({
    userId: UserId.optional(),
    anonymousId: Id.optional(),
    n: z.coerce.number().int().min(1).max(100).default(10),
    context: z.enum(CONTEXTS).default('home'),
    itemId: Id.optional(),
    category: z.string().min(1).max(200).optional(),
    minPrice: price.optional(),
    maxPrice: price.optional(),
    exclude: csv.optional(),
    excludeSeen: boolText.optional(),
    includePurchased: boolText.optional(),
    model: z.string().max(64).optional(),
    /** Serve this strategy instead of the person's experiment variant (server and admin keys only). */
    strategy: z.enum(STRATEGIES).optional(),
    /** Show each item with the presentation variant chosen for this person (items with variants only). */
    present: boolText.optional(),
  })
  .strict();
export type RecommendationQueryT = z.infer<typeof RecommendationQuery>;

export const SimilarQuery = z.object({ n: z.coerce.number().int().min(1).max(100).default(10) }).strict();
export const TrainBody = z.object({ model: z.string().min(1).max(64).optional() }).strict();
