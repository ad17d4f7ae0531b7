import type { FastifyInstance } from 'fastify';
import { jsonSchema } from '../http/json-schema.ts';
import type { AuditLog } from './audit.ts';
import { PrivacySettingsBody, type WorkspacePrivacySettings } from './workspace-settings.ts';

/** A workspace's own consent defaults and retention limits (the dashboard's "Keys and settings" edits them). */
export async function privacySettingsRoutes(app: FastifyInstance, { settings, audit }: { settings: WorkspacePrivacySettings; audit: AuditLog }) {
  app.get(
    '/v1/settings/privacy',
    {
      config: { access: 'server' },
      schema: {
        tags: ['privacy'],
        summary: "The workspace's consent defaults and retention limits in force, what it set itself, and the deployment's",
      },
    },
    async (req) => settings.view(req.principal.workspace),
  );

  app.put(
    '/v1/settings/privacy',
    {
      // The entry below says what changed; the generic one would only say that something did.
      config: { access: 'admin', selfAudited: true },
      schema: {
        tags: ['privacy'],
        summary:
          'Replace the workspace\'s consent defaults (per purpose "opt-in" or "opt-out") and retention limits (days, at most the deployment\'s); a field left out follows the deployment',
        body: jsonSchema(PrivacySettingsBody),
      },
    },
    async (req) => {
      const ws = req.principal.workspace;
      const saved = await settings.save(ws, req.body);
      await audit.record(ws, {
        actor: { keyId: req.principal.keyId, scope: req.principal.root ? 'root' : req.principal.scope },
        action: 'privacy.settings',
        detail: saved as Record<string, unknown>,
      });
      return settings.view(ws);
    },
  );
}
