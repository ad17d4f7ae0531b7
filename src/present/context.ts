import type { Profile } from '../profile/profile.ts';

/** Context features hash into this many slots (so a point's vector length never changes). */
export const CONTEXT_DIMS = 8;
/** Option features hash into this many slots; options without features use none. */
export const OPTION_DIMS = 4;

/** FNV-1a of a feature name, to a slot. */
function slotOf(name: string, dims: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) % dims;
}

/** Named features hashed into `dims` slots: a number or boolean adds its value, a string adds 1 at `name=value`. */
export function hashFeatures(
  features: Record<string, number | boolean | string> | undefined,
  dims: number,
  into: Float64Array = new Float64Array(dims),
): Float64Array {
  for (const [name, v] of Object.entries(features ?? {})) {
    if (typeof v === 'string') into[slotOf(`${name}=${v}`, dims)] += 1;
    else into[slotOf(name, dims)] += typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  return into;
}

/** What a profile says, as features: how much and how recently the person acts, their price level, their top categories. */
export function profileFeatures(p: Profile, now: number): Record<string, number | string> {
  const events = Object.values(p.events).reduce((s, e) => s + (e?.count ?? 0), 0);
  const f: Record<string, number | string> = {
    'profile.events': Math.log1p(events) / 5,
    'profile.purchases': Math.log1p(p.purchases) / 3,
    'profile.daysSinceSeen': Math.log1p(Math.max(0, now - p.lastSeen) / 86_400_000) / 3,
    'profile.price': p.price.weight > 0 ? Math.log1p(p.price.sum / p.price.weight) / 7 : 0,
  };
  const top = Object.entries(p.categories).sort((a, b) => b[1] - a[1])[0];
  if (top) f['profile.category'] = top[0];
  return f;
}

/**
 * The context vector a policy sees: the time (hour of day on a circle, weekend), what the caller
 * sent, and the profile's features only when the person allows personalization.
 */
export function contextVector(now: number, context: Record<string, number | boolean | string> | undefined, profile: Profile | null): Float64Array {
  const d = new Date(now);
  const hour = (d.getUTCHours() + d.getUTCMinutes() / 60) / 24;
  const day = d.getUTCDay();
  const base: Record<string, number> = {
    'time.sin': Math.sin(2 * Math.PI * hour),
    'time.cos': Math.cos(2 * Math.PI * hour),
    'time.weekend': day === 0 || day === 6 ? 1 : 0,
  };
  const v = hashFeatures(base, CONTEXT_DIMS);
  hashFeatures(context, CONTEXT_DIMS, v);
  if (profile) hashFeatures(profileFeatures(profile, now), CONTEXT_DIMS, v);
  return v;
}
