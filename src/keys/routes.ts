import type { FastifyInstance } from 'fastify';
import { AfinError, parseOr } from '../domain/errors.ts';
import { KeyBody, KeySettingsBody, UserTokenBody, WorkspaceBody } from './schemas.ts';
import type { KeyService } from './key-service.ts';
import { jsonSchema } from '../http/json-schema.ts';
import { idParam } from '../http/route-helpers.ts';

/** API keys of the caller's workspace, and workspaces (root key only). */
export async function keyRoutes(app: FastifyInstance, { keys }: { keys: KeyService }) {
  app.post(
    '/v1/keys',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['keys'],
        summary: 'Create a key in this workspace, optionally with allowedOrigins (browsers) and a rateLimit; the secret is shown once',
        body: jsonSchema(KeyBody),
      },
    },
    async (req, reply) => reply.status(201).send(await keys.create(req.principal.workspace, req.body)),
  );

  app.get(
    '/v1/keys',
    {
      config: { access: 'admin' },
      schema: { tags: ['keys'], summary: 'The keys of this workspace (never their secrets)' },
    },
    async (req) => ({ keys: await keys.list(req.principal.workspace) }),
  );

  app.patch(
    '/v1/keys/:id',
    {
      config: { access: 'admin' },
      schema: { tags: ['keys'], summary: "Change a key's allowed browser origins or rate limit (null clears)", body: jsonSchema(KeySettingsBody) },
    },
    async (req) => {
      const id = idParam(req.params);
      const out = await keys.updateSettings(req.principal.workspace, id, req.body);
      if (!out) throw new AfinError('not_found', `key "${id}" not found`, 'id');
      return out;
    },
  );

  app.delete(
    '/v1/keys/:id',
    {
      config: { access: 'admin' },
      schema: { tags: ['keys'], summary: 'Revoke a key' },
    },
    async (req, reply) => {
      const id = idParam(req.params);
      if (!(await keys.revoke(req.principal.workspace, id))) throw new AfinError('not_found', `key "${id}" not found`, 'id');
      return reply.status(204).send();
    },
  );

  app.post(
    '/v1/users/:id/token',
    {
      config: { access: 'server' },
      schema: {
        tags: ['keys'],
        summary: 'Mint a signed user token for the signed-in person, for public keys that require one (Afin-User-Token)',
        body: jsonSchema(UserTokenBody),
      },
    },
    async (req) => {
      const { ttlSeconds } = parseOr(UserTokenBody, req.body ?? {}, 'invalid_body');
      return keys.userTokens.mint(req.principal.workspace, idParam(req.params), ttlSeconds ?? 3600);
    },
  );

  app.post(
    '/v1/workspaces',
    {
      config: { access: 'root' },
      schema: { tags: ['keys'], summary: 'Create a workspace (root key only)', body: jsonSchema(WorkspaceBody) },
    },
    async (req, reply) => {
      const { id, name } = parseOr(WorkspaceBody, req.body, 'invalid_body');
      const ws = await keys.createWorkspace(id, name ?? null);
      if (!ws) throw new AfinError('conflict', `workspace "${id}" already exists`, 'id');
      return reply.status(201).send({ ...ws, createdAt: new Date(ws.createdAt).toISOString() });
    },
  );

  app.get(
    '/v1/workspaces',
    {
      config: { access: 'root' },
      schema: { tags: ['keys'], summary: 'All workspaces (root key only)' },
    },
    async () => ({ workspaces: (await keys.listWorkspaces()).map((w) => ({ ...w, createdAt: new Date(w.createdAt).toISOString() })) }),
  );
}
