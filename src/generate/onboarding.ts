/**
 * Onboarding plans, the pure part: which steps a person has done, the orders the workspace's data
 * suggests (its own, by role, learned from who activated), and a plan that follows one of them while
 * always putting a step after its prerequisites.
 */
import type { StoredEvent } from '../domain/schemas.ts';
import type { OnboardingStepsT } from './schemas.ts';

export type OrderKind = 'learned' | 'role' | 'defined';

/** What a person did: each step's first completion time, and whether (and when) they activated. */
export interface Progress {
  doneAt: Map<string, number>;
  activatedAt: number | null;
}

/** One person's path through the steps, as the learned order reads it. */
export interface Journey {
  subject: string;
  role: string | null;
  /** Steps done, in the order done. */
  order: string[];
  activated: boolean;
}

/** Whether an event marks a step done: it names the step in `properties.step`, or matches the step's `doneWhen`. */
function marksStep(e: Pick<StoredEvent, 'type' | 'itemId' | 'properties'>, step: OnboardingStepsT['steps'][number]): boolean {
  if (e.properties?.step === step.id) return true;
  const w = step.doneWhen;
  return !!w && e.type === w.type && (w.itemId === undefined || e.itemId === w.itemId);
}

/** Whether an event could matter to onboarding at all (a cheap filter for scanning a workspace). */
export function touchesOnboarding(e: Pick<StoredEvent, 'type' | 'itemId' | 'properties'>, def: OnboardingStepsT): boolean {
  return (
    (typeof e.properties?.step === 'string' && def.steps.some((s) => s.id === e.properties?.step)) ||
    def.steps.some((s) => marksStep(e, s)) ||
    e.type === def.activation?.type
  );
}

export function progressOf(events: ReadonlyArray<Pick<StoredEvent, 'type' | 'itemId' | 'properties' | 'timestamp'>>, def: OnboardingStepsT): Progress {
  const doneAt = new Map<string, number>();
  let typeAt: number | null = null;
  for (const e of [...events].sort((a, b) => a.timestamp - b.timestamp)) {
    for (const s of def.steps) if (!doneAt.has(s.id) && marksStep(e, s)) doneAt.set(s.id, e.timestamp);
    if (typeAt === null && def.activation?.type && e.type === def.activation.type) typeAt = e.timestamp;
  }
  let activatedAt: number | null;
  if (def.activation?.type) activatedAt = typeAt;
  else if (def.activation?.step) activatedAt = doneAt.get(def.activation.step) ?? null;
  else activatedAt = doneAt.size === def.steps.length ? Math.max(...doneAt.values()) : null;
  return { doneAt, activatedAt };
}

/** The steps done, in the order they were done (ties by the workspace's order). */
export function doneOrder(p: Progress, def: OnboardingStepsT): string[] {
  const index = new Map(def.steps.map((s, k) => [s.id, k]));
  return [...p.doneAt].sort((a, b) => a[1] - b[1] || index.get(a[0])! - index.get(b[0])!).map(([id]) => id);
}

/** Each step's prerequisites, direct and indirect. */
export function ancestors(def: OnboardingStepsT): Map<string, Set<string>> {
  const req = new Map(def.steps.map((s) => [s.id, s.prerequisites]));
  const out = new Map<string, Set<string>>();
  const of = (id: string): Set<string> => {
    const hit = out.get(id);
    if (hit) return hit;
    const set = new Set<string>();
    out.set(id, set); // a cycle is refused when the steps are saved; this only guards the walk
    for (const p of req.get(id) ?? []) {
      set.add(p);
      for (const a of of(p)) set.add(a);
    }
    return set;
  };
  for (const s of def.steps) of(s.id);
  return out;
}

/**
 * The plan: every step once, each after its prerequisites, the steps already done first (in the
 * order done), then at each point the free step ranked highest (ties: the workspace's order), a
 * step ranking at least as high as anything that requires it.
 */
export function orderSteps(def: OnboardingStepsT, own: ReadonlyMap<string, number>, done: readonly string[]): string[] {
  // A step wanted early pulls its prerequisites forward with it, or a free step of lower priority
  // would go ahead of the prerequisite and so of the step itself.
  const anc = ancestors(def);
  const priority = new Map<string, number>();
  for (const s of def.steps) priority.set(s.id, own.get(s.id) ?? 0);
  for (const s of def.steps) for (const a of anc.get(s.id)!) priority.set(a, Math.max(priority.get(a)!, own.get(s.id) ?? 0));
  const placed = new Set<string>();
  const out: string[] = [];
  for (const id of done)
    if (def.steps.some((s) => s.id === id)) {
      placed.add(id);
      out.push(id);
    }
  while (out.length < def.steps.length) {
    let best: { id: string; p: number } | null = null;
    for (const s of def.steps) {
      if (placed.has(s.id) || !s.prerequisites.every((p) => placed.has(p))) continue;
      const p = priority.get(s.id) ?? 0;
      if (!best || p > best.p) best = { id: s.id, p };
    }
    // Only a cycle leaves no free step; the schema refuses cycles, so this is the defined order's fallback.
    const next = best?.id ?? def.steps.find((s) => !placed.has(s.id))!.id;
    placed.add(next);
    out.push(next);
  }
  return out;
}

