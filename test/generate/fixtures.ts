/** A small shop and two people who differ in everything the writer reads, for the content tests. */
import type { ItemInput } from '../../src/domain/schemas.ts';
import type { TestApp } from '../helpers.ts';
import { AUTH } from '../helpers.ts';

export const SHOP: ItemInput[] = [
  {
    id: 'shoe-1',
    title: 'Trail Runner 2',
    description: 'A light trail running shoe. Lugged outsole for grip on wet rock. Reinforced toe cap for durability.',
    categories: ['running'],
    tags: ['running', 'trail', 'shoes'],
    price: 89.9,
    currency: 'EUR',
    language: 'en',
    attributes: { brand: 'Vento', colour: 'red', uses: ['running', 'trail'], weight: 260, durability: 'reinforced toe' },
  },
  {
    id: 'shoe-2',
    title: 'City Walker',
    description: 'A sturdy everyday shoe for the commute. Leather upper that lasts for years.',
    categories: ['commuting'],
    tags: ['commuting', 'shoes', 'leather'],
    price: 119,
    currency: 'EUR',
    language: 'en',
    attributes: { brand: 'Urbo', colour: 'black', uses: ['commuting'], weight: 410 },
  },
  {
    id: 'sock-1',
    title: 'Merino Run Socks',
    categories: ['running'],
    tags: ['running', 'socks'],
    price: 14.5,
    currency: 'EUR',
    attributes: { brand: 'Vento', colour: 'grey', uses: ['running'] },
  },
  {
    id: 'bag-1',
    title: 'Commuter Backpack 20 L',
    categories: ['commuting'],
    tags: ['commuting', 'bags'],
    price: 69,
    currency: 'EUR',
    attributes: { brand: 'Urbo', colour: 'black', uses: ['commuting'], capacity: 20 },
  },
  {
    id: 'bottle-1',
    title: 'Botella térmica Vento',
    description: 'Botella de acero inoxidable que mantiene el agua fría durante horas. Ideal para correr.',
    categories: ['running'],
    tags: ['running', 'bottles'],
    price: 24,
    currency: 'EUR',
    language: 'es',
    attributes: { brand: 'Vento', colour: 'blue', uses: ['running'] },
  },
  {
    id: 'lamp-1',
    title: 'Desk Lamp Lumo',
    categories: ['home'],
    tags: ['home', 'lamps'],
    price: 39,
    currency: 'EUR',
    attributes: { brand: 'Lumo', colour: 'white', uses: ['reading'] },
  },
];

export async function call(t: TestApp, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = AUTH) {
  return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

/** Ana runs trails and reads Spanish, informally; Ben commutes, reads English, wants it technical. */
export async function seedShop(t: TestApp): Promise<void> {
  const ok = async (r: Promise<{ statusCode: number; body: string }>) => {
    const res = await r;
    if (res.statusCode >= 300) throw new Error(res.body);
  };
  await ok(call(t, 'PUT', '/v1/items', SHOP));
  const day = 86_400_000;
  const at = (d: number) => new Date(t.clock() - d * day).toISOString();
  const events = [
    { type: 'view', userId: 'ana', itemId: 'shoe-1', timestamp: at(20) },
    { type: 'purchase', userId: 'ana', itemId: 'sock-1', timestamp: at(19) },
    { type: 'view', userId: 'ana', itemId: 'bottle-1', timestamp: at(19) },
    { type: 'add_to_cart', userId: 'ana', itemId: 'shoe-1', timestamp: at(18) },
    { type: 'view', userId: 'ben', itemId: 'shoe-2', timestamp: at(3) },
    { type: 'view', userId: 'ben', itemId: 'bag-1', timestamp: at(3) },
    { type: 'purchase', userId: 'ben', itemId: 'bag-1', timestamp: at(2) },
    { type: 'view', userId: 'cy', itemId: 'lamp-1', timestamp: at(2) },
    { type: 'view', userId: 'cy', itemId: 'shoe-2', timestamp: at(2) },
  ];
  await ok(call(t, 'POST', '/v1/events', events));
  await ok(call(t, 'PUT', '/v1/users/ana', { traits: { name: 'Ana López', language: 'es', tone: 'informal' } }));
  await ok(call(t, 'PUT', '/v1/users/ben', { traits: { name: 'Ben', language: 'en', tone: 'technical' } }));
  for (const u of ['ana', 'ben']) await ok(call(t, 'PUT', `/v1/users/${u}/consent`, { marketing: true, personalization: true }));
  await ok(call(t, 'POST', '/v1/train', {}));
}
