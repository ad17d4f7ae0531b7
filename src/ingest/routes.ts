import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Rejection } from './ingest-service.ts';
import { AfinError } from '../domain/errors.ts';
import { EventInput, Item, UserBody } from '../domain/schemas.ts';
import { AliasBody } from './schemas.ts';
import type { IngestService } from './ingest-service.ts';
import { jsonSchema } from '../http/json-schema.ts';
import { idParam } from '../http/route-helpers.ts';

/**
 * A batch whose every element was rejected is a bad request: answer 400 naming the first bad field,
 * still with the per-element detail, so a client sending one bad element sees a plain 4xx.
 */
function batchReply(reply: FastifyReply, result: { rejected: Rejection[] }, stored: number) {
  const first = result.rejected[0];
  if (stored > 0 || !first) return result;
  return reply.status(400).send({ error: { code: 'invalid_body', message: first.error, field: first.field ?? 'body' }, ...result });
}

const batchOf = (s: Parameters<typeof jsonSchema>[0]) => ({ type: 'array', maxItems: 1000, items: jsonSchema(s) });

/** Items, events, users and aliases: the contract's ingestion routes. */
export async function ingestRoutes(app: FastifyInstance, { ingest }: { ingest: IngestService }) {
  app.put(
    '/v1/items',
    {
      config: { access: 'server' },
      schema: { tags: ['ingest'], summary: 'Create or update up to 1,000 items; bad elements are rejected by index', body: batchOf(Item) },
    },
    async (req, reply) => {
      const r = await ingest.putItems(req.principal.workspace, req.body);
      return batchReply(reply, r, r.upserted);
    },
  );

  app.get(
    '/v1/items/:id',
    {
      config: { access: 'public' },
      schema: { tags: ['ingest'], summary: 'One item', params: { type: 'object', properties: { id: { type: 'string' } } } },
    },
    async (req) => {
      const id = idParam(req.params);
      const item = await ingest.getItem(req.principal.workspace, id);
      if (!item) throw new AfinError('not_found', `item "${id}" not found`, 'id');
      const { updatedAt, ...rest } = item;
      return { ...rest, updatedAt: new Date(updatedAt).toISOString() };
    },
  );

  app.delete(
    '/v1/items/:id',
    {
      config: { access: 'server' },
      schema: { tags: ['ingest'], summary: 'Delete an item: it is never recommended again' },
    },
    async (req, reply) => {
      const id = idParam(req.params);
      if (!(await ingest.deleteItem(req.principal.workspace, id))) throw new AfinError('not_found', `item "${id}" not found`, 'id');
      return reply.status(204).send();
    },
  );

  app.post(
    '/v1/events',
    {
      config: { access: 'public' },
      schema: { tags: ['ingest'], summary: 'Record up to 1,000 events; repeated messageIds count as duplicates', body: batchOf(EventInput) },
    },
    async (req, reply) => {
      // Only a server or admin key identifies visitors (as `/v1/alias` does): see IngestService.postEvents.
      const r = await ingest.postEvents(req.principal.workspace, req.body, { link: req.principal.scope !== 'public' });
      return batchReply(reply, r, r.accepted + r.duplicates);
    },
  );

  app.put(
    '/v1/users/:id',
    {
      config: { access: 'server' },
      schema: { tags: ['ingest'], summary: 'Create a user or merge traits into theirs', body: jsonSchema(UserBody) },
    },
    async (req) => {
      const u = await ingest.putUser(req.principal.workspace, idParam(req.params), req.body);
      return { ...u, createdAt: new Date(u.createdAt).toISOString(), updatedAt: new Date(u.updatedAt).toISOString() };
    },
  );

  app.post(
    '/v1/alias',
    {
      config: { access: 'server' },
      schema: { tags: ['ingest'], summary: 'Identify an anonymous visitor: their history merges into the user', body: jsonSchema(AliasBody) },
    },
    async (req) => ingest.alias(req.principal.workspace, req.body),
  );
}
