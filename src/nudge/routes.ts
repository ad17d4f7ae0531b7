import type { FastifyInstance } from 'fastify';
import { parseOr } from '../domain/errors.ts';
import { jsonSchema } from '../http/json-schema.ts';
import { idParam } from '../http/route-helpers.ts';
import type { NudgeService } from './nudge-service.ts';
import { NudgeSettingsBody, ReviewDecision, ReviewParams, ReviewQuery, RunBody, UserNudgesQuery } from './schemas.ts';

/**
 * Proactive nudges and the review queue. Nothing here takes a public key: a visitor's browser must
 * neither read who gets nudged nor fire, approve or redirect nudges.
 */
export async function nudgeRoutes(app: FastifyInstance, { nudges }: { nudges: NudgeService }) {
  app.get(
    '/v1/nudges/triggers',
    {
      config: { access: 'server' },
      schema: { tags: ['nudges'], summary: "The workspace's triggers, caps, quiet hours and webhook (its secret is never shown)" },
    },
    async (req) => nudges.settingsView(await nudges.settings(req.principal.workspace)),
  );

  app.put(
    '/v1/nudges/triggers',
    {
      // Admin: it sets where Afín sends people's data (the webhook) and how often people are contacted.
      config: { access: 'admin' },
      schema: {
        tags: ['nudges'],
        summary:
          'Set the triggers (abandoned cart, price drop, back in stock, replenishment, churn risk, new item match, reminder), caps, quiet hours and the signed webhook',
        body: jsonSchema(NudgeSettingsBody),
      },
    },
    async (req) => nudges.putSettings(req.principal.workspace, req.body),
  );

  app.post(
    '/v1/nudges/run',
    {
      config: { access: 'server' },
      schema: { tags: ['nudges'], summary: 'Evaluate the triggers now (everyone, or one userId) and deliver what is due', body: jsonSchema(RunBody) },
    },
    async (req) => nudges.run(req.principal.workspace, parseOr(RunBody, req.body ?? {}, 'invalid_body')),
  );

  app.get(
    '/v1/users/:id/nudges',
    {
      config: { access: 'server' },
      schema: {
        tags: ['nudges'],
        summary: "A user's nudges: the signal that fired each, its items, message, channel, status and delivery log",
        querystring: jsonSchema(UserNudgesQuery),
      },
    },
    async (req) => nudges.forUser(req.principal.workspace, idParam(req.params), req.query),
  );

  app.get(
    '/v1/review',
    {
      config: { access: 'server' },
      schema: {
        tags: ['nudges'],
        summary: 'What waits for a person: nudges and generated content (`kind: "content"`) held for review and chats waiting for a human agent, oldest first',
        querystring: jsonSchema(ReviewQuery),
      },
    },
    async (req) => nudges.reviewQueue(req.principal.workspace, req.query),
  );

  app.post(
    '/v1/review/:id',
    {
      config: { access: 'server' },
      schema: {
        tags: ['nudges'],
        summary:
          'Approve, reject or edit a nudge or a generated piece held for review (who and when go to the audit log); releasing needs marketing consent where the piece did (409 naming consent.marketing)',
        body: jsonSchema(ReviewDecision),
      },
    },
    async (req) => {
      const { id } = parseOr(ReviewParams, req.params, 'invalid_param');
      const p = req.principal;
      return nudges.decide(p.workspace, id, req.body, { keyId: p.keyId, scope: p.root ? 'root' : p.scope });
    },
  );
}
