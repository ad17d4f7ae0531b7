import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { securityHeaders } from './security.ts';
import { AfinError, type ErrorCode } from '../../domain/errors.ts';

/** Fastify's own error codes, mapped onto Afín's catalogue. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
};

function toAfinError(err: FastifyError | Error): AfinError {
  if (err instanceof AfinError) return err;
  const fe = err as FastifyError;
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped) return new AfinError(mapped, mapped === 'invalid_json' ? `body: ${fe.message}` : undefined, 'body');
  if (err instanceof SyntaxError || (fe.statusCode === 400 && /JSON/i.test(fe.message))) return new AfinError('invalid_json', `body: ${fe.message}`, 'body');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ErrorCode =
      fe.statusCode === 413
        ? 'payload_too_large'
        : fe.statusCode === 415
          ? 'unsupported_media_type'
          : fe.statusCode === 404
            ? 'not_found'
            : fe.statusCode === 429
              ? 'rate_limited'
              : 'invalid_body';
    return new AfinError(code, fe.message);
  }
  return new AfinError('internal');
}

/** Renders every error as `{ error: { code, message, field } }`; never leaks a stack trace. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err, req, reply) => {
    const e = toAfinError(err as Error);
    if (e.status >= 500) req.log.error({ err }, 'unhandled error');
    const body: { error: { code: string; message: string; field?: string } } = { error: { code: e.code, message: e.message } };
    if (e.field) body.error.field = e.field;
    return reply.status(e.status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });
});

/**
 * Errors Fastify raises while routing, before any hook or handler runs (a URL that is not valid
 * percent-encoded UTF-8, a path parameter over the length limit): answered in Afín's shape, with the
 * security headers, instead of Fastify's default body. Pass as the `frameworkErrors` server option.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const e =
    err.code === 'FST_ERR_BAD_URL'
      ? new AfinError('invalid_param', 'the URL is not valid percent-encoded UTF-8', 'url')
      : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AfinError('invalid_param', 'a path parameter is longer than 1,000 characters', 'url')
        : toAfinError(err);
  securityHeaders(reply, req.url ?? '/');
  if (e.status >= 500) req.log.error({ err }, 'framework error');
  void reply.status(e.status).send({ error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } });
}
