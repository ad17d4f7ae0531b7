import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseOr } from '../domain/errors.ts';
import { jsonSchema } from '../http/json-schema.ts';
import { idParam } from '../http/route-helpers.ts';
import type { DecisionService } from './decision-service.ts';
import { DecideBody, DecisionPointBody, ItemVariantsBody, PointName } from './schemas.ts';
import type { VariantService } from './variants.ts';

const PointParams = z.object({ point: PointName }).strict();

/** Decision points: any key that may read recommendations may ask for a decision; admin keys set the policy. */
export async function presentRoutes(app: FastifyInstance, { decisions, variants }: { decisions: DecisionService; variants: VariantService }) {
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
            properties: {
              decisionId: { type: 'string' },
              option: { type: 'string' },
              propensity: { type: 'number' },
              personalized: { type: 'boolean' },
              timeZone: { type: 'string' },
              sendAt: { type: 'string' },
            },
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

  const variantsAnswer = {
    200: {
      type: 'object',
      properties: {
        item: { type: 'string' },
        point: { type: 'string' },
        variants: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              artworkUrl: { type: 'string' },
              headline: { type: 'string' },
              pitch: { type: 'string' },
              features: { type: 'object', additionalProperties: true },
            },
            required: ['id'],
          },
        },
      },
      required: ['item', 'point', 'variants'],
    },
  };

  app.get(
    '/v1/items/:id/variants',
    {
      config: { access: 'server' },
      schema: { tags: ['present'], summary: "An item's presentation variants and the decision point that chooses among them", response: variantsAnswer },
    },
    async (req) => variants.get(req.principal.workspace, idParam(req.params)),
  );

  app.put(
    '/v1/items/:id/variants',
    {
      config: { access: 'server' },
      schema: {
        tags: ['present'],
        summary:
          "Replace an item's presentation variants (artwork URL, headline, pitch, feature tags; at most 20; an empty list removes them). `GET /v1/recommendations?present=true` then shows each person the variant the item's decision point chooses",
        body: jsonSchema(ItemVariantsBody),
        response: variantsAnswer,
      },
    },
    async (req) => {
      const id = idParam(req.params);
      return variants.put(req.principal.workspace, id, parseOr(ItemVariantsBody, req.body, 'invalid_body'));
    },
  );
}
