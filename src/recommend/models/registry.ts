/**
 * Restores any saved model from its bytes, dispatching on the `model` name in the blob's header.
 */
import { Als } from './als.ts';
import { ContentBased } from './content.ts';
import { Cooccurrence } from './cooccurrence.ts';
import { Ease } from './ease.ts';
import { Ensemble } from './ensemble.ts';
import { Hybrid } from './hybrid.ts';
import { ItemKnn } from './itemknn.ts';
import { unpack } from './pack.ts';
import { Popularity } from './popularity.ts';
import { Trending } from './trending.ts';
import type { Recommender } from './types.ts';

const LOADERS: Record<string, (bytes: Uint8Array) => Recommender> = {
  ease: (b) => Ease.load(b),
  als: (b) => Als.load(b),
  itemknn: (b) => ItemKnn.load(b),
  content: (b) => ContentBased.load(b),
  hybrid: (b) => Hybrid.load(b),
  ensemble: (b) => Ensemble.load(b),
  popularity: (b) => Popularity.load(b),
  trending: (b) => Trending.load(b),
  cooccurrence: (b) => Cooccurrence.load(b),
};

/** The `model` name a saved blob declares. */
export function modelNameOf(bytes: Uint8Array): string {
  return String(unpack(bytes).header.model);
}

export function loadModel(bytes: Uint8Array): Recommender {
  const name = modelNameOf(bytes);
  const load = LOADERS[name];
  if (!load) throw new Error(`unknown model kind in blob: ${name}`);
  return load(bytes);
}
