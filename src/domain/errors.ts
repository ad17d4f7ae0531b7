import type { z } from 'zod';

/**
 * The one catalogue of errors Afín answers with. Each key equals its code; the HTTP layer renders
 * every AfinError as `{ error: { code, message, field } }` with its status.
 */
export const ERRORS = {
  invalid_body: { status: 400, message: 'The request body is not valid' },
  invalid_query: { status: 400, message: 'A query parameter is not valid' },
  invalid_param: { status: 400, message: 'A path parameter is not valid' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON' },
  batch_too_large: { status: 413, message: 'A batch holds at most 1,000 elements' },
  payload_too_large: { status: 413, message: 'The request body is too large' },
  unsupported_media_type: { status: 415, message: 'Send JSON with Content-Type: application/json' },
  unauthorized: { status: 401, message: 'A valid API key is required: Authorization: Bearer <key>' },
  forbidden: { status: 403, message: 'This key may not do that' },
  not_found: { status: 404, message: 'Not found' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  conflict: { status: 409, message: 'Conflict' },
  rate_limited: { status: 429, message: 'Too many requests' },
  unavailable: { status: 503, message: 'Not ready' },
  internal: { status: 500, message: 'Internal error' },
  training_failed: { status: 500, message: 'Training failed; the previous models keep serving' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class AfinError extends Error {
  override readonly name = 'AfinError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly field?: string,
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }
}

/** Renders a zod issue path such as `[3].itemId` or `traits.name`. */
export function pathToField(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** The first issue of a failed parse, as a sentence naming the field. */
export function describeIssue(err: z.ZodError, prefix = ''): { field: string; message: string } {
  const issue = err.issues[0];
  let path = issue.path as PropertyKey[];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0]];
    message = `unknown field (allowed fields are listed in /docs)`;
  }
  const inner = pathToField(path);
  const field = prefix && inner ? (inner.startsWith('[') ? prefix + inner : `${prefix}.${inner}`) : prefix || inner;
  return { field: field || prefix || 'body', message: `${field || 'body'}: ${message}` };
}

/** Parses `data` with `schema`, throwing an AfinError of `code` that names the field. */
export function parseOr<S extends z.ZodType>(schema: S, data: unknown, code: 'invalid_body' | 'invalid_query' | 'invalid_param', prefix = ''): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const { field, message } = describeIssue(r.error, prefix);
  throw new AfinError(code, message, field);
}
