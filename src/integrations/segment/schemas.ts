/**
 * Segment's (and RudderStack's) HTTP tracking messages, as far as Afín reads them. Lenient where the
 * spec is (unknown fields such as `integrations`, `_metadata` or `context.library` are ignored, ids may
 * be numbers), strict on what Afín stores: ids, times and the free-form objects' size.
 */
import { z } from 'zod';
import { FREE_FORM_MAX_BYTES, Id, Text, Timestamp, UserId, freeForm } from '../../domain/schemas.ts';

export const MESSAGE_TYPES = ['track', 'identify', 'page', 'screen', 'alias', 'group'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Segment's libraries accept numeric ids and send them as numbers or as their text. */
const idOf = (id: typeof Id) => z.union([id, z.number().finite().transform(String).pipe(id)]);

/** Segment caps one message at 32 KB; Afín's properties and traits keep its own 16 KB bound. */
const Message = z
  .object({
    type: z.enum(MESSAGE_TYPES).optional(),
    messageId: Id.optional(),
    userId: idOf(UserId).optional(),
    anonymousId: idOf(Id).optional(),
    previousId: idOf(Id).optional(),
    groupId: idOf(Id).optional(),
    event: Text(200).pipe(z.string().min(1, 'must not be empty')).optional(),
    name: Text(200).optional(),
    properties: freeForm().optional(),
    traits: freeForm().optional(),
    context: freeForm(8, FREE_FORM_MAX_BYTES).optional(),
    channel: Text(64).optional(),
    timestamp: Timestamp.optional(),
    originalTimestamp: Timestamp.optional(),
    sentAt: Timestamp.optional(),
  })
  .passthrough();

export const SegmentMessage = Message;
export type SegmentMessageT = z.infer<typeof SegmentMessage>;

/**
 * What a call of this type must carry, checked once the type is known (a batch's message names it, a
 * single route such as `/v1/track` implies it): the field that is missing, or null.
 */
export function missingField(m: SegmentMessageT, type: MessageType): { field: string; message: string } | null {
  if (type === 'track' && m.event === undefined) return { field: 'event', message: 'a track call names its event' };
  if (type === 'alias') {
    if (!m.userId) return { field: 'userId', message: 'an alias call needs userId' };
    if (!m.previousId && !m.anonymousId) return { field: 'previousId', message: 'an alias call needs previousId (or anonymousId)' };
    return null;
  }
  if (!m.userId && !m.anonymousId) return { field: 'userId', message: 'userId or anonymousId is required' };
  return null;
}
/** At most as many messages as Afín's own batches; Segment's libraries send 15 to 100. */
export const MAX_MESSAGES = 1000;

/** `/v1/batch`: the messages, with the batch's `sentAt` (clock-skew correction) and shared `context`. */
export const SegmentBatch = z
  .object({
    batch: z.array(z.unknown()).min(1, 'must hold at least one message').max(MAX_MESSAGES, `must hold at most ${MAX_MESSAGES} messages`),
    sentAt: Timestamp.optional(),
    context: freeForm().optional(),
  })
  .passthrough();

/** The OpenAPI document's picture of a message (validation stays with the schemas above). */
export const MESSAGE_DOC = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: [...MESSAGE_TYPES] },
    messageId: { type: 'string' },
    userId: { type: 'string' },
    anonymousId: { type: 'string' },
    previousId: { type: 'string' },
    event: { type: 'string' },
    name: { type: 'string' },
    properties: { type: 'object' },
    traits: { type: 'object' },
    context: { type: 'object' },
    timestamp: { type: 'string' },
    originalTimestamp: { type: 'string' },
    sentAt: { type: 'string' },
  },
} as const;
