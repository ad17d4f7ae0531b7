import { z } from 'zod';
import { parseOr } from '../domain/errors.ts';
import { Id } from '../domain/schemas.ts';

export const IdParams = z.object({ id: Id }).strict();

/** Validates `:id` (and any other declared path parameter). */
export function idParam(params: unknown): string {
  return parseOr(IdParams, params, 'invalid_param').id;
}

export const errorResponse = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } }, required: ['code', 'message'] } },
};
