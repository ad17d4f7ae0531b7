import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AfinError, parseOr } from '../domain/errors.ts';
import { Id, parseIsoTime } from '../domain/schemas.ts';
import { jsonSchema } from '../http/json-schema.ts';
import type { ExperimentService } from './experiment-service.ts';
import { ExperimentBody, ExperimentKey, ExperimentSettingsBody, ListQuery, ResultsQuery } from './schemas.ts';

const KeyParams = z.object({ key: ExperimentKey }).strict();
const keyOf = (params: unknown) => parseOr(KeyParams, params, 'invalid_param').key;

/** A time in a query: ISO 8601 or epoch milliseconds. */
function timeParam(s: string | undefined, field: string): number | undefined {
  if (s === undefined) return undefined;
  const t = /^\d+$/.test(s) ? Number(s) : parseIsoTime(s);
  if (!Number.isFinite(t)) throw new AfinError('invalid_query', `${field}: must be an ISO 8601 date-time or epoch milliseconds`, field);
  return t;
}

/** Experiments and the global holdout: admin keys change them, server keys read them and their results. */
export async function experimentRoutes(app: FastifyInstance, { experiments }: { experiments: ExperimentService }) {
  app.post(
    '/v1/experiments',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['experiments'],
        summary: 'Create an experiment (a draft): variants with weights, each serving a strategy; primary and guardrail metrics; attribution window',
        body: jsonSchema(ExperimentBody),
      },
    },
    async (req, reply) => reply.status(201).send(await experiments.create(req.principal.workspace, req.body)),
  );

  app.get(
    '/v1/experiments',
    {
      config: { access: 'server' },
      schema: { tags: ['experiments'], summary: 'The experiments of this workspace, oldest first (`?status=` to filter)', querystring: jsonSchema(ListQuery) },
    },
    async (req) => {
      const { status } = parseOr(ListQuery, req.query ?? {}, 'invalid_query');
      return { experiments: await experiments.list(req.principal.workspace, status) };
    },
  );

  app.get(
    '/v1/experiments/:key',
    {
      config: { access: 'server' },
      schema: { tags: ['experiments'], summary: 'One experiment (`global-holdout`: the workspace holdout as an experiment)' },
    },
    async (req) => experiments.get(req.principal.workspace, keyOf(req.params)),
  );

  for (const [action, to] of [
    ['start', 'running'],
    ['pause', 'paused'],
    ['stop', 'stopped'],
  ] as const) {
    app.post(
      `/v1/experiments/:key/${action}`,
      {
        config: { access: 'admin' },
        schema: {
          tags: ['experiments'],
          summary: `${action[0].toUpperCase()}${action.slice(1)} an experiment (${action === 'start' ? 'a draft or a paused one' : action === 'pause' ? 'a running one: people are served the default path meanwhile' : 'for good; its results stay'})`,
        },
      },
      async (req) => experiments.transition(req.principal.workspace, keyOf(req.params), to),
    );
  }

  app.get(
    '/v1/experiments/:key/results',
    {
      config: { access: 'server' },
      schema: {
        tags: ['experiments'],
        summary:
          'Per metric and variant against control: uplift with a 95 % interval, p-value, chance to beat control, CUPED, and the sample-ratio-mismatch check',
        querystring: jsonSchema(ResultsQuery),
      },
    },
    async (req) => {
      const { until } = parseOr(ResultsQuery, req.query ?? {}, 'invalid_query');
      return experiments.results(req.principal.workspace, keyOf(req.params), timeParam(until, 'until'));
    },
  );

  app.get(
    '/v1/experiments/:key/assignments/:id',
    {
      config: { access: 'server' },
      schema: { tags: ['experiments'], summary: 'The variant a person (a user id, or `anon:<anonymousId>`) was recorded in, if they were served' },
    },
    async (req) => {
      const { key, id } = parseOr(z.object({ key: ExperimentKey, id: Id }).strict(), req.params, 'invalid_param');
      return experiments.assignmentOf(req.principal.workspace, key, id);
    },
  );

  app.get(
    '/v1/settings/experiments',
    {
      config: { access: 'server' },
      schema: { tags: ['experiments'], summary: "The global holdout: the share of people who never get Afín's recommendations, and what they are served" },
    },
    async (req) => experiments.settings(req.principal.workspace),
  );

  app.put(
    '/v1/settings/experiments',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['experiments'],
        summary: 'Set the global holdout (`{ globalHoldout: 0.05, holdoutStrategy: "none" }`); results at /v1/experiments/global-holdout/results',
        body: jsonSchema(ExperimentSettingsBody),
      },
    },
    async (req) => experiments.saveSettings(req.principal.workspace, req.body),
  );
}
