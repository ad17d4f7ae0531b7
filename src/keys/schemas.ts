/** The key and workspace routes' request bodies. */
import { z } from 'zod';
import { KEY_SCOPES, Text } from '../domain/schemas.ts';

/** A browser origin as the `Origin` header carries it: scheme, host and optional port, nothing else. */
export const Origin = z
  .string()
  .max(300)
  .regex(
    /^(https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?|\*)$/,
    'must be an origin such as https://shop.example (scheme, host, optional port) or *',
  );

/** Per-key settings: the origins a browser may call from, and a rate limit overriding the scope's. */
export const KeySettingsBody = z
  .object({
    allowedOrigins: z.array(Origin).max(100).nullable().optional(),
    rateLimit: z.number().positive().max(1_000_000).nullable().optional(),
    requireUserToken: z.boolean().optional(),
  })
  .strict();

/** A signed user token for a browser: how long it is valid. */
export const UserTokenBody = z
  .object({
    ttlSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .optional(),
  })
  .strict();

export const KeyBody = z
  .object({
    scope: z.enum(KEY_SCOPES),
    name: Text(200).optional(),
    allowedOrigins: z.array(Origin).max(100).optional(),
    rateLimit: z.number().positive().max(1_000_000).optional(),
    requireUserToken: z.boolean().optional(),
  })
  .strict();

export const WorkspaceBody = z
  .object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, - or _'), name: Text(200).optional() })
  .strict();
