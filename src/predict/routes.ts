import type { FastifyInstance } from 'fastify';
import { parseOr } from '../domain/errors.ts';
import { jsonSchema } from '../http/json-schema.ts';
import { idParam } from '../http/route-helpers.ts';
import type { PredictService } from './predict-service.ts';
import { PredictionsQuery } from './schemas.ts';

/** A person's predictions: churn risk, next purchase per category, propensity per category. */
export async function predictRoutes(app: FastifyInstance, { predictions }: { predictions: Pick<PredictService, 'forUser'> }) {
  app.get(
    '/v1/users/:id/predictions',
    {
      config: { access: 'server' },
      schema: {
        tags: ['predict'],
        summary: 'Churn risk, next purchase and propensity per category of a user, each with its top reasons in words (needs profiling consent)',
        querystring: jsonSchema(PredictionsQuery),
      },
    },
    async (req) => {
      const q = parseOr(PredictionsQuery, req.query, 'invalid_query');
      return predictions.forUser(req.principal.workspace, idParam(req.params), q);
    },
  );
}
