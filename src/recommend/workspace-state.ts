import { Catalog } from '../catalog/catalog.ts';
import { loadModel, type LoadedModel } from './model-store.ts';
import type { Store } from '../store/store.ts';
import { loadRankingSettings } from './settings.ts';
import { REBUY_BLOB, decodeRebuy, type RebuyStats } from './rebuy.ts';
import type { RankingSettingsT } from './rules.ts';
import { ALL_WORKSPACES, type InvalidationBus, type NoticeKind } from '../bus/bus.ts';

/** A trained model, ready to serve against the current catalogue. */
export interface ServingModel extends LoadedModel {
  /** Model item index -> catalogue index, or -1 for items no longer in the catalogue. */
  toCatalog: Int32Array;
  /** Item id -> model item index. */
  modelIndex: Map<string, number>;
}

interface Entry {
  catalog: Catalog;
  ranking: RankingSettingsT;
  models: Map<string, Promise<ServingModel | null>>;
  /** The re-buy figures learned with the models (reloaded with them). */
  rebuy?: Promise<RebuyStats | null>;
  counters: Record<string, number>;
  checkedAt: number;
}

/**
 * What a node keeps in memory per workspace: the catalogue snapshot and the loaded models. It is a
 * cache of the store. A local write invalidates at once and, with a bus, tells the other nodes, which
 * invalidate too; besides, every write bumps a store counter, which this polls at most once per
 * `maxAgeMs` (a function, so that it can be longer while the bus is up), in case a notice was lost.
 */
export class WorkspaceState {
  private readonly entries = new Map<string, Promise<Entry>>();
  /** Invalidated entries whose parts may be reused if the store counters say they did not change. */
  private readonly stale = new Map<string, Promise<Entry>>();
  private readonly maxAge: () => number;

  constructor(
    private readonly store: Store,
    maxAgeMs: number | (() => number) = 1000,
    private readonly clock: () => number = Date.now,
    private readonly bus?: InvalidationBus,
  ) {
    this.maxAge = typeof maxAgeMs === 'number' ? () => maxAgeMs : maxAgeMs;
    bus?.subscribe((n) => {
      if (n.kind !== 'people' && n.kind !== 'keys') this.drop(n.ws, n.kind);
    });
  }

  private async load(ws: string, prev?: Entry, counters?: Record<string, number>): Promise<Entry> {
    const c = counters ?? (await this.store.readCounters(ws));
    const sameItems = prev && prev.counters.items === c.items;
    const catalog = sameItems ? prev.catalog : new Catalog(await this.store.listItems(ws), c.items ?? 0);
    const sameModels = sameItems && prev.counters.models === c.models;
    const ranking = prev && prev.counters.settings === c.settings ? prev.ranking : await loadRankingSettings(this.store, ws);
    return { catalog, ranking, models: sameModels ? prev.models : new Map(), rebuy: sameModels ? prev.rebuy : undefined, counters: c, checkedAt: this.clock() };
  }

  private async entry(ws: string): Promise<Entry> {
    let p = this.entries.get(ws);
    if (!p) {
      const stale = this.stale.get(ws);
      this.stale.delete(ws);
      p = stale
        ? stale.then(
            (prev) => this.load(ws, prev),
            () => this.load(ws),
          )
        : this.load(ws);
      this.entries.set(ws, p);
      p.catch(() => this.entries.get(ws) === p && this.entries.delete(ws));
      return p;
    }
    const e = await p;
    if (this.clock() - e.checkedAt < this.maxAge()) return e;
    e.checkedAt = this.clock(); // one poll at a time
    const counters = await this.store.readCounters(ws);
    if (counters.items === e.counters.items && counters.models === e.counters.models && counters.settings === e.counters.settings) return e;
    const next = this.load(ws, e, counters);
    if (this.entries.get(ws) === p) this.entries.set(ws, next);
    return next;
  }

  /**
   * Forgets what this node holds for a workspace: the next read checks the store's counters and reloads
   * what changed (`workspace`: reloads everything).
   */
  private drop(ws: string, kind: NoticeKind): void {
    const names = ws === ALL_WORKSPACES ? [...this.entries.keys()] : [ws];
    for (const w of names) {
      const p = this.entries.get(w);
      this.entries.delete(w);
      if (p && kind !== 'workspace') this.stale.set(w, p);
      else this.stale.delete(w);
    }
  }

  async catalog(ws: string): Promise<Catalog> {
    return (await this.entry(ws)).catalog;
  }

  /** The workspace's ranking settings: event weights, decay, diversity, business rules. */
  async ranking(ws: string): Promise<RankingSettingsT> {
    return (await this.entry(ws)).ranking;
  }

  /** The stored model `name`, or null if it was never trained. */
  async model(ws: string, name: string): Promise<ServingModel | null> {
    const e = await this.entry(ws);
    let m = e.models.get(name);
    if (!m) {
      m = loadModel(this.store, ws, name).then((lm) => (lm ? bindToCatalog(lm, e.catalog) : null));
      e.models.set(name, m);
      m.catch(() => e.models.delete(name));
    }
    return m;
  }

  /** How often and after how long people buy the same item again, per category; null before any training. */
  async rebuy(ws: string): Promise<RebuyStats | null> {
    const e = await this.entry(ws);
    if (!e.rebuy) {
      const p = this.store.getBlob(ws, REBUY_BLOB).then((b) => (b ? decodeRebuy(b.data) : null));
      e.rebuy = p;
      p.catch(() => e.rebuy === p && (e.rebuy = undefined));
    }
    return e.rebuy;
  }

  /**
   * After a local write that bumped the workspace's `kind` counter (or anything else: `workspace`):
   * forgets what this node holds and tells the other nodes to do the same.
   */
  invalidate(ws: string, kind: Exclude<NoticeKind, 'people'> = 'workspace'): void {
    this.drop(ws, kind);
    this.bus?.publish({ ws, kind });
  }
}

function bindToCatalog(m: LoadedModel, catalog: Catalog): ServingModel {
  const toCatalog = new Int32Array(m.itemIds.length);
  const modelIndex = new Map<string, number>();
  m.itemIds.forEach((id, i) => {
    toCatalog[i] = catalog.index.get(id) ?? -1;
    modelIndex.set(id, i);
  });
  return { ...m, toCatalog, modelIndex };
}
