import { z } from 'zod';

/** A zod schema as JSON Schema for the OpenAPI document (validation itself stays with zod). */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}
