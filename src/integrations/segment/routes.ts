import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { AfinError, describeIssue } from '../../domain/errors.ts';
import type { SegmentResult, SegmentService } from './segment-service.ts';
import { MESSAGE_DOC, SegmentBatch, type MessageType } from './schemas.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes Segment's `Authorization: Basic <writeKey>:` as well as Afín's bearer key. */
    basicAuth?: boolean;
  }
}

/** Segment caps a batch at 500 KB; after gzip is undone the body must still fit in this. */
const BODY_LIMIT = 1024 * 1024;

/**
 * Segment's libraries send the write key as the Basic user name (`base64(writeKey + ':')`). On the
 * routes that take it, it is rewritten as the bearer key before authentication, so the key's scope,
 * origins, rate limit and the failed-attempt brake apply exactly as on Afín's own routes. Added by the
 * app before its auth hook.
 */
export async function basicKeyAsBearer(req: FastifyRequest): Promise<void> {
  if (!req.routeOptions.config.basicAuth) return;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  const user = colon < 0 ? text : text.slice(0, colon);
  // Some clients put the key in the password and leave the user empty.
  const key = user || (colon < 0 ? '' : text.slice(colon + 1));
  if (key && !/\s/.test(key)) req.headers.authorization = `Bearer ${key}`;
}

/**
 * Afín's own `POST /v1/alias` takes `{ anonymousId, userId }` with a bearer key; Segment's takes
 * `{ previousId, userId }` with the write key as Basic user. The router tells them apart by the
 * Authorization scheme, so both shapes live at the one path Segment's HTTP API names.
 */
const authScheme = {
  name: 'authScheme',
  storage() {
    const handlers = new Map<string, unknown>();
    return { get: (k: string) => handlers.get(k) ?? null, set: (k: string, v: unknown) => void handlers.set(k, v) };
  },
  deriveConstraint: (req: { headers: Record<string, string | string[] | undefined> }) => {
    const h = req.headers.authorization;
    return typeof h === 'string' && /^basic\s/i.test(h) ? 'basic' : 'other';
  },
  mustMatchWhenDerived: false,
};

/** A batch whose every message was rejected is a bad request (Segment's libraries then do not retry it). */
function answer(reply: FastifyReply, r: SegmentResult) {
  const first = r.rejected[0];
  if (!first || r.accepted + r.duplicates + r.identified + r.ignored + (r.suppressed ?? 0) > 0) return r;
  return reply.status(400).send({ error: { code: 'invalid_body', message: first.error, field: first.field }, ...r });
}

const RESULT_DOC = {
  200: {
    type: 'object',
    properties: {
      success: { type: 'boolean' },
      accepted: { type: 'integer' },
      duplicates: { type: 'integer' },
      identified: { type: 'integer' },
      ignored: { type: 'integer' },
      suppressed: { type: 'integer' },
      rejected: { type: 'array', items: { type: 'object', properties: { index: { type: 'integer' }, field: { type: 'string' }, error: { type: 'string' } } } },
    },
  },
};

