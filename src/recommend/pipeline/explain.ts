import type { Catalog } from '../../catalog/catalog.ts';
import type { RecContext } from '../../domain/schemas.ts';
import type { Profile } from '../../profile/profile.ts';
import { basedOnReason, PRICE_BAND_REASON } from '../reasons.ts';
import { dueReason } from '../rebuy.ts';
import type { HistoryPoint } from './history.ts';
import type { PriceBand } from './shape.ts';

/** What stood behind one recommended item: kept with the logged answer for `/why`. */
export interface ItemEvidence {
  id: string;
  score: number;
  personalScore: number;
  trendScore: number;
  basedOn?: { itemId: string; title: string | null; event: { type: string; at: string | null } };
  profileMatch?: { category: string; affinity: number };
  priceBand?: { low: number; high: number };
  language?: string;
}

export interface ExplainInput {
  catalog: Catalog;
  scores: Float64Array;
  trend: Float64Array;
  because: Int32Array;
  history: readonly HistoryPoint[];
  profile: Profile | null;
  context: RecContext;
  due: ReadonlySet<string>;
  pinned: ReadonlySet<number>;
  /** The band used to rank, when the price stage changed the order, and each item's price position. */
  band: PriceBand | null;
  positions: Float64Array;
  /** The reading language used to rank, when the language stage changed the order. */
  language: string | null;
  /** The non-personal source exists (else a fresh catalogue: "new in the catalogue"). */
  hasTrend: boolean;
  filterNote: string | null;
}

/** One item's reasons, most telling first, and its evidence. */
export function explainItem(i: number, x: ExplainInput): { reasons: string[]; evidence: ItemEvidence } {
  const it = x.catalog.items[i];
  const reasons: string[] = [];
  const ev: ItemEvidence = { id: it.id, score: x.scores[i], trendScore: x.trend[i] || 0, personalScore: Math.max(0, (x.scores[i] || 0) - (x.trend[i] || 0)) };
  const h = x.because[i];
  if (h >= 0) {
    const src = x.history[h];
    const source = x.catalog.get(src.itemId);
    reasons.push(basedOnReason(x.context, src.event?.type ?? 'in_view', source?.title, src.itemId));
    ev.basedOn = {
      itemId: src.itemId,
      title: source?.title ?? null,
      event: src.event ? { type: src.event.type, at: new Date(src.event.timestamp).toISOString() } : { type: 'in_view', at: null },
    };
  }
  const p = x.profile;
  const liked = p ? (it.categories ?? []).find((c) => (p.categories[c] ?? 0) > 0) : undefined;
  if (liked) {
    reasons.push(`Matches your interest in ${liked}`);
    ev.profileMatch = { category: liked, affinity: Math.round(p!.categories[liked] * 1000) / 1000 };
  }
  const pos = x.positions[i];
  if (x.band && pos >= x.band.low && pos <= x.band.high) {
    reasons.push(PRICE_BAND_REASON);
    ev.priceBand = { low: Math.round(x.band.low * 100) / 100, high: Math.round(x.band.high * 100) / 100 };
  }
  if (x.language && it.language === x.language) ev.language = x.language;
  if (x.due.has(it.id)) reasons.unshift(dueReason(x.due, it.id));
  if (x.pinned.has(i)) reasons.push('Featured');
  if (reasons.length === 0) reasons.push(x.hasTrend ? (it.categories?.[0] ? `Trending in ${it.categories[0]}` : 'Trending now') : 'New in the catalogue');
  if (x.filterNote) reasons.push(x.filterNote);
  return { reasons, evidence: ev };
}
