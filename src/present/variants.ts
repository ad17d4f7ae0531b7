import { AfinError } from '../domain/errors.ts';
import type { Store } from '../store/store.ts';
import type { DecisionService } from './decision-service.ts';
import { type ItemVariant, type ItemVariantsBody, VARIANTS_POINT } from './schemas.ts';

/** One document per item that has variants, keyed by the item id. */
export const VARIANTS_COLLECTION = 'item-variants';

export interface ItemVariants {
  item: string;
  /** The decision point whose policy, rewards and attribution window choose among them. */
  point: string;
  variants: ItemVariant[];
}

/** What a page needs to show the chosen variant, and what to cite to reward it. */
export interface ItemPresentation {
  variant: { id: string; artworkUrl?: string; headline?: string; pitch?: string };
  propensity: number;
  decisionId: string;
}

export interface VariantDeps {
  store: Store;
  clock: () => number;
  decisions: DecisionService;
  itemExists: (ws: string, id: string) => Promise<boolean>;
}

/**
 * Presentation variants of items (artwork, headline, pitch): registered per item, and chosen per
 * person and context when an answer asks for them. Each item learns its own model under its point's
 * policy; the choice is a decision like any other (logged with its propensity, rewarded by events
 * citing its `decisionId`, or the item and the `variant`).
 */
export class VariantService {
  /** Variants change rarely and are read for every item of every `present=true` answer. */
  private readonly cache = new Map<string, { at: number; value: ItemVariants | null }>();

  constructor(
    private readonly deps: VariantDeps,
    private readonly cacheMs = 5_000,
  ) {}

  /** The item's variants (none stored: an empty list); a deleted item's are gone with it, as far as anyone can read. */
  async get(ws: string, item: string): Promise<ItemVariants> {
    if (!(await this.deps.itemExists(ws, item))) throw new AfinError('not_found', `item "${item}" not found`, 'id');
    return (await this.read(ws, item)) ?? { item, point: VARIANTS_POINT, variants: [] };
  }

  /** Replaces the item's variants; an empty list removes them. Only for an item in the catalogue. */
  async put(ws: string, item: string, body: ItemVariantsBody): Promise<ItemVariants> {
    if (!(await this.deps.itemExists(ws, item))) throw new AfinError('not_found', `item "${item}" not found`, 'id');
    const value: ItemVariants = { item, point: body.point ?? VARIANTS_POINT, variants: body.variants };
    if (value.variants.length === 0) await this.deps.store.deleteDoc(ws, VARIANTS_COLLECTION, item);
    else await this.deps.store.putDocs(ws, [{ collection: VARIANTS_COLLECTION, id: item, subject: null, body: { ...value }, createdAt: this.deps.clock() }]);
    this.cache.delete(`${ws}\u0000${item}`);
    return value;
  }

  /**
   * The item left the catalogue: its variants and their models go too, so an item later created under
   * the same id starts with none (the decisions already logged stay in the bounded decision log).
   */
  async forgetItem(ws: string, item: string): Promise<void> {
    const doc = await this.deps.store.getDoc(ws, VARIANTS_COLLECTION, item);
    const point = doc ? (doc.body as unknown as ItemVariants).point : VARIANTS_POINT;
    await this.deps.store.deleteDoc(ws, VARIANTS_COLLECTION, item);
    this.cache.delete(`${ws}\u0000${item}`);
    await this.deps.decisions.forgetItem(ws, item, [point, VARIANTS_POINT]);
  }

  private async read(ws: string, item: string): Promise<ItemVariants | null> {
    const key = `${ws}\u0000${item}`;
    const now = this.deps.clock();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.cacheMs) return hit.value;
    const doc = await this.deps.store.getDoc(ws, VARIANTS_COLLECTION, item);
    const value = doc ? (doc.body as unknown as ItemVariants) : null;
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(key, { at: now, value });
    return value;
  }

  /**
   * Chooses a variant for each of the items that has any, for this person and page: one audience
   * (consent, profile, context) for the whole answer, then one decision per item.
   */
  async present(
    ws: string,
    q: { userId?: string; anonymousId?: string; context: string; recommendationId: string },
    itemIds: readonly string[],
  ): Promise<Map<string, ItemPresentation>> {
    const out = new Map<string, ItemPresentation>();
    const found = (await Promise.all(itemIds.map((id) => this.read(ws, id)))).filter((v): v is ItemVariants => v !== null && v.variants.length > 0);
    if (found.length === 0) return out;
    const { decisions } = this.deps;
    const audience = await decisions.audience(ws, q, { page: q.context });
    const points = new Map<string, Awaited<ReturnType<DecisionService['pointOf']>>>();
    for (const v of found) {
      let point = points.get(v.point);
      if (!point) points.set(v.point, (point = await decisions.pointOf(ws, v.point)));
      const r = await decisions.choose(ws, audience, point, v.variants, { item: v.item, recommendationId: q.recommendationId });
      const { features: _, ...shown } = v.variants.find((x) => x.id === r.option)!;
      out.set(v.item, { variant: shown, propensity: r.propensity, decisionId: r.decisionId });
    }
    return out;
  }
}
