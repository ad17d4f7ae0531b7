import type { Store } from '../store/store.ts';
import { pack, unpack } from './models/pack.ts';
import type { Recommender } from './models/types.ts';
import { MODELS } from './registry.ts';

/** Bump when the envelope changes; older blobs are refused at load and retrained. */
export const MODEL_ENVELOPE_VERSION = 1;

export interface ModelInfo {
  name: string;
  trainedAt: number;
  seconds: number;
  users: number;
  items: number;
  interactions: number;
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
  return { info: header.info as ModelInfo, itemIds: header.itemIds as string[], recommender: kind.load(arrays.model as Uint8Array) };
}

export async function listModels(store: Store, ws: string): Promise<ModelInfo[]> {
  return (await store.listBlobs(ws, 'model:')).map((b) => b.meta as unknown as ModelInfo);
}
