/** A seeded, realistic ingest workload: a catalogue and a stream of events over it. */
import { rng, skewed, weighted } from './lib.ts';

export interface BenchItem {
  id: string;
  title: string;
  categories: string[];
  tags: string[];
  price: number;
  currency: string;
  language: 'en' | 'es';
}

export type BenchEvent = Record<string, unknown> & { messageId: string; type: string };

const CATEGORIES = ['shoes', 'running', 'jackets', 'dresses', 'jeans', 'watches', 'bags', 'hiking', 'books', 'kitchen', 'garden', 'toys'];
const TAGS = ['sale', 'new', 'eco', 'premium', 'budget', 'waterproof', 'lightweight', 'bestseller', 'gift', 'limited'];
const QUERIES = ['running shoes', 'zapatillas', 'rain jacket', 'summer dress', 'cheap watch', 'hiking boots', 'regalo', 'kitchen knife'];

export function makeItems(n: number, seed = 1): BenchItem[] {
  const rand = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const cat = CATEGORIES[i % CATEGORIES.length];
    return {
      id: `it-${String(i + 1).padStart(5, '0')}`,
      title: `${cat[0].toUpperCase()}${cat.slice(1)} model ${i + 1}`,
      categories: [cat, CATEGORIES[(i * 7 + 3) % CATEGORIES.length]],
      tags: [TAGS[i % TAGS.length], TAGS[(i * 3 + 1) % TAGS.length]],
      price: Math.round((5 + rand() * 195) * 100) / 100,
      currency: 'EUR',
      language: rand() < 0.3 ? 'es' : 'en',
    };
  });
}

/** Event types in rough proportion to a shop's traffic. */
const TYPE_MIX: ReadonlyArray<readonly [string, number]> = [
  ['view', 48],
  ['impression', 15],
  ['click', 10],
  ['add_to_cart', 7],
  ['search', 6],
  ['purchase', 3],
  ['rating', 2],
  ['like', 2],
  ['email_open', 2],
  ['email_click', 1],
  ['dislike', 1],
  ['return', 0.5],
  ['chat', 0.5],
];
const ITEM_TYPES = new Set(['view', 'click', 'add_to_cart', 'purchase', 'rating', 'like', 'dislike', 'return', 'impression', 'email_click']);

export interface WorkloadOptions {
  users: number;
  items: BenchItem[];
  /** Prefix of every messageId (unique per run and phase). */
  prefix: string;
  seed: number;
  /** Epoch ms the events end at; they spread over the week before. */
  now: number;
}

/**
 * `count` events: ~92% from known users, ~7% from anonymous visitors, ~1% carrying both ids (a
 * login, which links the visitor to the user). Users and items are skewed (a few heavy, a long tail).
 */
export function makeEvents(count: number, o: WorkloadOptions): BenchEvent[] {
  const rand = rng(o.seed);
  const week = 7 * 24 * 3_600_000;
  const out: BenchEvent[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const type = weighted(rand, TYPE_MIX);
    const e: BenchEvent = {
      messageId: `${o.prefix}-${i}`,
      type,
      timestamp: Math.floor(o.now - week + (week * i) / count),
      channel: type.startsWith('email') ? 'email' : rand() < 0.7 ? 'web' : 'app',
    };
    const u = skewed(rand, o.users);
    const who = rand();
    if (who < 0.07) e.anonymousId = `anon-${u % 600}`;
    else if (who < 0.08) {
      e.userId = `user-${String(u + 1).padStart(5, '0')}`;
      e.anonymousId = `login-${u}`;
    } else e.userId = `user-${String(u + 1).padStart(5, '0')}`;
    const item = o.items[skewed(rand, o.items.length, 1.8)];
    if (ITEM_TYPES.has(type)) e.itemId = item.id;
    if (type === 'rating') e.value = 1 + Math.floor(rand() * 5);
    if (type === 'purchase') e.value = item.price;
    if (type === 'search') e.query = QUERIES[Math.floor(rand() * QUERIES.length)];
    if (type === 'impression') e.recommendationId = `rec_bench_${Math.floor(rand() * 1e6)}`;
    if (rand() < 0.2) e.properties = { page: rand() < 0.5 ? 'home' : 'product', ab: rand() < 0.5 ? 'a' : 'b' };
    out[i] = e;
  }
  return out;
}
