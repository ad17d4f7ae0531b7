/**
 * What each trigger sees in one person's history: pure functions from the facts about a person (their
 * events, the catalogue, item changes, their predictions) to the signals that would fire a nudge. Each
 * signal has a stable key, so one signal fires at most one nudge however often the triggers run.
 */
import type { StoredEvent } from '../domain/schemas.ts';
import type { PredictionsView } from '../predict/index.ts';
import { localTime, nextSendAt } from '../present/send-time.ts';
import type { NudgeSettings, TriggerKind } from './schemas.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface NudgeItem {
  id: string;
  title: string;
  price?: number;
  currency?: string;
  available: boolean;
  categories?: string[];
}

/** A price drop or a return to stock, as ingest records them. */
export interface ItemChange {
  id: string;
  itemId: string;
  kind: 'price_drop' | 'back_in_stock';
  oldPrice?: number;
  newPrice?: number;
  at: number;
}

export interface PersonFacts {
  userId: string;
  now: number;
  /** Oldest first. */
  events: readonly StoredEvent[];
  item(id: string): NudgeItem | undefined;
  /** Newest first. */
  changes: readonly ItemChange[];
  /** Null without profiling consent or trained predictors (then the two triggers built on them stay silent). */
  predictions: PredictionsView | null;
  /** Items first seen in the catalogue recently, newest first. */
  newItems: readonly { itemId: string; firstSeenAt: number }[];
  /** The person's earlier nudges. */
  past: readonly { trigger: TriggerKind; createdAt: number }[];
  timeZone: string;
}

/** Why a nudge fired: the trigger, when the signal arose, and a sentence for people. */
export interface Signal {
  kind: TriggerKind;
  at: string;
  text: string;
  detail: Record<string, unknown>;
}

export interface Candidate {
  trigger: TriggerKind;
  /** Stable per signal: the nudge's id is made from it, so a signal fires once. */
  key: string;
  items: string[];
  signal: Signal;
}

const ENGAGED = new Set(['view', 'click', 'add_to_cart', 'like']);
const iso = (t: number) => new Date(t).toISOString();
const hours = (ms: number) => Math.round(ms / HOUR_MS);

function lastPurchaseOf(events: readonly StoredEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) if (e.type === 'purchase' && e.itemId) out.set(e.itemId, Math.max(out.get(e.itemId) ?? 0, e.timestamp));
  return out;
}

export function abandonedCart(f: PersonFacts, cfg: NudgeSettings['triggers']['abandoned_cart']): Candidate | null {
  const bought = lastPurchaseOf(f.events);
  const added = new Map<string, number>();
  for (const e of f.events) if (e.type === 'add_to_cart' && e.itemId) added.set(e.itemId, Math.max(added.get(e.itemId) ?? 0, e.timestamp));
  const left = [...added]
    .filter(
      ([id, at]) => (bought.get(id) ?? -1) < at && f.now - at >= cfg.afterHours * HOUR_MS && f.now - at <= cfg.maxAgeDays * DAY_MS && f.item(id)?.available,
    )
    .sort((a, b) => b[1] - a[1]);
  if (!left.length) return null;
  const [itemId, at] = left[0];
  const title = f.item(itemId)!.title;
  return {
    trigger: 'abandoned_cart',
    key: `abandoned_cart:${itemId}:${at}`,
    items: left.slice(0, 3).map(([id]) => id),
    signal: {
      kind: 'abandoned_cart',
      at: iso(at),
      text: `added "${title}" to the cart ${hours(f.now - at)} hours ago and has not bought it (trigger: after ${cfg.afterHours} hours)`,
      detail: { itemId, addedAt: iso(at), inCart: left.length },
    },
  };
}

/** A price drop or a restock of an item the person looked at before it happened, still true now. */
export function itemChange(
  f: PersonFacts,
  kind: 'price_drop' | 'back_in_stock',
  cfg: NudgeSettings['triggers']['price_drop'] | NudgeSettings['triggers']['back_in_stock'],
): Candidate | null {
  const engaged = new Map<string, number>();
  for (const e of f.events) if (e.itemId && ENGAGED.has(e.type)) engaged.set(e.itemId, Math.max(engaged.get(e.itemId) ?? 0, e.timestamp));
  const bought = lastPurchaseOf(f.events);
  for (const c of f.changes) {
    if (c.kind !== kind || f.now - c.at > cfg.withinDays * DAY_MS || c.at > f.now) continue;
    const seen = engaged.get(c.itemId);
    const item = f.item(c.itemId);
    if (seen === undefined || seen > c.at || !item?.available || (bought.get(c.itemId) ?? -1) >= seen) continue;
    if (kind === 'price_drop' && (item.price === undefined || item.price !== c.newPrice)) continue;
    const text =
      kind === 'price_drop'
        ? `looked at "${item.title}" on ${iso(seen).slice(0, 10)}; its price fell from ${c.oldPrice} to ${c.newPrice}`
        : `looked at "${item.title}" on ${iso(seen).slice(0, 10)}; it is back in stock`;
    return {
      trigger: kind,
      key: `${kind}:${c.id}`,
      items: [c.itemId],
      signal: {
        kind,
        at: iso(c.at),
        text,
        detail: { itemId: c.itemId, viewedAt: iso(seen), ...(kind === 'price_drop' ? { oldPrice: c.oldPrice, newPrice: c.newPrice } : {}) },
      },
    };
  }
  return null;
}

