import type { FastifyInstance } from 'fastify';
import { AfinError, parseOr } from '../domain/errors.ts';
import { z } from 'zod';
import { ANON_PREFIX, CONTEXTS, Id } from '../domain/schemas.ts';
import { RecommendationQuery, type RecommendationQueryT, SimilarQuery, TrainBody } from './schemas.ts';
import { answerJson, type RecommendService } from './recommend-service.ts';
import type { ModelTrainer } from './trainer.ts';
import { jsonSchema } from '../http/json-schema.ts';
import { idParam } from '../http/route-helpers.ts';
import { TrainingFailedError } from './train.ts';
import { RankingSettings } from './rules.ts';
import { DEFAULT_EVENT_WEIGHTS } from '../domain/weights.ts';
import { MODELS } from './registry.ts';

const recItem = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    score: { type: 'number' },
    reasons: { type: 'array', items: { type: 'string' } },
    title: { type: 'string' },
    price: { type: 'number' },
    currency: { type: 'string' },
    // With ?present=true, for items that have presentation variants: the one chosen for this person.
    variant: {
      type: 'object',
      properties: { id: { type: 'string' }, artworkUrl: { type: 'string' }, headline: { type: 'string' }, pitch: { type: 'string' } },
      required: ['id'],
    },
    propensity: { type: 'number' },
    decisionId: { type: 'string' },
  },
  required: ['id', 'score', 'reasons'],
};

/** An answer of GET /v1/recommendations (`answerJson` writes memoised pages exactly as this schema would). */
export const recommendationSchema = {
  type: 'object',
  properties: {
    recommendationId: { type: 'string' },
    personalized: { type: 'boolean' },
    model: { type: 'string' },
    items: { type: 'array', items: recItem },
    // Present when a running experiment chose what this person was served.
    experiment: { type: 'string' },
    variant: { type: 'string' },
  },
  required: ['recommendationId', 'personalized', 'model', 'items'],
};

/**
 * How an item is shown: the port `?present=true` asks (the present slice implements it; wired in the
 * composition root). Answers only for items that have variants.
 */
export interface PresentationChooser {
  present(
    ws: string,
    q: { userId?: string; anonymousId?: string; context: string; recommendationId: string },
    itemIds: readonly string[],
  ): Promise<Map<string, { variant: { id: string }; propensity: number; decisionId: string }>>;
}

/** The keys of the usual recommendation query; a query with any other key (filters, flags, model) goes through zod. */
const FAST_KEYS = new Set(['userId', 'anonymousId', 'n', 'context', 'itemId']);
const CONTEXT_NAMES = new Set<string>(CONTEXTS);
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters an Id must not contain
const CONTROL = /[\u0000-\u001f\u007f]/;
const isId = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 256 && !CONTROL.test(v);
const N_TEXT = /^(?:[1-9][0-9]?|100)$/;

/**
 * RecommendationQuery's answer for the usual query (a person, a context, a page size, an item), checked
 * by hand: zod's parse was 2 % of a served recommendation's CPU. Undefined for anything else, valid or
 * not (then zod parses it and words the error): where this answers, it answers as zod would, keys in
 * the schema's order (test/recommend/serve-query.test.ts compares the two on generated queries).
 */
export function fastRecommendationQuery(raw: unknown): RecommendationQueryT | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!FAST_KEYS.has(k) || r[k] === undefined) return undefined;
  const { userId, anonymousId, n, context, itemId } = r;
  const out: Record<string, unknown> = {};
  if (userId !== undefined) {
    if (!isId(userId) || userId.startsWith(ANON_PREFIX)) return undefined;
    out.userId = userId;
  }
  if (anonymousId !== undefined) {
    if (!isId(anonymousId)) return undefined;
    out.anonymousId = anonymousId;
  }
  if (n === undefined) out.n = 10;
  else if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 100) out.n = n;
  else if (typeof n === 'string' && N_TEXT.test(n)) out.n = Number(n);
  else return undefined;
  if (context === undefined) out.context = 'home';
  else if (typeof context === 'string' && CONTEXT_NAMES.has(context)) out.context = context;
  else return undefined;
  if (itemId !== undefined) {
    if (!isId(itemId)) return undefined;
    out.itemId = itemId;
  }
  return out as RecommendationQueryT;
}

