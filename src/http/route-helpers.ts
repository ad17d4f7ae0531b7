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
export function refuseAnonymousUserIds(req: FastifyRequest, _reply: unknown, done: (err?: Error) => void): void {
  // A callback hook, not an async one: it runs before every handler and has nothing to wait for.
  done(anonymousUserIdError(req));
}

function anonymousUserIdError(req: FastifyRequest): AfinError | undefined {
  const url = req.routeOptions.url;
  if (url && USER_ID_ROUTE.test(url) && isAnonymousId((req.params as Record<string, unknown> | undefined)?.id))
    return new AfinError('invalid_param', `id: ${RESERVED_USER_ID}`, 'id');
  const q = req.query as Record<string, unknown> | undefined;
  if (q && typeof q === 'object') {
    const u = q.userId;
    if (Array.isArray(u) ? u.some(isAnonymousId) : isAnonymousId(u)) return new AfinError('invalid_query', `userId: ${RESERVED_USER_ID}`, 'userId');
  }
  const b = req.body as Record<string, unknown> | undefined;
  if (b && typeof b === 'object' && !Array.isArray(b) && isAnonymousId(b.userId)) return new AfinError('invalid_body', `userId: ${RESERVED_USER_ID}`, 'userId');
  return undefined;
}

function isAnonymousId(v: unknown): boolean {
  return typeof v === 'string' && v.startsWith(ANON_PREFIX);
}