/** Segment / RudderStack's HTTP tracking API: point a shop's existing tracking at Afín. */
export async function segmentRoutes(app: FastifyInstance, { segment }: { segment: SegmentService }) {
  // RudderStack's library gzips its batches by default.
  app.addHook('preParsing', async (req, _reply, payload) => {
    const enc = req.headers['content-encoding'];
    if (enc === undefined || enc === 'identity') return payload;
    if (enc !== 'gzip') throw new AfinError('unsupported_media_type', 'Content-Encoding: only gzip is accepted', 'Content-Encoding');
    const gunzip = createGunzip() as ReturnType<typeof createGunzip> & { receivedEncodedLength: number };
    // Fastify checks the compressed length against Content-Length and the inflated one against the body
    // limit, so a small bomb stops at the limit.
    gunzip.receivedEncodedLength = 0;
    payload.on('data', (c: Buffer) => (gunzip.receivedEncodedLength += c.length));
    gunzip.on('error', (e: Error & { statusCode?: number }) => {
      e.statusCode = 400;
      e.message = `body: not valid gzip (${e.message})`;
    });
    return (payload as Readable).pipe(gunzip);
  });
  // Some tracking libraries send JSON without a JSON content type (RudderStack's gzipped batches carry
  // none, a browser beacon says text/plain): on these routes every body is read as JSON.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      done(new AfinError('invalid_json', `body: ${(e as Error).message}`, 'body'), undefined);
    }
  });
  if (!app.hasConstraintStrategy('authScheme')) app.addConstraintStrategy(authScheme as unknown as Parameters<FastifyInstance['addConstraintStrategy']>[0]);

  const trusted = (req: FastifyRequest) => req.principal.scope !== 'public';
  const single = (type: MessageType, access: 'public' | 'server', summary: string, extra: Record<string, unknown> = {}) =>
    app.post(
      `/v1/${type}`,
      {
        bodyLimit: BODY_LIMIT,
        config: { access, basicAuth: true },
        schema: { tags: ['integrations'], summary, body: MESSAGE_DOC, response: RESULT_DOC, ...extra },
        ...(type === 'alias' ? { constraints: { authScheme: 'basic' } } : {}),
      },
      async (req, reply) => {
        // Identify and alias move a visitor's history by ids the token check does not read (previousId).
        if ((type === 'identify' || type === 'alias') && req.principal.requireUserToken)
          throw new AfinError('forbidden', `this key acts only for a signed-in person: ${type} calls need a server key without that setting`, 'Authorization');
        const body = req.body;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new AfinError('invalid_body', 'body: expected one JSON object', 'body');
        return answer(reply, await segment.receive(req.principal.workspace, [body], { trusted: trusted(req), type, prefix: () => '' }));
      },
    );

  app.post(
    '/v1/batch',
    {
      bodyLimit: BODY_LIMIT,
      config: { access: 'public', basicAuth: true },
      schema: {
        tags: ['integrations'],
        summary: 'Segment / RudderStack batch: up to 1,000 track, identify, page, screen, alias or group calls (identify and alias need a server key)',
        body: { type: 'object', properties: { batch: { type: 'array', items: MESSAGE_DOC }, sentAt: { type: 'string' }, context: { type: 'object' } } },
        response: RESULT_DOC,
      },
    },
    async (req, reply) => {
      // A key bound to signed-in people checks the ids a body names; a batch names them per message,
      // beyond that check, so such a key sends single calls (`/v1/track`) instead.
      if (req.principal.requireUserToken)
        throw new AfinError('forbidden', 'this key acts only for a signed-in person: send single calls (/v1/track) with Afin-User-Token', 'Authorization');
      const r = SegmentBatch.safeParse(req.body);
      if (!r.success) {
        const { field, message } = describeIssue(r.error);
        throw new AfinError(r.error.issues[0].code === 'too_big' ? 'batch_too_large' : 'invalid_body', message, field);
      }
      const { batch, sentAt } = r.data;
      return answer(reply, await segment.receive(req.principal.workspace, batch, { trusted: trusted(req), sentAt, prefix: (i) => `batch[${i}]` }));
    },
  );
  single('track', 'public', 'Segment / RudderStack track call: standard e-commerce events become Afín events');
  single('page', 'public', 'Segment / RudderStack page call: acknowledged, not recorded');
  single('screen', 'public', 'Segment / RudderStack screen call: acknowledged, not recorded');
  single('identify', 'server', "Segment / RudderStack identify call: merges traits into the user and links the visitor's anonymousId");
  // Hidden from the OpenAPI document, whose `POST /v1/alias` is Afín's own (the README describes both).
  single('alias', 'server', 'Segment / RudderStack alias call (Basic auth): previousId is merged into userId', { hide: true });
}
