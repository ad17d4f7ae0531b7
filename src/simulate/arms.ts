/**
 * The arms the simulator compares, and how each one asks Afín for a shopper's page.
 */
import type { CatalogItem } from './catalog.ts';
import type { DeclaredTraits } from './population.ts';
import { createRandom, type Seed } from './random.ts';

export const ARMS = ['random', 'popular', 'segment', 'personalized', 'personalized+chat'] as const;
export type Arm = (typeof ARMS)[number];
/** The old way, the control every other arm is compared with. */
export const CONTROL_ARM: Arm = 'segment';
/** The personalized page, and the shop assistant serving a share of the visits (see `chat.ts`). */
export const CHAT_ARM: Arm = 'personalized+chat';

/** The engine's strategy behind an arm's pages (`?strategy=`): the chat arm's pages are the personalized ones. */
export function strategyOf(arm: Arm): Exclude<Arm, 'personalized+chat'> {
  return arm === CHAT_ARM ? 'personalized' : (arm as Exclude<Arm, 'personalized+chat'>);
}

/** A workspace id for an arm's world (ids take lowercase letters, digits, - and _). */
export function workspaceFor(prefix: string, arm: Arm): string {
  return `${prefix}-${arm.replace(/[^a-z0-9_-]/g, '-')}`;
}

export function parseArms(text: string): Arm[] {
  const arms = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = arms.filter((a) => !(ARMS as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`--arms: unknown arm "${unknown[0]}" (known: ${ARMS.join(', ')})`);
  if (!arms.length) throw new Error('--arms: name at least one arm');
  return [...new Set(arms)] as Arm[];
}

/**
 * The query string of `GET /v1/recommendations` for an arm, or null when the page is drawn here.
 * With `strategies` (the engine knows `?strategy=`) every arm is served by the engine. Without it:
 * `popular` is the popularity model, `segment` the best sellers of the shopper's stated interest,
 * `personalized` (and the chat arm's page) the default path, and `random` a seeded pick made here ({@link randomPage}).
 */
export function pageQuery(arm: Arm, userId: string, n: number, traits: DeclaredTraits, strategies: boolean): string | null {
  const q = new URLSearchParams({ userId, n: String(n), context: 'home' });
  if (strategies) q.set('strategy', strategyOf(arm));
  else if (arm === 'random') return null;
  else if (arm === 'popular') q.set('model', 'popularity');
  else if (arm === 'segment') {
    q.set('model', 'popularity');
    q.set('category', traits.interest);
  }
  return `/v1/recommendations?${q}`;
}

/** `n` available items picked at random, seeded by shopper and day (the page is stable within a day). */
export function randomPage(catalog: readonly CatalogItem[], n: number, seed: Seed, userId: string, day: number): CatalogItem[] {
  const on = catalog.filter((it) => it.available !== false);
  return createRandom(seed, `random-page:${userId}:${day}`).sample(on, n);
}

/** What each arm's world trains at night (null: it serves from no model). */
export function trainingFor(arm: Arm): Record<string, string> | null {
  if (arm === 'random') return null;
  if (strategyOf(arm) === 'personalized') return {};
  return { model: 'popularity' };
}
