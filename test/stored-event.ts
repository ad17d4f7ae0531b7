import type { StoredEvent } from '../src/domain/schemas.ts';

/**
 * An event as the store keeps it: a view of item `i1` by a known user, `receivedAt` equal to
 * `timestamp` (1 unless `extra` says otherwise) and every other field empty; `extra` overrides.
 */
export function storedEvent(messageId: string, subject: string, extra: Partial<StoredEvent> = {}): StoredEvent {
  const timestamp = extra.timestamp ?? 1;
  return {
    messageId,
    type: 'view',
    subject,
    userId: subject,
    anonymousId: null,
    itemId: 'i1',
    value: null,
    query: null,
    channel: null,
    recommendationId: null,
    variant: null,
    timestamp,
    receivedAt: timestamp,
    properties: null,
    ...extra,
  };
}
