import type { FastifyInstance } from 'fastify';
import { idParam } from '../http/route-helpers.ts';
import type { ProfileService } from './profile-service.ts';

/** The real-time profile of a person. */
export async function profileRoutes(app: FastifyInstance, { profiles }: { profiles: ProfileService }) {
  app.get(
    '/v1/users/:id/profile',
    {
      config: { access: 'server' },
      schema: { tags: ['profile'], summary: 'Features, affinities, funnel stage, segments, consent and predictions (with profiling consent) of a user' },
    },
    async (req) => profiles.view(req.principal.workspace, idParam(req.params), { predictions: true }),
  );
}
