import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseOr } from '../domain/errors.ts';
import { jsonSchema } from '../http/json-schema.ts';
import type { DecisionService } from './decision-service.ts';
import { DecideBody, DecisionPointBody, PointName } from './schemas.ts';

const PointParams = z.object({ point: PointName }).strict();

/** Decision points: any key that may read recommendations may ask for a decision; admin keys set the policy. */
export async function presentRoutes(app: FastifyInstance, { decisions }: { decisions: DecisionService }) {
  app.post(
    '/v1/decide',
    {
      config: { access: 'public' },
      schema: {
        tags: ['present'],
        summary:
          "Choose one of the options for this person and context with the decision point's policy; cite `decisionId` in later events (`properties.decisionId`) to reward it",
        body: jsonSchema(DecideBody),
        response: {
          200: {
            type: 'object',
            properties: { decisionId: { type: 'string' }, option: { type: 'string' }, propensity: { type: 'number' }, personalized: { type: 'boolean' } },
            required: ['decisionId', 'option', 'propensity'],
          },
        },
      },
    },
    async (req) => decisions.decide(req.principal.workspace, parseOr(DecideBody, req.body, 'invalid_body')),
  );

  app.get(
    '/v1/decision-points/:point',
    {
      config: { access: 'server' },
      schema: { tags: ['present'], summary: "A decision point's policy, rewards per event type and attribution window (the defaults until set)" },
    },
    async (req) => decisions.pointOf(req.principal.workspace, parseOr(PointParams, req.params, 'invalid_param').point),
  );

  app.put(
    '/v1/decision-points/:point',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['present'],
        summary:
          "Set a decision point's policy (`uniform`, `epsilon-greedy`, `linucb`, `thompson`), its parameters, the reward per event type and the attribution window",
        body: jsonSchema(DecisionPointBody),
      },
    },
    async (req) => {
      const { point } = parseOr(PointParams, req.params, 'invalid_param');
      return decisions.savePoint(req.principal.workspace, point, parseOr(DecisionPointBody, req.body ?? {}, 'invalid_body'));
    },
  );
}