const leaf = (it: NudgeItem | undefined) => it?.categories?.at(-1) ?? null;

/** A category the person buys again and again, due within `leadDays` (from their predicted next purchase). */
export function replenishment(f: PersonFacts, cfg: NudgeSettings['triggers']['replenishment']): Candidate | null {
  if (!f.predictions) return null;
  for (const n of f.predictions.nextPurchases) {
    if (n.daysUntil > cfg.leadDays || n.daysUntil < -Math.max(7, n.intervalDays)) continue;
    // The item they bought last in the category, if it can still be bought; the cycle is keyed by that purchase.
    let last: StoredEvent | undefined;
    for (const e of f.events) if (e.type === 'purchase' && e.itemId && leaf(f.item(e.itemId)) === n.category) last = e;
    if (!last) continue;
    const item = f.item(last.itemId!);
    return {
      trigger: 'replenishment',
      key: `replenishment:${n.category}:${last.timestamp}`,
      items: item?.available ? [item.id] : [],
      signal: {
        kind: 'replenishment',
        at: n.expectedAt,
        text: `buys ${n.category} about every ${n.intervalDays} days; the next purchase is expected ${n.daysUntil >= 0 ? `in ${n.daysUntil} days` : `${-n.daysUntil} days ago`}`,
        detail: {
          category: n.category,
          expectedAt: n.expectedAt,
          intervalDays: n.intervalDays,
          probability: n.probability,
          lastPurchaseAt: iso(last.timestamp),
        },
      },
    };
  }
  return null;
}

/** The churn risk above the threshold, at most once per inactivity spell and once per cooldown. */
export function churnRisk(f: PersonFacts, cfg: NudgeSettings['triggers']['churn_risk']): Candidate | null {
  const p = f.predictions?.churn;
  if (!p || p.probability < cfg.threshold) return null;
  if (f.past.some((n) => n.trigger === 'churn_risk' && f.now - n.createdAt < cfg.cooldownDays * DAY_MS)) return null;
  const last = f.events.at(-1)?.timestamp ?? 0;
  return {
    trigger: 'churn_risk',
    key: `churn_risk:${last}`,
    items: [],
    signal: {
      kind: 'churn_risk',
      at: iso(f.now),
      text: `churn risk ${p.probability.toFixed(2)} within ${p.horizonDays} days (threshold ${cfg.threshold})${p.factors[0] ? `: ${p.factors[0].text}` : ''}`,
      detail: { probability: p.probability, threshold: cfg.threshold, factors: p.factors.map((x) => x.text) },
    },
  };
}

const AFFINITY_WEIGHT: Record<string, number> = { view: 1, click: 1, add_to_cart: 1, like: 1, purchase: 1, rating: 1 };

/** A new item in a category that holds at least `minShare` of the person's item events (and `minEvents` of them). */
export function newItemMatch(f: PersonFacts, cfg: NudgeSettings['triggers']['new_item_match']): Candidate | null {
  if (!f.newItems.length) return null;
  const byCat = new Map<string, number>();
  const touched = new Set<string>();
  let total = 0;
  for (const e of f.events) {
    if (!e.itemId || !(e.type in AFFINITY_WEIGHT)) continue;
    touched.add(e.itemId);
    const cats = f.item(e.itemId)?.categories;
    if (!cats?.length) continue;
    total++;
    for (const c of new Set(cats.map((x) => x.toLowerCase()))) byCat.set(c, (byCat.get(c) ?? 0) + 1);
  }
  if (total === 0) return null;
  const strong = new Map([...byCat].filter(([, n]) => n >= cfg.minEvents && n / total >= cfg.minShare));
  if (!strong.size) return null;
  for (const n of f.newItems) {
    if (f.now - n.firstSeenAt > cfg.withinDays * DAY_MS || touched.has(n.itemId)) continue;
    const item = f.item(n.itemId);
    if (!item?.available) continue;
    const cat = (item.categories ?? []).map((c) => c.toLowerCase()).find((c) => strong.has(c));
    if (!cat) continue;
    const count = strong.get(cat)!;
    return {
      trigger: 'new_item_match',
      key: `new_item_match:${item.id}`,
      items: [item.id],
      signal: {
        kind: 'new_item_match',
        at: iso(n.firstSeenAt),
        text: `"${item.title}" is new in ${cat}, where ${Math.round((100 * count) / total)} % of their activity is (${count} of ${total} events)`,
        detail: { itemId: item.id, category: cat, share: Math.round((1000 * count) / total) / 1000, events: count },
      },
    };
  }
  return null;
}

