import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { AuditLog } from './audit.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route writes its own audit entry (with the person pseudonymised): the generic one is skipped. */
    selfAudited?: boolean;
  }
}

/**
 * Records every successful write on an admin or root route (keys, workspaces, training, retention…)
 * in the audit log: who (key id), what (method and route pattern), on what (a key id, a workspace
 * id, a model). Privacy routes record their own, richer entries.
 */
export const auditPlugin = fp(async (app: FastifyInstance, opts: { audit: AuditLog }) => {
  app.addHook('onResponse', async (req, reply) => {
    const access = req.routeOptions.config?.access;
    if ((access !== 'admin' && access !== 'root') || req.routeOptions.config?.selfAudited || READS.has(req.method) || reply.statusCode >= 400 || !req.principal)
      return;
    const params = (req.params ?? {}) as Record<string, unknown>;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const detail: Record<string, unknown> = { status: reply.statusCode };
    for (const k of ['scope', 'model', 'id', 'allowedOrigins', 'rateLimit']) if (body && typeof body === 'object' && k in body) detail[k] = body[k];
    await opts.audit
      .record(req.principal.workspace, {
        actor: { keyId: req.principal.keyId, scope: req.principal.root ? 'root' : req.principal.scope },
        action: `${req.method} ${req.routeOptions.url}`,
        target: typeof params.id === 'string' ? params.id : undefined,
        detail,
      })
      .catch((err) => req.log.warn({ err }, 'audit write failed'));
  });
});
