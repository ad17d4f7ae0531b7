/**
 * The content eval's generated people (content.ts makes them) and how a fresh server gets to know
 * them: both the written-pieces run and the headline run start from the same shop.
 */
import type { ItemInput, StoredItem } from '../domain/schemas.ts';
import type { Lang } from '../text/text.ts';
import type { EvalServer } from './served.ts';

export interface Person {
  id: string;
  lang: Lang;
  tone: 'informal' | 'technical' | 'direct';
  address: 'tu' | 'usted';
  name: string;
  personalization: boolean;
  events: Array<{ type: string; userId: string; itemId: string; timestamp: number }>;
}

/**
 * Loads the catalogue (1,000 items a request), the people's events, traits and consent (marketing on; personalization as each person chose) into a server; returns the items by
 * id as the server stores them.
 */
export async function loadShop(server: EvalServer, items: readonly ItemInput[], people: readonly Person[]): Promise<Map<string, StoredItem>> {
  for (let s = 0; s < items.length; s += 1000) await server.call('PUT', '/v1/items', items.slice(s, s + 1000));
  await server.call(
    'POST',
    '/v1/events',
    people.flatMap((p) => p.events),
  );
  for (const p of people) {
    await server.call('PUT', `/v1/users/${p.id}`, { traits: { name: p.name, language: p.lang, tone: p.tone, address: p.address } });
    await server.call('PUT', `/v1/users/${p.id}/consent`, { marketing: true, personalization: p.personalization });
  }
  return new Map(items.map((it) => [it.id, { ...it, available: it.available ?? true, updatedAt: 0 } as StoredItem]));
}
