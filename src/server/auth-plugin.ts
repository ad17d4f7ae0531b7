import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AfinError } from '../domain/errors.ts';
import { SCOPE_RANK, type KeyService, type Principal } from '../keys/key-service.ts';
import type { KeyScope } from '../domain/schemas.ts';

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

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

/** Resolves the key on every route that asks for one; routes declare `config.access`. */
export const authPlugin = fp(async (app: FastifyInstance, opts: { keys: KeyService }) => {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access ?? 'admin';
    if (access === 'none') return;
    const ws = req.headers['afin-workspace'];
    const principal = await opts.keys.authenticate(bearer(req), typeof ws === 'string' ? ws : undefined);
    if (access === 'root' ? !principal.root : SCOPE_RANK[principal.scope] < SCOPE_RANK[access]) {
      throw new AfinError('forbidden', `this route needs a${access === 'admin' ? 'n' : ''} ${access} key; this key's scope is ${principal.root ? 'root' : principal.scope}`);
    }
    req.principal = principal;
  });
});
