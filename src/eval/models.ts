/**
 * The models the evaluation can run, each with a small hyperparameter grid searched on a validation
 * split carved from the training data (never on the test split).
 */
import { Als } from '../recommend/models/als.ts';
import { BuyAgain } from './buy-again.ts';
import { ContentBased } from '../recommend/models/content.ts';
import { Ease } from '../recommend/models/ease.ts';
import { Ensemble } from '../recommend/models/ensemble.ts';
import { Hybrid } from '../recommend/models/hybrid.ts';
import { ItemKnn } from '../recommend/models/itemknn.ts';
import { Popularity } from '../recommend/models/popularity.ts';
import type { Recommender } from '../recommend/models/types.ts';
import { DEFAULT_MODEL, MODELS } from '../recommend/registry.ts';
import type { ItemDoc } from './datasets.ts';

export type Params = Record<string, number | string>;

export interface GridContext {
  quick: boolean;
  nUsers: number;
  nItems: number;
  /** Training interactions. */
  nnz: number;
  /** Hyperparameters already chosen in this seed, per model (for ensembles of tuned members). */
  chosen: Record<string, Params>;
}

export interface ModelSpec {
  name: string;
  summary: string;
  /** Needs item texts (the dataset's docs); skipped without them. */
  needsText?: boolean;
  grid(ctx: GridContext): Params[];
  create(params: Params, docs?: ItemDoc[]): Recommender;
}

function cross(axes: Record<string, Array<number | string>>): Params[] {
  let out: Params[] = [{}];
  for (const [k, vs] of Object.entries(axes)) out = out.flatMap((p) => vs.map((v) => ({ ...p, [k]: v })));
  return out;
}

/** EASE's best λ grows with the data: scale a base grid by interactions per item (≈ 60 on ML-100k). */
function easeLambdas(ctx: GridContext): number[] {
  const f = Math.max(0.25, ctx.nnz / Math.max(1, ctx.nItems) / 60);
  const base = ctx.quick ? [200, 500] : [100, 200, 400, 800, 1600];
  return base.map((l) => Math.round(l * f));
}

export const MODEL_SPECS: readonly ModelSpec[] = [
  {
    name: 'popularity',
    summary: 'most-interacted items (the floor)',
    grid: () => [{}],
    create: () => new Popularity(),
  },
  {
    name: 'buy-again',
    summary: "the person's own items (most bought, then latest), then popular (= popularity where history is left out)",
    grid: () => [{}],
    create: () => new BuyAgain(),
  },
  {
    name: 'ease',
    summary: 'EASE, closed form with L2 (Steck 2019)',
    grid: (ctx) => cross({ lambda: easeLambdas(ctx) }),
    create: (p) => new Ease({ lambda: Number(p.lambda) }),
  },
  {
    name: 'als',
    summary: 'implicit ALS with conjugate gradient (Hu et al. 2008; Takács et al. 2011)',
    grid: (ctx) =>
      ctx.quick
        ? [
            { factors: 64, regularization: 20, alpha: 5 },
            { factors: 128, regularization: 50, alpha: 10 },
          ]
        : cross({ factors: [128], regularization: [30, 50, 80], alpha: [8, 15] }),
    create: (p) => new Als({ factors: Number(p.factors), regularization: Number(p.regularization), alpha: Number(p.alpha) }),
  },
  {
    name: 'ease+als',
    summary: 'z-score blend of EASE and ALS (members tuned as above when they ran, else defaults)',
    grid: (ctx) => {
      const e = ctx.chosen['ease'] ?? { lambda: easeLambdas({ ...ctx, quick: true })[1] };
      const a = ctx.chosen['als'] ?? { factors: 128, regularization: 50, alpha: 10 };
      const base = { lambda: e.lambda, factors: a.factors, regularization: a.regularization, alpha: a.alpha };
      return (ctx.quick ? [0.4] : [0.25, 0.4, 0.6]).map((w) => ({ ...base, easeWeight: w }));
    },
    create: (p) => {
      const w = Number(p.easeWeight);
      const ease = new Ease({ lambda: Number(p.lambda) });
      const als = new Als({ factors: Number(p.factors), regularization: Number(p.regularization), alpha: Number(p.alpha) });
      return new Ensemble([ease, als], [w, 1 - w]);
    },
  },
  {
    name: 'itemknn',
    summary: 'item kNN, cosine with shrinkage',
    grid: (ctx) => (ctx.quick ? [{ neighbors: 100, shrink: 10 }] : cross({ neighbors: [50, 200], shrink: [0, 20, 100] })),
    create: (p) => new ItemKnn({ similarity: 'cosine', neighbors: Number(p.neighbors), shrink: Number(p.shrink) }),
  },
  {
    name: 'itemknn-bm25',
    summary: 'item kNN, BM25-weighted co-occurrence',
    grid: (ctx) => (ctx.quick ? [{ neighbors: 100, b: 0.75 }] : cross({ neighbors: [50, 200], b: [0.3, 0.75] })),
    create: (p) => new ItemKnn({ similarity: 'bm25', neighbors: Number(p.neighbors), b: Number(p.b) }),
  },
  {
    name: 'content',
    summary: 'BM25 over item texts, similarity to the history',
    needsText: true,
    grid: () => [{}],
    create: (_p, docs) => {
      const m = new ContentBased();
      m.fitText(docs ?? []);
      return m;
    },
  },
  {
    name: 'hybrid',
    summary: 'EASE blended with content by evidence',
    needsText: true,
    grid: (ctx) => cross({ lambda: [easeLambdas({ ...ctx, quick: true })[1]], itemEvidence: ctx.quick ? [5] : [2, 10] }),
    create: (p, docs) => {
      const m = new Hybrid(new Ease({ lambda: Number(p.lambda) }), new ContentBased(), { itemEvidence: Number(p.itemEvidence) });
      m.fitText(docs ?? []);
      return m;
    },
  },
];

/** The model the server answers with by default, exactly as it is built there (no tuning): the model-only twin of the served figure. */
export const SERVED_DEFAULT_SPEC: ModelSpec = {
  name: 'default',
  summary: `the server's default model (${DEFAULT_MODEL}) with its shipped settings`,
  grid: () => [{}],
  create: (_p, docs) => MODELS[DEFAULT_MODEL].create((docs ?? []).map((d) => d ?? null)),
};

export const DEFAULT_MODELS = ['popularity', 'default', 'ease', 'als', 'ease+als', 'itemknn', 'itemknn-bm25'];

export function specOf(name: string): ModelSpec | undefined {
  return name === SERVED_DEFAULT_SPEC.name ? SERVED_DEFAULT_SPEC : MODEL_SPECS.find((s) => s.name === name);
}
