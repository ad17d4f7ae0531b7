import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
import type { RouteAccess } from './auth.ts';

/** One route of the app, as registered (the fuzzer and the inventory test walk this list). */
export interface RouteInfo {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app serves (HEAD excluded), in registration order. */
    afinRoutes: RouteInfo[];
  }
}

/** Pages a person opens in a browser (they load their own scripts and styles). */
const isPage = (path: string) => path === '/docs' || path.startsWith('/docs/') || path === '/demo' || path === '/examples/shop' || path === '/dashboard';

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const PAGE_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Sets the security headers every answer carries (also used for errors raised before routing). */
export function securityHeaders(reply: FastifyReply, url: string): void {
  const path = url.split('?')[0];
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('content-security-policy', isPage(path) ? PAGE_CSP : API_CSP);
  // Answers about people must not sit in browser or proxy caches.
  if (!path.startsWith('/docs/static')) reply.header('cache-control', 'no-store');
}

/**
 * Security headers on every answer, CORS preflights, and the route inventory. The per-key part of
 * CORS (which origins a key may be used from) is enforced by the auth plugin once the key is known.
 */
export const securityPlugin = fp(async (app: FastifyInstance) => {
  const routes: RouteInfo[] = [];
  app.decorate('afinRoutes', routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      // Read `access` lazily: onRoute hooks registered later may still set it (the /docs pages).
      if (method !== 'HEAD')
        routes.push({
          method,
          url: r.url,
          get access() {
            return (r.config as { access?: RouteAccess } | undefined)?.access ?? 'admin';
          },
        });
    }
  });

  app.addHook('onRequest', (req, reply, done) => {
    securityHeaders(reply, req.url);
    done();
  });

  // Preflights carry no key, so they cannot be judged per key: they only describe what the API
  // accepts. The real request is then refused unless its key lists the origin (see auth-plugin).
  app.options('/*', { config: { access: 'none' }, schema: { hide: true } }, async (req, reply) => {
    const origin = req.headers.origin;
    if (typeof origin === 'string' && req.headers['access-control-request-method']) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE');
      reply.header('access-control-allow-headers', 'authorization, content-type, afin-workspace, afin-user-token, x-request-id');
      reply.header('access-control-max-age', '600');
      reply.header('vary', 'Origin');
    }
    reply.header('allow', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    return reply.status(204).send();
  });
});

/** Header and body paths pino must never print. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["afin-user-token"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.key',
  '*.apiKey',
  '*.password',
  '*.email',
];

/** Each with the literal prefix its pattern starts with: most paths are passed over by a `startsWith`. */
const PERSON_PATHS: Array<[prefix: string, RegExp, string]> = [
  ['/v1/users/', /^(\/v1\/users\/)[^/]+/, '$1:id'],
  ['/v1/chat/', /^(\/v1\/chat\/)(?!(?:opener|flagged|faq)(?:[/?]|$))[^/?]+/, '$1:sessionId'],
  ['/v1/recommendations/', /^(\/v1\/recommendations\/)[^/]+/, '$1:recommendationId'],
];

/**
 * A URL safe to log: person ids in paths become placeholders and every query value becomes `*`
 * (`/v1/users/ana/export?x=1` → `/v1/users/:id/export?x=*`). Every request's log line writes one: the
 * query is scanned in place rather than split into arrays (test/server/redact-speed.test.ts holds it
 * to the split-and-join form on generated URLs).
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  for (const [prefix, re, to] of PERSON_PATHS) if (path.startsWith(prefix)) path = path.replace(re, to);
  if (q < 0) return path;
  let out = `${path}?`;
  let first = true;
  for (let start = q + 1; start <= url.length; ) {
    let end = url.indexOf('&', start);
    if (end < 0) end = url.length;
    if (end > start) {
      let eq = url.indexOf('=', start);
      if (eq < 0 || eq > end) eq = end;
      out += `${first ? '' : '&'}${url.slice(start, Math.min(eq, start + 64))}=*`;
      first = false;
    }
    start = end + 1;
  }
  return out;
}

/** An IP address with its host part dropped (IPv4 /24, IPv6 /48): enough to see abuse, not to single out a person. */
export function truncateIp(ip: string | undefined): string | undefined {
  if (!ip) return ip;
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.0`;
  if (ip.includes(':')) return `${ip.split(':').slice(0, 3).join(':')}::`;
  return ip;
}

/**
 * Adds Afín's redaction to pino options: no keys, cookies or user tokens, no person ids in URLs,
 * no query values, truncated client addresses.
 */
export function secureLoggerOptions(base: boolean | Record<string, unknown> | undefined): FastifyServerOptions['logger'] {
  if (!base) return false;
  const b = base === true ? {} : base;
  const redact = b.redact as string[] | { paths: string[] } | undefined;
  const paths = [...(Array.isArray(redact) ? redact : (redact?.paths ?? [])), ...REDACT_PATHS];
  return {
    ...b,
    redact: { paths: [...new Set(paths)], censor: '[redacted]' },
    serializers: {
      ...((b.serializers as Record<string, unknown>) ?? {}),
      req: (req: { method: string; url: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: truncateIp(req.ip ?? req.socket?.remoteAddress),
      }),
    },
  } as FastifyServerOptions['logger'];
}
