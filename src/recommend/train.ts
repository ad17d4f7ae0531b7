import type { Store } from '../store/store.ts';
import { InteractionBuilder } from './interactions.ts';
import { eventWeightsOf, loadRankingSettings } from './settings.ts';
import { saveModel, type ModelInfo } from './model-store.ts';
import { MODELS, TRAINED_BY_DEFAULT, itemTexts } from './registry.ts';
import { ModelFitError } from './models/types.ts';

export interface TrainOptions {
  /** Models to train; default: every registered model. */
  models?: string[];
  now: number;
  seed?: number;
  /** Called as work advances: a stage name and a fraction in [0, 1]. */
  onProgress?: (stage: string, fraction: number) => void;
  /** Told which models had too little data to fit (they are not stored). */
  onSkipped?: (skipped: Array<{ name: string; reason: string }>) => void;
}

/**
 * Trains the named models on every stored event of a workspace and stores them (the store is the
 * source of truth; serving nodes pick the new version up from there).
 */
export async function trainModels(store: Store, ws: string, opts: TrainOptions): Promise<ModelInfo[]> {
  const names = opts.models ?? TRAINED_BY_DEFAULT;
  for (const n of names) if (!MODELS[n]) throw new Error(`unknown model "${n}" (known: ${Object.keys(MODELS).join(', ')})`);
  const started = performance.now();
  const items = await store.listItems(ws);
  const builder = new InteractionBuilder(items.map((i) => i.id), eventWeightsOf(await loadRankingSettings(store, ws)));
  const total = Math.max(1, await store.countEvents(ws));
  let read = 0;
  for await (const page of store.scanEvents(ws, { pageSize: 20_000 })) {
    for (const e of page) builder.add(e);
    read += page.length;
    opts.onProgress?.('reading events', Math.min(1, read / total));
  }
  const set = builder.build();
  const loadSeconds = (performance.now() - started) / 1000;
  const out: ModelInfo[] = [];
  const skipped: Array<{ name: string; reason: string }> = [];
  for (const name of names) {
    const t0 = performance.now();
    const recommender = MODELS[name].create(itemTexts(set.itemIds, items));
    try {
      recommender.fit(set.data, { seed: opts.seed ?? 42, onProgress: (f) => opts.onProgress?.(`training ${name}`, f) });
    } catch (e) {
      // Too little to learn from (no positive interaction yet): skip this model, keep serving the rest.
      if (!(e instanceof ModelFitError)) throw e;
      skipped.push({ name, reason: e.message });
      continue;
    }
    const info: ModelInfo = {
      name,
      trainedAt: opts.now,
      seconds: Math.round(((performance.now() - t0) / 1000 + loadSeconds / names.length) * 1000) / 1000,
      users: set.data.nUsers,
      items: set.data.nItems,
      interactions: set.data.users.length,
    };
    await saveModel(store, ws, { info, recommender, itemIds: set.itemIds });
    out.push(info);
  }
  await store.bumpCounter(ws, 'models');
  opts.onSkipped?.(skipped);
  return out;
}
