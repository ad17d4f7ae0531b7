import type { Catalog } from '../catalog/catalog.ts';
import type { StoredEvent } from '../domain/schemas.ts';
import { RECOMMENDATION_COLLECTION, wasPersonalized } from '../recommend/recommendation-log.ts';
import type { Store } from '../store/store.ts';
import { itemPerformance, type ItemPerformance, type Overview, overview, type Period, PERIODS } from './overview.ts';

/** How long one workspace's figures for a period are reused: a dashboard polls, the events table is large. */
const CACHE_MS = 30_000;

export interface ItemRow {
  id: string;
  title: string;
  imageUrl: string | null;
  price: number | null;
  currency: string | null;
  categories: string[];
  available: boolean;
  performance: ItemPerformance;
}

/**
 * The shop's figures for the dashboard, read from the events and the recommendation log. Every read
 * scans the period's events once and is cached per workspace and period, so a caller polling (or
 * hammering) the route costs one scan per 30 seconds.
 */
export class InsightsService {
  private readonly cache = new Map<string, { at: number; events: StoredEvent[]; value: Overview }>();

  constructor(
    private readonly store: Store,
    private readonly catalog: (ws: string) => Promise<Catalog>,
    private readonly clock: () => number,
  ) {}

  async overview(ws: string, period: Period): Promise<Overview> {
    return (await this.window(ws, period)).value;
  }

  /** Catalogue items matching `q` (in the id or title), best earners first, with what each did in the period. */
  async items(ws: string, q: { period: Period; search?: string; limit: number; offset: number }): Promise<{ total: number; items: ItemRow[] }> {
    const [catalog, { events, value }] = await Promise.all([this.catalog(ws), this.window(ws, q.period)]);
    const perf = itemPerformance(events, value.from, (id) => catalog.get(id)?.price ?? undefined);
    const needle = q.search?.toLowerCase();
    const none: ItemPerformance = { views: 0, clicks: 0, addToCarts: 0, purchases: 0, revenue: 0 };
    const rows = catalog.items
      .filter((it) => !needle || it.id.toLowerCase().includes(needle) || it.title.toLowerCase().includes(needle))
      .map((it) => ({
        id: it.id,
        title: it.title,
        imageUrl: it.imageUrl ?? null,
        price: it.price ?? null,
        currency: it.currency ?? null,
        categories: [...(it.categories ?? [])],
        available: it.available !== false,
        performance: perf.get(it.id) ?? none,
      }))
      .sort((a, b) => b.performance.revenue - a.performance.revenue || b.performance.views - a.performance.views || a.id.localeCompare(b.id));
    return { total: rows.length, items: rows.slice(q.offset, q.offset + q.limit) };
  }

  private async window(ws: string, period: Period): Promise<{ events: StoredEvent[]; value: Overview }> {
    const now = this.clock();
    const key = `${ws}\u0000${period}`;
    const hit = this.cache.get(key);
    if (hit && now - hit.at < CACHE_MS) return hit;
    const { spanMs, bucketMs } = PERIODS[period];
    // Buckets end at the next bucket boundary, so a chart's points stay put between refreshes.
    const to = Math.ceil((now + 1) / bucketMs) * bucketMs;
    const from = to - spanMs;
    const events: StoredEvent[] = [];
    for await (const page of this.store.scanEvents(ws, { since: from })) events.push(...page);
    const answers = (await this.store.listDocs(ws, RECOMMENDATION_COLLECTION))
      .filter((d) => d.createdAt >= from)
      .map((d) => ({ id: d.id, createdAt: d.createdAt, personalized: wasPersonalized(d.body) }));
    const catalog = await this.catalog(ws);
    const value = overview({ events, answers, from, to, bucketMs, price: (id) => catalog.get(id)?.price ?? undefined });
    const entry = { at: now, events, value };
    this.cache.set(key, entry);
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value as string);
    return entry;
  }
}
