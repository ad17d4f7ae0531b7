/** The privacy routes' request bodies and queries. */
import { z } from 'zod';
import { CONSENT_PURPOSES, MAX_TIME, MIN_TIME, Text, isoTime, parseIsoTime } from '../domain/schemas.ts';

export const ConsentBody = z
  .object({
    personalization: z.boolean().optional(),
    profiling: z.boolean().optional(),
    marketing: z.boolean().optional(),
    chatMemory: z.boolean().optional(),
    source: Text(200).optional(),
    policyVersion: Text(100).optional(),
  })
  .strict()
  .refine((b) => CONSENT_PURPOSES.some((p) => b[p] !== undefined), {
    message: `give at least one purpose: ${CONSENT_PURPOSES.join(', ')}`,
    path: ['personalization'],
  });

/** Objecting to profiling (GDPR Art. 21): one call turns off profiling, personalization and marketing. */
export const ObjectionBody = z.object({ source: Text(200).optional(), policyVersion: Text(100).optional(), reason: Text(1000).optional() }).strict();

export const AuditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
    since: z
      .union([z.coerce.number().int().min(MIN_TIME).max(MAX_TIME), isoTime('must be an ISO 8601 date-time or epoch milliseconds').transform(parseIsoTime)])
      .optional(),
    format: z.enum(['json', 'jsonl']).default('json'),
  })
  .strict();

export const TransparencyQuery = z.object({ format: z.enum(['json', 'text']).default('json') }).strict();
