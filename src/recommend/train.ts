import type { Store } from '../store/store.ts';
import { InteractionBuilder } from './interactions.ts';
import { eventWeightsOf, loadRankingSettings } from './settings.ts';
import { AfinError } from '../domain/errors.ts';
import { recordModelFailure, saveModel, type ModelInfo } from './model-store.ts';
import { MODELS, TRAINED_BY_DEFAULT, itemTexts } from './registry.ts';
import { NotEnoughDataError } from './models/types.ts';
import { sizePlanOf } from './models/size-plan.ts';
import { REBUY_BLOB, RebuyLearner, encodeRebuy } from './rebuy.ts';

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

/** One model whose training failed (its previous version, if any, keeps serving). */
export interface FailedModel {
  name: string;
  error: string;
}

/**
 * Some models failed to train: the others were stored and serve. Carries both lists, so `POST
 * /v1/train` can say which is which.
 */
export class TrainingFailedError extends AfinError {
  constructor(
    readonly trained: ModelInfo[],
    readonly failed: FailedModel[],
  ) {
    super(
      'training_failed',
      `training failed for ${failed.map((f) => `${f.name} (${f.error})`).join(', ')}; ${
        failed.length === 1 ? 'its previous version keeps' : 'their previous versions keep'
      } serving${trained.length ? `; trained: ${trained.map((i) => i.name).join(', ')}` : ''}`,
    );
  }
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
  const settings = await loadRankingSettings(store, ws);
  const builder = new InteractionBuilder(
    items.map((i) => i.id),
    eventWeightsOf(settings),
    settings.ratings,
  );
  const total = Math.max(1, await store.countEvents(ws));
  let read = 0;
  const rebuy = new RebuyLearner();
  // Events naming an item the catalogue does not have wait, stored, until the item is added (the events
  // answer lists them as unknownItems); a workspace with no catalogue at all trains on the ids its events name.
  const known = new Set(items.map((i) => i.id));
  for await (const page of store.scanEvents(ws, { pageSize: 20_000 })) {
    for (const e of page) {
      if (known.size > 0 && e.itemId !== null && !known.has(e.itemId)) continue;
      builder.add(e);
      rebuy.add(e);
    }
    read += page.length;
    opts.onProgress?.('reading events', Math.min(1, read / total));
  }
  const set = builder.build();
  const loadSeconds = (performance.now() - started) / 1000;
  const out: ModelInfo[] = [];
  const skipped: Array<{ name: string; reason: string }> = [];
  const failed: FailedModel[] = [];
  for (const name of names) {
    const t0 = performance.now();
    try {
      const recommender = MODELS[name].create(itemTexts(set.itemIds, items));
      recommender.fit(set.data, { seed: opts.seed ?? 42, onProgress: (f) => opts.onProgress?.(`training ${name}`, f) });
      const info: ModelInfo = {
        name,
        trainedAt: opts.now,
        seconds: Math.round(((performance.now() - t0) / 1000 + loadSeconds / names.length) * 1000) / 1000,
        users: set.data.nUsers,
        items: set.data.nItems,
        interactions: set.data.users.length,
      };
      const plan = sizePlanOf(recommender);
      if (plan) info.plan = plan;
      await saveModel(store, ws, { info, recommender, itemIds: set.itemIds });
      out.push(info);
    } catch (e) {
      // Too little to learn from (no positive interaction yet): skip this model, keep serving the rest.
      if (e instanceof NotEnoughDataError) skipped.push({ name, reason: e.message });
      // Anything else is a failure of this model only: the others still train, and it is recorded below.
      else failed.push({ name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  // How often, and after how long, people buy the same item again: learned per category with the
  // models, and replaced with them (serving reads it through the same counter).
  const leaves = new Map(items.map((i) => [i.id, i.categories?.at(-1)]));
  const stats = rebuy.learn((id) => leaves.get(id), opts.now);
  await store.putBlob(ws, REBUY_BLOB, encodeRebuy(stats), { purchases: stats.workspace.purchases, repeats: stats.workspace.repeats }, opts.now);
  await store.bumpCounter(ws, 'models');
  opts.onSkipped?.(skipped);
  if (failed.length) {
    await recordFailures(store, ws, failed, opts.now);
    throw new TrainingFailedError(out, failed);
  }
  return out;
}

/**
 * Makes failures visible where an operator looks: `GET /v1/models` (the last error per model).
 * Whoever started the training (a request, the CLI, the retrain after an erasure) gets the error
 * too, as a TrainingFailedError, and ModelTrainer reports it to the audit log.
 */
async function recordFailures(store: Store, ws: string, failed: FailedModel[], at: number): Promise<void> {
  for (const f of failed) await recordModelFailure(store, ws, f.name, { message: f.error, at });
}
