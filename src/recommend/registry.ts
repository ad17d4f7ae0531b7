import { Cooccurrence } from './models/cooccurrence.ts';
import { Popularity } from './models/popularity.ts';
import { Trending } from './models/trending.ts';
import type { Recommender } from './models/types.ts';

export interface ModelKind {
  name: string;
  /** One line for `afin train --help` and the docs. */
  description: string;
  /** Whether its scores depend on the person (false: same list for everyone). */
  personal: boolean;
  create(): Recommender;
  load(bytes: Uint8Array): Recommender;
}

/** Every model Afín can train and serve, by name. */
export const MODELS: Readonly<Record<string, ModelKind>> = {
  popularity: {
    name: 'popularity', description: 'most people engaged with it (the non-personalised floor)', personal: false,
    create: () => new Popularity(), load: (b) => Popularity.load(b),
  },
  trending: {
    name: 'trending', description: 'time-decayed popularity (half-life 7 days)', personal: false,
    create: () => new Trending(), load: (b) => Trending.load(b),
  },
  cooccurrence: {
    name: 'cooccurrence', description: 'people who viewed X also bought Y (item-to-item co-occurrence)', personal: true,
    create: () => new Cooccurrence(), load: (b) => Cooccurrence.load(b),
  },
};

/** The personal model that answers by default, and the non-personal one used for cold starts. */
export const DEFAULT_MODEL = 'cooccurrence';
export const FALLBACK_MODEL = 'trending';
