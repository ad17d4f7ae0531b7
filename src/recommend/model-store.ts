import type { Store } from '../store/store.ts';
import { pack, unpack } from './models/pack.ts';
import type { SizePlan } from './models/size-plan.ts';
import type { Recommender } from './models/types.ts';
import { MODELS, restoreModel } from './registry.ts';

/** Bump when the envelope changes; older blobs are refused at load and retrained. */
export const MODEL_ENVELOPE_VERSION = 1;

export interface ModelInfo {
  name: string;
  trainedAt: number;
  seconds: number;
  users: number;
  items: number;
  interactions: number;
  /** For models sized by the catalogue (EASE, and the hybrid holding it): which variant training chose and why. */
  plan?: SizePlan;
}

/** A trained model with the item ids its dense indices stand for. */
export interface LoadedModel {
  info: ModelInfo;
  recommender: Recommender;
  itemIds: readonly string[];
}

const blobName = (name: string) => `model:${name}`;

export async function saveModel(store: Store, ws: string, m: LoadedModel): Promise<void> {
  const bytes = m.recommender.save();
  const data = pack({ envelope: MODEL_ENVELOPE_VERSION, info: m.info, itemIds: m.itemIds }, { model: bytes as Uint8Array<ArrayBuffer> });
  await store.putBlob(ws, blobName(m.info.name), data, { envelope: MODEL_ENVELOPE_VERSION, ...m.info }, m.info.trainedAt);
}

/** Loads a stored model; null when there is none or it was written by an incompatible version. */
export async function loadModel(store: Store, ws: string, name: string): Promise<LoadedModel | null> {
  const kind = MODELS[name];
  if (!kind) return null;
  const blob = await store.getBlob(ws, blobName(name));
  if (!blob || blob.meta.envelope !== MODEL_ENVELOPE_VERSION) return null;
  const { header, arrays } = unpack(blob.data);
  return { info: header.info as ModelInfo, itemIds: header.itemIds as string[], recommender: restoreModel(arrays.model as Uint8Array) };
}

/** Why a model's last training did not store a new version (the previous one keeps serving). */
export interface ModelFailure {
  message: string;
  /** Epoch ms of the failed training. */
  at: number;
}

/**
 * What `GET /v1/models` shows of one model: the serving version's info as stored (null `trainedAt`:
 * no training of it ever succeeded) and its last failure.
 */
export type ModelStatus = Omit<ModelInfo, 'trainedAt'> & {
  trainedAt: number | null;
  /** The last failed training (ISO time), kept after later successes so that an operator sees it happened. */
  lastError: { message: string; at: string } | null;
  /** True when the last training of this model failed: what serves is older than the data. */
  failing: boolean;
};

const STATUS = 'model_status';

export async function recordModelFailure(store: Store, ws: string, name: string, f: ModelFailure): Promise<void> {
  await store.putDocs(ws, [
    { collection: STATUS, id: name, subject: null, body: { lastError: { message: f.message.slice(0, 2000), at: f.at } }, createdAt: f.at },
  ]);
}

export async function listModels(store: Store, ws: string): Promise<ModelInfo[]> {
  return (await store.listBlobs(ws, 'model:')).map((b) => b.meta as unknown as ModelInfo);
}

/** Every model that was trained or tried, with its serving version and its last failure. */
export async function modelStatuses(store: Store, ws: string): Promise<ModelStatus[]> {
  const infos = new Map((await listModels(store, ws)).map((i) => [i.name, i]));
  const failures = new Map<string, ModelFailure>();
  for (const d of await store.listDocs(ws, STATUS, { limit: 1000 })) {
    const e = (d.body as { lastError?: ModelFailure }).lastError;
    if (e && typeof e.message === 'string' && typeof e.at === 'number') failures.set(d.id, e);
  }
  const names = [...new Set([...infos.keys(), ...failures.keys()])].sort();
  return names.map((name) => {
    const info = infos.get(name);
    const f = failures.get(name);
    return {
      ...(info ?? { name, seconds: 0, users: 0, items: 0, interactions: 0 }),
      trainedAt: info?.trainedAt ?? null,
      lastError: f ? { message: f.message, at: new Date(f.at).toISOString() } : null,
      failing: f !== undefined && (!info || f.at >= info.trainedAt),
    };
  });
}