const WEEKDAYS_EN = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAYS_ES = ['domingo', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado'];
const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');

/**
 * The day a chat message asks to be reminded on: "remind me on Friday", "remind me tomorrow",
 * "recuérdamelo el viernes", "recuérdame mañana". Returns a weekday (0 = Sunday), 'tomorrow', or null.
 */
export function reminderDay(message: string): number | 'tomorrow' | null {
  const m = fold(message);
  const en = /\bremind me\b(.*)$/.exec(m);
  const es = /\brecuerd(?:a|e)me(?:lo|la|los|las)?\b(.*)$/.exec(m);
  const rest = en?.[1] ?? es?.[1];
  if (rest === undefined) return null;
  const words = rest.split(/[^a-z]+/).filter(Boolean);
  for (const w of words) {
    const d = en ? WEEKDAYS_EN.indexOf(w) : WEEKDAYS_ES.indexOf(w);
    if (d >= 0) return d;
  }
  if (words.includes(en ? 'tomorrow' : 'manana')) return 'tomorrow';
  return null;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
/** The local calendar date and weekday at `ts` in `tz`. */
function localDay(ts: number, tz: string): { date: string; weekday: number } {
  let f = dayFormatters.get(tz);
  if (!f) dayFormatters.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = Object.fromEntries(f.formatToParts(ts).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday) };
}

/** When a reminder asked for at `askedAt` is due: `hour`:00 local on the day named (a later day, never the same one). */
export function reminderDue(askedAt: number, day: number | 'tomorrow', hour: number, tz: string): number {
  const asked = localDay(askedAt, tz).date;
  let t = nextSendAt(askedAt, hour, tz);
  for (let i = 0; i < 9; i++, t = nextSendAt(t + 60_000, hour, tz)) {
    const d = localDay(t, tz);
    if (d.date === asked) continue;
    if (day === 'tomorrow' || d.weekday === day) return t;
  }
  return t;
}

/** A reminder the person asked for in the chat, once it is due (and for two days after). */
export function reminder(f: PersonFacts, cfg: NudgeSettings['triggers']['reminder']): Candidate | null {
  for (let i = f.events.length - 1; i >= 0; i--) {
    const e = f.events[i];
    if (e.type !== 'chat' || !e.query) continue;
    const day = reminderDay(e.query);
    if (day === null) continue;
    const due = reminderDue(e.timestamp, day, cfg.hour, f.timeZone);
    if (f.now < due || f.now - due > 2 * DAY_MS) continue;
    // What they were talking about: the items the assistant showed last before they asked.
    let items: string[] = [];
    for (let j = i; j >= 0 && !items.length; j--) {
      const p = f.events[j];
      if (p.type === 'chat' && Array.isArray(p.properties?.items)) items = (p.properties.items as unknown[]).filter((x): x is string => typeof x === 'string');
      else if (p.itemId && ENGAGED.has(p.type) && e.timestamp - p.timestamp < DAY_MS) items = [p.itemId];
    }
    items = items.filter((id) => f.item(id)?.available).slice(0, 3);
    const local = localTime(due, f.timeZone);
    return {
      trigger: 'reminder',
      key: `reminder:${e.messageId}`,
      items,
      signal: {
        kind: 'reminder',
        at: iso(e.timestamp),
        text: `asked in the chat on ${iso(e.timestamp).slice(0, 10)}: "${e.query.slice(0, 200)}"; due ${localDay(due, f.timeZone).date} ${String(local.hour).padStart(2, '0')}:00 (${f.timeZone})`,
        detail: { askedAt: iso(e.timestamp), dueAt: iso(due), ...(items[0] ? { itemId: items[0] } : {}) },
      },
    };
  }
  return null;
}

/** Every enabled trigger's signal for one person, most urgent first. */
export function findSignals(f: PersonFacts, s: NudgeSettings): Candidate[] {
  const t = s.triggers;
  const out: Array<Candidate | null> = [
    t.reminder.enabled ? reminder(f, t.reminder) : null,
    t.abandoned_cart.enabled ? abandonedCart(f, t.abandoned_cart) : null,
    t.price_drop.enabled ? itemChange(f, 'price_drop', t.price_drop) : null,
    t.back_in_stock.enabled ? itemChange(f, 'back_in_stock', t.back_in_stock) : null,
    t.replenishment.enabled ? replenishment(f, t.replenishment) : null,
    t.new_item_match.enabled ? newItemMatch(f, t.new_item_match) : null,
    t.churn_risk.enabled ? churnRisk(f, t.churn_risk) : null,
  ];
  return out.filter((c): c is Candidate => c !== null);
}
