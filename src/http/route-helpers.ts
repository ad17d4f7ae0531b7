import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { AfinError, parseOr } from '../domain/errors.ts';
import { ANON_PREFIX, Id, RESERVED_USER_ID } from '../domain/schemas.ts';

export const IdParams = z.object({ id: Id }).strict();

/** Validates `:id` (and any other declared path parameter). */
export function idParam(params: unknown): string {
  return parseOr(IdParams, params, 'invalid_param').id;
}

/** Routes whose `:id` is a user id. */
const USER_ID_ROUTE = /^\/v1\/(users|suppressions)\/:id(\/|$)/;

/**
 * Keeps user ids and anonymous visitors apart on every route, whatever its own schema says: a user
 * id may not start with `anon:`, the prefix that marks an anonymous visitor's records internally
 * (`anon:<anonymousId>`), or `anon:carol-anon` would read, write and erase visitor `carol-anon`.
 * Checked on `/v1/users/:id…`, `?userId=` and a body's `userId`; events in a batch are checked one
 * by one by their schema, so that one bad element does not refuse the rest.
 */
export async function refuseAnonymousUserIds(req: FastifyRequest): Promise<void> {
  const bad = (v: unknown) => typeof v === 'string' && v.startsWith(ANON_PREFIX);
  const why = RESERVED_USER_ID;
  const url = req.routeOptions.url;
  if (url && USER_ID_ROUTE.test(url) && bad((req.params as Record<string, unknown> | undefined)?.id)) throw new AfinError('invalid_param', `id: ${why}`, 'id');
  const q = req.query as Record<string, unknown> | undefined;
  if (q && typeof q === 'object' && [q.userId].flat().some(bad)) throw new AfinError('invalid_query', `userId: ${why}`, 'userId');
  const b = req.body as Record<string, unknown> | undefined;
  if (b && typeof b === 'object' && !Array.isArray(b) && bad(b.userId)) throw new AfinError('invalid_body', `userId: ${why}`, 'userId');
}
