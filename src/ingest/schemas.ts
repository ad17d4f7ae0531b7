/** The ingestion routes' bodies beyond items and events (which are the domain's own). */
import { z } from 'zod';
import { Id, UserId } from '../domain/schemas.ts';

export const AliasBody = z.object({ anonymousId: Id, userId: UserId }).strict();
