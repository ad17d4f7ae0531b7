import { z } from 'zod';

/** `GET /v1/users/:id/predictions` query: the window (days) of the next-purchase and propensity figures. */
export const PredictionsQuery = z
  .object({
    days: z.coerce.number().int().min(1).max(365).optional(),
    /** How many categories to list per figure (default 5). */
    n: z.coerce.number().int().min(1).max(30).optional(),
  })
  .strict();
export type PredictionsQueryT = z.infer<typeof PredictionsQuery>;