/** Recommendations, similar items and training. */
export async function recommendRoutes(
  app: FastifyInstance,
  { recommend, trainer, presentation }: { recommend: RecommendService; trainer: ModelTrainer; presentation?: PresentationChooser },
) {
  app.get(
    '/v1/recommendations',
    {
      config: { access: 'public' },
      schema: {
        tags: ['recommend'],
        summary: 'Recommendations for a person and a context, each with its reasons',
        querystring: jsonSchema(RecommendationQuery),
        response: { 200: recommendationSchema },
      },
    },
    async (req, reply) => {
      const { present, ...q } = fastRecommendationQuery(req.query) ?? parseOr(RecommendationQuery, req.query, 'invalid_query');
      const answer = await recommend.recommend(req.principal.workspace, q, {
        // ?strategy= serves one arm on demand: for the shop's own servers, never a browser's public key.
        mayChooseStrategy: req.principal.root || req.principal.scope !== 'public',
      });
      if (!present || !presentation || answer.items.length === 0) {
        // A memoised page's items are written once, not once per answer.
        const json = answerJson(answer);
        return json === null ? answer : reply.type('application/json; charset=utf-8').send(json);
      }
      const shown = await presentation.present(
        req.principal.workspace,
        { userId: q.userId, anonymousId: q.anonymousId, context: q.context, recommendationId: answer.recommendationId },
        answer.items.map((i) => i.id),
      );
      return { ...answer, items: answer.items.map((i) => ({ ...i, ...shown.get(i.id) })) };
    },
  );

  app.get(
    '/v1/recommendations/:recommendationId/why',
    {
      config: { access: 'server' },
      schema: { tags: ['recommend'], summary: 'The evidence behind each item of an earlier answer: the events, similar items, scores, rules and filters' },
    },
    async (req) => {
      const { recommendationId } = parseOr(z.object({ recommendationId: Id }).strict(), req.params, 'invalid_param');
      return recommend.why(req.principal.workspace, recommendationId);
    },
  );

  app.get(
    '/v1/items/:id/similar',
    {
      config: { access: 'public' },
      schema: { tags: ['recommend'], summary: 'Items like this one ("people who viewed X also bought Y")', querystring: jsonSchema(SimilarQuery) },
    },
    async (req) => {
      const { n } = parseOr(SimilarQuery, req.query, 'invalid_query');
      return recommend.similar(req.principal.workspace, idParam(req.params), n);
    },
  );

  app.post(
    '/v1/train',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['recommend'],
        summary: `Train now on all stored events and swap the new model in (models: ${Object.keys(MODELS).join(', ')})`,
        body: jsonSchema(TrainBody),
      },
    },
    async (req, reply) => {
      const { model } = parseOr(TrainBody, req.body ?? {}, 'invalid_body');
      if (model && !MODELS[model]) throw new AfinError('invalid_body', `model: unknown model "${model}" (known: ${Object.keys(MODELS).join(', ')})`, 'model');
      const started = performance.now();
      let infos: Awaited<ReturnType<ModelTrainer['train']>>;
      try {
        infos = await trainer.train(req.principal.workspace, model ? { models: [model] } : {});
      } catch (e) {
        if (!(e instanceof TrainingFailedError)) throw e;
        // Which models failed and why, and which were trained and serve now; the failed ones keep their
        // previous version. Recorded in GET /v1/models and the audit log as well.
        return reply.status(e.status).send({ error: { code: e.code, message: e.message, failed: e.failed, models: e.trained } });
      }
      return {
        model: model ?? infos.map((i) => i.name).join(','),
        trainedAt: new Date(infos[0]?.trainedAt ?? trainer.clock()).toISOString(),
        seconds: Math.round(performance.now() - started) / 1000,
        models: infos,
      };
    },
  );

  app.get(
    '/v1/settings/ranking',
    {
      config: { access: 'server' },
      schema: { tags: ['recommend'], summary: 'Event weights, history decay, diversity and business rules (boost, bury, pin, filter, exclude)' },
    },
    async (req) => ({
      ...(await recommend.rankingSettings(req.principal.workspace)),
      defaults: { eventWeights: DEFAULT_EVENT_WEIGHTS, historyHalfLifeDays: 30, maxCategoryShare: 0.5 },
    }),
  );

  app.put(
    '/v1/settings/ranking',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['recommend'],
        summary: 'Replace the ranking settings; new event weights apply at once to serving and at the next training',
        body: jsonSchema(RankingSettings),
      },
    },
    async (req) => {
      const s = parseOr(RankingSettings, req.body, 'invalid_body');
      await recommend.saveRankingSettings(req.principal.workspace, s);
      return s;
    },
  );

  app.get(
    '/v1/models',
    {
      config: { access: 'server' },
      schema: { tags: ['recommend'], summary: 'The trained models of this workspace, each with its last training error (lastError, failing)' },
    },
    async (req) => ({ models: await recommend.models(req.principal.workspace) }),
  );
}
