import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_RATE_LIMITS } from '../../config.ts';
import { AfinError } from '../../domain/errors.ts';
import { SCOPE_RANK, type KeyService, type Principal } from '../../keys/key-service.ts';
import type { KeyScope } from '../../domain/schemas.ts';
import { RateLimiter, type RequestLimiter } from './rate-limit.ts';

/** What a route needs: no key, a key of at least this scope, or the deployment's root key. */
export type RouteAccess = 'none' | KeyScope | 'root';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

export interface AuthOptions {
  keys: KeyService;
  /** Requests per second per key, by scope (a key's own `rateLimit` overrides). The root key is not limited. */
  rateLimits?: Record<KeyScope, number>;
  /** Failed authentications tolerated per client address before it gets 429s: a burst, refilled at 1 per 2 s. */
  authFailureBurst?: number;
  clock?: () => number;
  /** Where keys' request tokens are taken (default: per node; ClusterRateLimiter shares them between nodes). */
  limiter?: RequestLimiter;
  /** The user an anonymous id is linked to, if any: a key that requires user tokens treats the id as that user. */
  resolveAnonymous?: (ws: string, anonymousId: string) => Promise<string | null>;
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

/** The values of `field` a request names: in the query, and in the body or in each element of a batch. */
function namedIds(field: 'userId' | 'anonymousId', query: unknown, body: unknown): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string') out.add(v);
    else if (Array.isArray(v)) v.forEach(add);
  };
  if (query && typeof query === 'object') add((query as Record<string, unknown>)[field]);
  const fromObject = (o: unknown) => {
    if (o && typeof o === 'object' && !Array.isArray(o)) add((o as Record<string, unknown>)[field]);
  };
  if (Array.isArray(body)) body.forEach(fromObject);
  else fromObject(body);
  return out;
}

function tooMany(reply: FastifyReply, wait: number, message: string): AfinError {
  reply.header('retry-after', String(wait));
  return new AfinError('rate_limited', message);
}

/**
 * Resolves the key on every route that asks for one (routes declare `config.access`), then applies
 * the key's browser origins (CORS) and its rate limit.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: AuthOptions) => {
  const limits = opts.rateLimits ?? DEFAULT_RATE_LIMITS;
  const limiter = opts.limiter ?? new RateLimiter(opts.clock);
  const failures = new RateLimiter(opts.clock);
  const failureBurst = opts.authFailureBurst ?? 30;
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req, reply) => {
    // An unknown route is a 404 for every valid key: the route list is public (/openapi.json), so
    // a 403 there would only mislead. The key is still checked, so no key still answers 401.
    const access = req.is404 ? 'public' : (req.routeOptions.config.access ?? 'admin');
    if (access === 'none') return;
    const ws = req.headers['afin-workspace'];
    let principal: Principal;
    try {
      principal = await opts.keys.authenticate(bearer(req), typeof ws === 'string' ? ws : undefined);
    } catch (e) {
      // Guessing keys: after a burst of failures an address is slowed down to one try per two seconds.
      if (e instanceof AfinError && e.code === 'unauthorized') {
        const wait = failures.take(`ip:${req.ip}`, 0.5, failureBurst);
        if (wait > 0) throw tooMany(reply, wait, `too many failed authentications from this address; retry in ${wait} s`);
      }
      throw e;
    }

    // A browser calling from another origin: only the origins configured on the key.
    const origin = req.headers.origin;
    if (typeof origin === 'string' && principal.allowedOrigins) {
      if (!principal.allowedOrigins.includes('*') && !principal.allowedOrigins.includes(origin)) {
        throw new AfinError('forbidden', `Origin ${origin.slice(0, 300)} is not among this key's allowedOrigins`, 'Origin');
      }
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-expose-headers', 'retry-after, content-type, x-request-id');
      reply.header('vary', 'Origin');
    }

    if (access === 'root' ? !principal.root : SCOPE_RANK[principal.scope] < SCOPE_RANK[access]) {
      throw new AfinError(
        'forbidden',
        `this route needs a${access === 'admin' ? 'n' : ''} ${access} key; this key's scope is ${principal.root ? 'root' : principal.scope}`,
      );
    }

    if (!principal.root) {
      const rate = principal.rateLimit ?? limits[principal.scope];
      // A public key is embedded in a site and carries all its visitors: each visitor's address gets
      // the key's rate; server and admin keys are one caller each.
      const bucket = principal.scope === 'public' ? `${principal.keyId}|${req.ip}` : principal.keyId;
      const wait = await limiter.take(bucket, rate, Math.max(1, rate * 2));
      if (wait > 0) throw tooMany(reply, wait, `this key's rate limit is ${rate} requests per second; retry in ${wait} s`);
    }
    req.principal = principal;
  });

  // A key that requires user tokens acts only for the signed-in person its token names. An anonymous
  // id linked to a known person is that person: without this, events and recommendations for
  // `anonymousId: <victim's>` would reach the victim with no token at all.
  // A callback hook: most keys do not require user tokens, and their requests should not pay for a promise.
  app.addHook('preHandler', (req, _reply, done) => {
    if (!req.principal?.requireUserToken) return done();
    actsForTokenHolder(req).then(() => done(), done);
  });
  const actsForTokenHolder = async (req: FastifyRequest): Promise<void> => {
    const p = req.principal;
    // Each person the request acts for, with the field that named them.
    const named = new Map<string, 'userId' | 'anonymousId'>();
    for (const id of namedIds('userId', req.query, req.body)) named.set(id, 'userId');
    if (opts.resolveAnonymous) {
      for (const a of namedIds('anonymousId', req.query, req.body)) {
        const linked = await opts.resolveAnonymous(p.workspace, a);
        if (linked !== null && !named.has(linked)) named.set(linked, 'anonymousId');
      }
    }
    if (named.size === 0) return;
    const token = req.headers['afin-user-token'];
    const who = typeof token === 'string' ? await opts.keys.userTokens.verify(p.workspace, token) : null;
    if (who === null) {
      throw new AfinError(
        'forbidden',
        'Afin-User-Token: this key acts only for a signed-in person; send a valid token minted with POST /v1/users/:id/token',
        'Afin-User-Token',
      );
    }
    for (const [id, field] of named) {
      if (id !== who) {
        throw new AfinError(
          'forbidden',
          field === 'userId' ? 'userId: the user token is for another person' : 'anonymousId: this visitor is linked to a person the user token is not for',
          field,
        );
      }
    }
  };
});
