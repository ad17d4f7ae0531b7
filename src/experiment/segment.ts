/**
 * The `segment` strategy, the "old way" Afín is measured against: people grouped by declared traits
 * (age band, country or location, a stated interest), each group served its best sellers over recent
 * events. Pure: the experiment service feeds it events and traits and caches the result per workspace.
 */

/** The traits a group is made of; `null` where the person did not declare one. */
export interface SegmentKey {
  ageBand: string | null;
  location: string | null;
  interest: string | null;
}

const AGE_BANDS: ReadonlyArray<[number, string]> = [
  [18, 'under 18'],
  [25, '18–24'],
  [35, '25–34'],
  [45, '35–44'],
  [55, '45–54'],
  [65, '55–64'],
  [Infinity, '65+'],
];

function text(v: unknown): string | null {
  if (typeof v === 'string' && v.trim()) return v.trim().split(',')[0].trim().toLowerCase().slice(0, 64) || null;
  if (Array.isArray(v) && typeof v[0] === 'string') return text(v[0]);
  return null;
}

function ageBandOf(traits: Record<string, unknown>, now: number): string | null {
  const declared = text(traits.ageBand ?? traits.age_band);
  if (declared) return declared;
  let age = typeof traits.age === 'number' ? traits.age : typeof traits.age === 'string' ? Number(traits.age) : NaN;
  if (!Number.isFinite(age) && typeof traits.birthYear === 'number') age = new Date(now).getUTCFullYear() - traits.birthYear;
  if (!Number.isFinite(age) || age < 0 || age > 130) return null;
  return AGE_BANDS.find(([below]) => age < below)![1];
}

/**
 * A person's segment from their declared traits: `age` (or `ageBand`, `birthYear`), `country` (or
 * `location`, `city`, `region`), `interest` (or `interests`, `favoriteCategory`; the first one).
 */
export function segmentOf(traits: Record<string, unknown> | null | undefined, now: number): SegmentKey {
  const t = traits ?? {};
  return {
    ageBand: ageBandOf(t, now),
    location: text(t.country ?? t.location ?? t.city ?? t.region),
    interest: text(t.interest ?? t.interests ?? t.favoriteCategory),
  };
}

/** The groups a person belongs to, finest first: all their traits together, then each trait alone. */
export function groupsOf(k: SegmentKey): { full: string | null; singles: string[] } {
  const singles = [k.ageBand && `age ${k.ageBand}`, k.location && `in ${k.location}`, k.interest && `into ${k.interest}`].filter((x): x is string =>
    Boolean(x),
  );
  return { full: singles.length > 1 ? singles.join(' · ') : null, singles };
}

/** How much each event says "this sold": purchases make a best seller; carts and views only break ties in a quiet group. */
const SALE_WEIGHT: Readonly<Record<string, number>> = { purchase: 1, add_to_cart: 0.2, click: 0.02, view: 0.01 };

export interface SegmentEvent {
  subject: string;
  type: string;
  itemId: string | null;
}

/** Best-seller counts per group (and for `everyone`), as a score per catalogue index. */
export interface SegmentTable {
  everyone: Float64Array;
  byGroup: Map<string, Float64Array>;
}

/** Counts the recent events into each group's best sellers. `segmentOfSubject` gives each event's person's segment. */
export function bestSellersByGroup(
  events: Iterable<SegmentEvent>,
  segmentOfSubject: (subject: string) => SegmentKey,
  itemIndex: (id: string) => number | undefined,
  size: number,
): SegmentTable {
  const everyone = new Float64Array(size);
  const byGroup = new Map<string, Float64Array>();
  const add = (group: string, i: number, w: number) => {
    let a = byGroup.get(group);
    if (!a) byGroup.set(group, (a = new Float64Array(size)));
    a[i] += w;
  };
  for (const e of events) {
    const w = SALE_WEIGHT[e.type];
    if (!w || !e.itemId) continue;
    const i = itemIndex(e.itemId);
    if (i === undefined) continue;
    everyone[i] += w;
    const { full, singles } = groupsOf(segmentOfSubject(e.subject));
    if (full) add(full, i, w);
    for (const s of singles) add(s, i, w);
  }
  return { everyone, byGroup };
}

/**
 * The scores a person of this segment is served: their full group's best sellers, backed off to each
 * single trait's group and, faintly, the whole shop's, so a small group still gets a full page. Each
 * source is scaled to a maximum of 1 first, so a large group does not drown a small one's own ranking.
 */
export function segmentScores(table: SegmentTable, k: SegmentKey): { scores: Float64Array; group: string } {
  const { full, singles } = groupsOf(k);
  const scores = new Float64Array(table.everyone.length);
  const mix = (a: Float64Array | undefined, weight: number) => {
    if (!a) return;
    let max = 0;
    for (const x of a) if (x > max) max = x;
    if (max > 0) for (let i = 0; i < a.length; i++) scores[i] += (weight * a[i]) / max;
  };
  mix(full ? table.byGroup.get(full) : undefined, 1);
  for (const s of singles) mix(table.byGroup.get(s), 0.3);
  mix(table.everyone, 0.05);
  return { scores, group: full ?? singles[0] ?? 'everyone' };
}
