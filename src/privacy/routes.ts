import type { FastifyInstance } from 'fastify';
import { ConsentBody } from '../domain/schemas.ts';
import type { Engine } from '../engine/engine.ts';
import { jsonSchema } from '../server/openapi.ts';
import { idParam } from '../server/route-helpers.ts';
import { PrivacyService } from './privacy-service.ts';

/** Consent, transparency, export and erasure. */
export async function privacyRoutes(app: FastifyInstance, { engine }: { engine: Engine }) {
  const privacy = new PrivacyService(engine);

  app.get('/v1/users/:id/consent', {
    config: { access: 'server' },
    schema: { tags: ['privacy'], summary: 'The consent record of a user, per purpose, with its history' },
  }, async (req) => engine.consent.record(req.principal.workspace, idParam(req.params)));

  app.put('/v1/users/:id/consent', {
    config: { access: 'server' },
    schema: { tags: ['privacy'], summary: 'Give or withdraw consent per purpose', body: jsonSchema(ConsentBody) },
  }, async (req) => engine.consent.update(req.principal.workspace, idParam(req.params), req.body));

  app.get('/v1/users/:id/transparency', {
    config: { access: 'server' },
    schema: { tags: ['privacy'], summary: 'What is held about a user, from which events, used for what' },
  }, async (req) => {
    const ws = req.principal.workspace;
    const id = idParam(req.params);
    const data = await privacy.export(ws, id);
    const byType: Record<string, number> = {};
    for (const e of data.events) byType[e.type] = (byType[e.type] ?? 0) + 1;
    return {
      userId: id,
      events: { total: data.events.length, byType, first: data.events[0]?.timestamp ?? null, last: data.events.at(-1)?.timestamp ?? null, usedFor: ['personalization', 'profiling'] },
      profile: { held: data.profile.raw !== null, derivedFrom: 'your events', usedFor: ['personalization'], segments: data.profile.view?.segments ?? [] },
      traits: { held: data.user !== null, keys: Object.keys(data.user?.traits ?? {}) },
      consent: data.consent,
    };
  });

  app.get('/v1/users/:id/export', {
    config: { access: 'server' },
    schema: { tags: ['privacy'], summary: 'Everything held about a user, as JSON' },
  }, async (req) => privacy.export(req.principal.workspace, idParam(req.params)));

  app.delete('/v1/users/:id', {
    config: { access: 'server' },
    schema: { tags: ['privacy'], summary: 'Erase a user everywhere' },
  }, async (req, reply) => {
    await privacy.erase(req.principal.workspace, idParam(req.params));
    return reply.status(204).send();
  });
}
