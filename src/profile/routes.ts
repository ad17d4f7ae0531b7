import type { FastifyInstance } from 'fastify';
import type { Engine } from '../server/compose.ts';
import { idParam } from '../http/route-helpers.ts';
import { viewProfile, type Profile } from './profile.ts';

/** The real-time profile of a person. */
export async function profileRoutes(app: FastifyInstance, { engine }: { engine: Engine }) {
  app.get('/v1/users/:id/profile', {
    config: { access: 'server' },
    schema: { tags: ['profile'], summary: 'Features, affinities, funnel stage, segments and consent of a user' },
  }, async (req) => {
    const ws = req.principal.workspace;
    const id = idParam(req.params);
    const [user, raw, consent, catalog] = await Promise.all([
      engine.store.getUser(ws, id), engine.store.getProfile(ws, id), engine.consent.state(ws, id), engine.state.catalog(ws),
    ]);
    const traitLanguage = typeof user?.traits.language === 'string' ? user.traits.language : undefined;
    return { userId: id, traits: user?.traits ?? {}, ...viewProfile(raw as Profile | null, engine.clock(), { traitLanguage, terciles: catalog.terciles }), consent };
  });
}