/** How many of the role's tags each step carries (the role's steps first). */
export function rolePriority(def: OnboardingStepsT, role: string | null): Map<string, number> | null {
  const tags = role ? def.roles[role]?.tags : undefined;
  if (!tags?.length) return null;
  const want = new Set(tags);
  const p = new Map(def.steps.map((s) => [s.id, s.tags.filter((t) => want.has(t)).length]));
  return [...p.values()].some((v) => v > 0) ? p : null;
}

/** How alike two roles are: the share of tags they have in common (Jaccard), 1 for the same role. */
export function roleSimilarity(def: OnboardingStepsT, a: string | null, b: string | null): number {
  if (a !== null && a === b) return 1;
  const ta = new Set(a ? (def.roles[a]?.tags ?? []) : []);
  const tb = new Set(b ? (def.roles[b]?.tags ?? []) : []);
  const both = [...ta].filter((t) => tb.has(t)).length;
  const either = new Set([...ta, ...tb]).size;
  return either ? both / either : 0;
}

/** Below this many journeys of their own role, a person learns from people of similar roles too. */
export const ROLE_MIN_JOURNEYS = 10;
/** Below this much (weighted) evidence, there is no learned order. */
export const LEARN_MIN_WEIGHT = 5;
/** People of unrelated roles still count this much when a role has little data: they are people too. */
const ANYONE_WEIGHT = 0.1;

export interface LearnedOrder {
  priority: Map<string, number>;
  /** The journeys' total weight, and how many were of the person's own role. */
  weight: number;
  ownRole: number;
}

/**
 * The order that led people like this one to activate. For each two steps neither of which requires
 * the other, the activation rate (with a uniform prior) of people who did the first before the second
 * (doing one and never the other counts as before) against that of those who did the reverse; a
 * step's priority is the sum of its margins. "Like this one" is the same role when the role has
 * ROLE_MIN_JOURNEYS journeys, else weighted by how alike the roles are.
 */
export function learnOrder(def: OnboardingStepsT, role: string | null, journeys: readonly Journey[]): LearnedOrder | null {
  const own = journeys.filter((j) => j.role !== null && j.role === role).length;
  const weighted = journeys
    .map((j) => ({ j, w: own >= ROLE_MIN_JOURNEYS ? (j.role === role ? 1 : 0) : Math.max(ANYONE_WEIGHT, roleSimilarity(def, role, j.role)) }))
    .filter((x) => x.w > 0 && x.j.order.length > 0);
  const weight = weighted.reduce((s, x) => s + x.w, 0);
  if (weight < LEARN_MIN_WEIGHT) return null;
  const ids = def.steps.map((s) => s.id);
  const k = ids.length;
  const n = new Float64Array(k * k);
  const act = new Float64Array(k * k);
  for (const { j, w } of weighted) {
    const pos = new Map(j.order.map((id, i) => [id, i]));
    for (let a = 0; a < k; a++) {
      const pa = pos.get(ids[a]);
      if (pa === undefined) continue;
      for (let b = 0; b < k; b++) {
        if (a === b) continue;
        const pb = pos.get(ids[b]);
        if (pb !== undefined && pb < pa) continue;
        n[a * k + b] += w;
        if (j.activated) act[a * k + b] += w;
      }
    }
  }
  const anc = ancestors(def);
  const priority = new Map<string, number>();
  for (const s of def.steps) priority.set(s.id, 0);
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) {
      // A pair a prerequisite orders teaches nothing about choice.
      if (anc.get(ids[a])!.has(ids[b]) || anc.get(ids[b])!.has(ids[a])) continue;
      const ab = (act[a * k + b] + 1) / (n[a * k + b] + 2);
      const ba = (act[b * k + a] + 1) / (n[b * k + a] + 2);
      priority.set(ids[a], priority.get(ids[a])! + ab - ba);
      priority.set(ids[b], priority.get(ids[b])! + ba - ab);
    }
  return { priority, weight, ownRole: own };
}
