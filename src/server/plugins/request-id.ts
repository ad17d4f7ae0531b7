import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';

/** The longest caller-chosen id kept; tracing ids (UUIDs, W3C trace ids, ULIDs) are well under it. */
export const MAX_REQUEST_ID_LENGTH = 128;

/** Printable ASCII without spaces, quotes or backslashes: safe in a log line and in a header. */
const SAFE_ID = /^[A-Za-z0-9._:/+=@-]+$/;

/**
 * The caller's `x-request-id` when it is short and plain, else a new one. A caller's id lands in
 * every log line of the request, so control characters (forged log lines, terminal escapes) and
 * huge values (log flooding) are replaced rather than kept.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  if (typeof v === 'string' && v.length > 0 && v.length <= MAX_REQUEST_ID_LENGTH && SAFE_ID.test(v)) return v;
  return randomUUID();
}

/** Fastify options: ids from requestIdFrom, logged as `reqId` (Fastify's default label) on each request's lines. */
export const requestIdOptions: Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader'> = {
  requestIdHeader: false,
  genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
};

/** Every answer, errors included, carries its request's id, so a caller can quote it and find the log lines. */
export const requestIdPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
});
