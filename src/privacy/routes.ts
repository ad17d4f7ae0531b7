import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AfinError, parseOr } from '../domain/errors.ts';
import { AuditQuery, ConsentBody, ObjectionBody, TransparencyQuery } from './schemas.ts';
import type { ConsentService } from './consent.ts';
import type { PrivacyService } from './privacy-service.ts';
import { jsonSchema } from '../http/json-schema.ts';
import { idParam } from '../http/route-helpers.ts';
import type { AuditActor } from './audit.ts';
import { transparencyReport, transparencyText } from './transparency.ts';

const actorOf = (req: FastifyRequest): AuditActor => ({ keyId: req.principal.keyId, scope: req.principal.root ? 'root' : req.principal.scope });

/** Consent, objection, transparency, export, erasure, the audit log and retention. */
export async function privacyRoutes(app: FastifyInstance, { privacy, consent }: { privacy: PrivacyService; consent: ConsentService }) {
  app.get(
    '/v1/users/:id/consent',
    {
      config: { access: 'server' },
      schema: { tags: ['privacy'], summary: 'The consent record of a user, per purpose, with its history' },
    },
    async (req) => consent.record(req.principal.workspace, idParam(req.params)),
  );

  app.put(
    '/v1/users/:id/consent',
    {
      config: { access: 'server' },
      schema: { tags: ['privacy'], summary: 'Give or withdraw consent per purpose; withdrawing profiling deletes the profile', body: jsonSchema(ConsentBody) },
    },
    async (req) => privacy.setConsent(req.principal.workspace, idParam(req.params), req.body, actorOf(req)),
  );

  app.post(
    '/v1/users/:id/objection',
    {
      config: { access: 'server' },
      schema: {
        tags: ['privacy'],
        summary: 'Object to profiling (GDPR Art. 21): profiling, personalization and marketing off, profile deleted',
        body: jsonSchema(ObjectionBody),
      },
    },
    async (req) => privacy.object(req.principal.workspace, idParam(req.params), req.body ?? {}, actorOf(req)),
  );

  app.get(
    '/v1/users/:id/transparency',
    {
      config: { access: 'server' },
      schema: {
        tags: ['privacy'],
        summary: 'What is held about a user, from where, used for what, kept how long (JSON, or ?format=text)',
        querystring: jsonSchema(TransparencyQuery),
      },
    },
    async (req, reply) => {
      const { format } = parseOr(TransparencyQuery, req.query, 'invalid_query');
      const ws = req.principal.workspace;
      const id = idParam(req.params);
      const report = transparencyReport(await privacy.export(ws, id), await privacy.settingsFor(ws));
      await privacy.audit.record(ws, { actor: actorOf(req), action: 'user.transparency', userId: id });
      if (format === 'text') return reply.type('text/plain; charset=utf-8').send(transparencyText(report));
      return report;
    },
  );

  app.get(
    '/v1/users/:id/export',
    {
      config: { access: 'server' },
      schema: { tags: ['privacy'], summary: 'Everything held about a user, as JSON' },
    },
    async (req) => {
      const ws = req.principal.workspace;
      const id = idParam(req.params);
      const data = await privacy.export(ws, id);
      await privacy.audit.record(ws, {
        actor: actorOf(req),
        action: 'user.export',
        userId: id,
        detail: { events: data.events.length, documents: data.documents.length },
      });
      return data;
    },
  );

  app.delete(
    '/v1/users/:id',
    {
      config: { access: 'server' },
      schema: { tags: ['privacy'], summary: 'Erase a user everywhere; later events for their ids are dropped' },
    },
    async (req, reply) => {
      await privacy.erase(req.principal.workspace, idParam(req.params), actorOf(req));
      return reply.status(204).send();
    },
  );

  app.delete(
    '/v1/suppressions/:id',
    {
      config: { access: 'admin', selfAudited: true },
      schema: { tags: ['privacy'], summary: 'Accept events for an erased user id again (the person came back); 404 if it was not suppressed' },
    },
    async (req, reply) => {
      const ws = req.principal.workspace;
      const id = idParam(req.params);
      if (!(await privacy.suppression.remove(ws, id))) throw new AfinError('not_found', 'this user id is not suppressed', 'id');
      await privacy.audit.record(ws, { actor: actorOf(req), action: 'suppression.lift', userId: id });
      return reply.status(204).send();
    },
  );

  app.get(
    '/v1/privacy',
    {
      config: { access: 'server' },
      schema: { tags: ['privacy'], summary: "This deployment's purposes, consent defaults and retention" },
    },
    async (req) => ({ ...(await privacy.settingsFor(req.principal.workspace)), suppressedIds: await privacy.suppression.size(req.principal.workspace) }),
  );

  app.get(
    '/v1/audit',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['privacy'],
        summary: 'The audit log of admin actions and consent changes, newest first (JSON or JSON lines)',
        querystring: jsonSchema(AuditQuery),
      },
    },
    async (req, reply) => {
      const q = parseOr(AuditQuery, req.query, 'invalid_query');
      const entries = await privacy.audit.list(req.principal.workspace, { limit: q.limit, since: q.since });
      if (q.format === 'jsonl')
        return reply.type('application/x-ndjson').send(entries.map((e: unknown) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));
      return { entries };
    },
  );

  app.post(
    '/v1/privacy/retention/run',
    {
      config: { access: 'admin' },
      schema: { tags: ['privacy'], summary: 'Apply the retention limits now (the periodic job does it every AFIN_RETENTION_INTERVAL_MINUTES)' },
    },
    async () => privacy.retention.run(),
  );
}
