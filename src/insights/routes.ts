import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseOr } from '../domain/errors.ts';
import { jsonSchema } from '../http/json-schema.ts';
import type { InsightsService } from './insights-service.ts';
import { PERIODS } from './overview.ts';

const Period = z.enum(Object.keys(PERIODS) as [keyof typeof PERIODS, ...Array<keyof typeof PERIODS>]);
export const OverviewQuery = z.object({ period: Period.default('24h') }).strict();
export const ItemsQuery = z
  .object({
    period: Period.default('7d'),
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/** The dashboard's figures: server keys read them (they hold no person's data, only counts). */
export async function insightsRoutes(app: FastifyInstance, { insights }: { insights: InsightsService }) {
  app.get(
    '/v1/insights/overview',
    {
      config: { access: 'server' },
      schema: {
        tags: ['insights'],
        summary:
          'The shop over a period (`1h`, `24h`, `7d`, `30d`): events per minute, active people, click-through, conversion, revenue, orders, AOV and the personalised share, per bucket and in total',
        querystring: jsonSchema(OverviewQuery),
      },
    },
    async (req) => {
      const q = parseOr(OverviewQuery, req.query ?? {}, 'invalid_query');
      return { period: q.period, ...(await insights.overview(req.principal.workspace, q.period)) };
    },
  );

  app.get(
    '/v1/insights/items',
    {
      config: { access: 'server' },
      schema: {
        tags: ['insights'],
        summary: 'Catalogue items (search `q` in id or title), best earners first, with views, clicks, add-to-carts, purchases and revenue over the period',
        querystring: jsonSchema(ItemsQuery),
      },
    },
    async (req) => {
      const q = parseOr(ItemsQuery, req.query ?? {}, 'invalid_query');
      return { period: q.period, ...(await insights.items(req.principal.workspace, { period: q.period, search: q.q, limit: q.limit, offset: q.offset })) };
    },
  );
}
