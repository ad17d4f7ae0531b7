import { z } from 'zod';
import type { StoredItem } from '../domain/schemas.ts';
import { CONTEXTS, EVENT_TYPES, Id, Text } from '../domain/schemas.ts';
import { RATING_MODES } from '../domain/weights.ts';
import { STAGE_NAMES, type StageName } from './pipeline/stages.ts';

/** Which items a rule is about: all given conditions must hold. */
export const Match = z
  .object({
    itemIds: z.array(Id).max(1000).optional(),
    category: Text(200).optional(),
    tag: Text(200).optional(),
    attribute: z
      .object({ key: Text(200), value: z.union([Text(500), z.number().finite(), z.boolean()]) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((m) => Object.keys(m).length > 0, 'a match needs at least one condition');
export type MatchT = z.infer<typeof Match>;

const contexts = z.array(z.enum(CONTEXTS)).max(CONTEXTS.length).optional();

/** Business rules, applied after scoring: boost, bury, pin, filter by attribute, exclude. */
export const Rule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('boost'), match: Match, factor: z.number().finite().min(1).max(100), contexts, name: Text(200).optional() }).strict(),
  z.object({ kind: z.literal('bury'), match: Match, contexts, name: Text(200).optional() }).strict(),
  z.object({ kind: z.literal('pin'), itemId: Id, position: z.number().int().min(1).max(100), contexts, name: Text(200).optional() }).strict(),
  z.object({ kind: z.literal('filter'), match: Match, contexts, name: Text(200).optional() }).strict(),
  z.object({ kind: z.literal('exclude'), match: Match, contexts, name: Text(200).optional() }).strict(),
]);
export type RuleT = z.infer<typeof Rule>;

/** A workspace's ranking settings (`PUT /v1/settings/ranking`). */
export const RankingSettings = z
  .object({
    /** Weight of each event type as a signal (a purchase more than a view; negatives count against). */
    eventWeights: z.record(z.enum(EVENT_TYPES), z.number().finite().min(-100).max(100)).optional(),
    /** How ratings count: as interactions whose stars say how strongly (default), or centred on 3 stars (explicit negatives). */
    ratings: z.enum(RATING_MODES).optional(),
    /** Half-life of a history event's weight, in days (counted back from the person's own latest event). */
    historyHalfLifeDays: z.number().finite().min(0.1).max(3650).optional(),
    /** The largest share of one page from one category (diversity); 1 turns it off. */
    maxCategoryShare: z.number().finite().min(0.1).max(1).optional(),
    rules: z.array(Rule).max(200).optional(),
    /** Pipeline stages turned on or off by name (all on by default): see `STAGES`. */
    stages: z.partialRecord(z.enum(STAGE_NAMES as [StageName, ...StageName[]]), z.boolean()).optional(),
  })
  .strict();
export type RankingSettingsT = z.infer<typeof RankingSettings>;

export function matches(item: StoredItem, m: MatchT): boolean {
  if (m.itemIds && !m.itemIds.includes(item.id)) return false;
  if (m.category && !(item.categories ?? []).some((c) => c.toLowerCase() === m.category!.toLowerCase())) return false;
  if (m.tag && !(item.tags ?? []).some((t) => t.toLowerCase() === m.tag!.toLowerCase())) return false;
  if (m.attribute) {
    const v = item.attributes?.[m.attribute.key];
    const want = m.attribute.value;
    const eq = (x: unknown) => (typeof x === 'string' && typeof want === 'string' ? x.toLowerCase() === want.toLowerCase() : x === want);
    if (!(Array.isArray(v) ? v.some(eq) : eq(v))) return false;
  }
  return true;
}

const applies = (r: RuleT, context: string) => !r.contexts || r.contexts.includes(context as never);

/** Multiplies scores by boosts and buries, and tells which items filters and exclusions keep. */
export function scoreRules(
  items: readonly StoredItem[],
  scores: Float64Array,
  rules: readonly RuleT[],
  context: string,
): { keep: (i: number) => boolean; applied: string[] } {
  const active = rules.filter((r) => applies(r, context));
  const applied: string[] = [];
  const filters = active.filter((r): r is Extract<RuleT, { kind: 'filter' | 'exclude' }> => r.kind === 'filter' || r.kind === 'exclude');
  for (const r of active) {
    if (r.kind !== 'boost' && r.kind !== 'bury') continue;
    applied.push(r.name ?? `${r.kind} ${JSON.stringify(r.match)}`);
    for (let i = 0; i < items.length; i++) {
      if (Number.isNaN(scores[i]) || !matches(items[i], r.match)) continue;
      // A buried item keeps its order among buried ones but falls below every unburied one.
      scores[i] = r.kind === 'boost' ? scores[i] * r.factor : scores[i] * 1e-6 - 1;
    }
  }
  for (const r of filters) applied.push(r.name ?? `${r.kind} ${JSON.stringify(r.match)}`);
  return {
    keep: (i) => filters.every((r) => (r.kind === 'filter' ? matches(items[i], r.match) : !matches(items[i], r.match))),
    applied,
  };
}

/** Places pinned items at their positions (1-based) in a ranked list of item indices. */
export function pin(
  ranked: readonly number[],
  rules: readonly RuleT[],
  context: string,
  indexOf: (id: string) => number | undefined,
  allowed: (i: number) => boolean,
  n: number,
): { list: number[]; pinned: Set<number>; applied: string[] } {
  const pins = rules.filter((r): r is Extract<RuleT, { kind: 'pin' }> => r.kind === 'pin' && applies(r, context)).sort((a, b) => a.position - b.position);
  const pinned = new Set<number>();
  const applied: string[] = [];
  const list = [...ranked];
  for (const p of pins) {
    const i = indexOf(p.itemId);
    if (i === undefined || !allowed(i) || pinned.has(i)) continue;
    const at = list.indexOf(i);
    if (at >= 0) list.splice(at, 1);
    list.splice(Math.min(p.position - 1, list.length), 0, i);
    pinned.add(i);
    applied.push(p.name ?? `pin ${p.itemId} at ${p.position}`);
  }
  return { list: list.slice(0, n), pinned, applied };
}

/**
 * Greedy re-ranking so no category fills more than `maxShare` of the page: a candidate over its
 * category's share waits, and waiting ones fill the page only when nothing else is left.
 */
export function diversify(ranked: readonly number[], categoryOf: (i: number) => string | undefined, n: number, maxShare: number): number[] {
  if (maxShare >= 1) return ranked.slice(0, n);
  const cap = Math.max(1, Math.ceil(n * maxShare));
  const count = new Map<string, number>();
  const out: number[] = [];
  const waiting: number[] = [];
  for (const i of ranked) {
    if (out.length === n) break;
    const c = categoryOf(i);
    if (c !== undefined && (count.get(c) ?? 0) >= cap) {
      waiting.push(i);
      continue;
    }
    if (c !== undefined) count.set(c, (count.get(c) ?? 0) + 1);
    out.push(i);
  }
  for (const i of waiting) if (out.length < n) out.push(i);
  return out;
}
