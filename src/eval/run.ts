/**
 * One evaluation run: for each seed, split the data by the protocol, carve a validation split out
 * of the training part, pick each model's hyperparameters there, refit on the whole training part
 * and measure on the test part. Results are the mean and spread over seeds.
 */
import type { Recommender } from '../recommend/models/types.ts';
import type { Dataset } from './datasets.ts';
import { evaluate, METRICS, type Metrics } from './evaluate.ts';
import { meanStd } from './metrics.ts';
import { specOf, type ModelSpec, type Params } from './models.ts';
import { evaluateServed, eventWeights, type OpenServer } from './served.ts';
import { positiveRows, split, toInteractions, validationOf, type Protocol, type Task } from './splits.ts';

export interface RunConfig {
  protocol: Protocol;
  seeds: number[];
  models: string[];
  quick: boolean;
  /** Keep only rows with value ≥ this (all rows count as positive when unset). */
  minValue?: number;
  /**
   * Served runs: each replays the training rows as events into a fresh server and scores its
   * `GET /v1/recommendations` answers, with these ranking settings on top of the defaults.
   */
  served?: ServedVariant[];
  /** Event type for rows whose file names none (`auto`: ratings if the values look like 1–5 ratings). */
  eventType?: string;
  /** Serve and score on the validation split carved from the training part (for choosing defaults), never the test split. */
  servedOnValidation?: boolean;
  /** Starts the server each served run measures (required when `served` is given). */
  open?: OpenServer;
  /**
   * How the models alone weigh the rows: `binary` (each row 1, the published protocols) or `events`
   * (the weight the server gives the same event, e.g. a rating's strength), to tell the event weights'
   * share of a served/model-alone gap from the pipeline's.
   */
  modelWeights?: 'binary' | 'events';
}

export interface ServedVariant {
  name: string;
  settings?: Record<string, unknown>;
}

export interface ModelResult {
  model: string;
  /** Per metric, mean and sample standard deviation over seeds. */
  metrics: Record<string, { mean: number; std: number }>;
  /** The hyperparameters chosen on validation, per seed. */
  params: Params[];
  fitSeconds: number;
  skipped?: string;
}

export interface Report {
  dataset: string;
  protocol: Protocol;
  seeds: number[];
  users: number;
  items: number;
  interactions: number;
  results: ModelResult[];
}

export type Log = (line: string) => void;

function fitTimed(model: Recommender, task: Task, seed: number): number {
  const t = performance.now();
  model.fit(toInteractions(task.rows, task.train), { seed });
  return (performance.now() - t) / 1000;
}

const fmtParams = (p: Params) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(',') || '-';

export async function runEvaluation(ds: Dataset, cfg: RunConfig, log: Log = () => {}): Promise<Report> {
  const rows = positiveRows(ds, cfg.minValue);
  if (cfg.modelWeights === 'events') rows.weights = eventWeights(rows, cfg.eventType);
  const specs: ModelSpec[] = [];
  const results: ModelResult[] = [];
  for (const name of cfg.models) {
    const spec = specOf(name);
    if (!spec) throw new Error(`unknown model: ${name}`);
    if (spec.needsText && !ds.docs) {
      results.push({ model: name, metrics: {}, params: [], fitSeconds: NaN, skipped: 'the dataset has no item texts' });
      continue;
    }
    specs.push(spec);
  }
  const perModel = new Map<string, { runs: Metrics[]; params: Params[]; fit: number[] }>();
  for (const s of specs) perModel.set(s.name, { runs: [], params: [], fit: [] });
  const primary = METRICS[cfg.protocol][0];

  for (const seed of cfg.seeds) {
    // With servedOnValidation every figure comes from the validation split (the test split is never looked at).
    const outer = split(cfg.protocol, rows, seed);
    const task = cfg.servedOnValidation ? validationOf(outer, seed + 7919) : outer;
    const val = validationOf(task, seed + 7919);
    const ctx = { quick: cfg.quick, nUsers: rows.nUsers, nItems: rows.nItems, nnz: task.train.length, chosen: {} as Record<string, Params> };
    log(`seed ${seed}: ${task.train.length} training interactions, ${task.cases.length} test users; validation ${val.train.length} / ${val.cases.length}`);
    for (const spec of specs) {
      const grid = spec.grid(ctx);
      let best: { params: Params; value: number } | undefined;
      if (grid.length > 1) {
        for (const params of grid) {
          const m = spec.create(params, ds.docs);
          const secs = fitTimed(m, val, seed);
          const value = evaluate(m, val)[primary];
          log(`  ${spec.name} [${fmtParams(params)}] validation ${primary} ${value.toFixed(4)} (fit ${secs.toFixed(1)} s)`);
          if (!best || value > best.value) best = { params, value };
        }
      } else best = { params: grid[0], value: NaN };
      ctx.chosen[spec.name] = best!.params;
      const m = spec.create(best!.params, ds.docs);
      const secs = fitTimed(m, task, seed);
      const metrics = evaluate(m, task);
      const r = perModel.get(spec.name)!;
      r.runs.push(metrics);
      r.params.push(best!.params);
      r.fit.push(secs);
      log(
        `  ${spec.name} [${fmtParams(best!.params)}] test ${METRICS[cfg.protocol].map((k) => `${k} ${metrics[k].toFixed(4)}`).join(', ')} (fit ${secs.toFixed(1)} s)`,
      );
    }
    for (const v of cfg.served ?? []) {
      const t = performance.now();
      let last = '';
      if (!cfg.open) throw new Error('runEvaluation: served runs need cfg.open (a server to measure)');
      const metrics = await evaluateServed(ds, task, {
        open: cfg.open,
        settings: v.settings,
        eventType: cfg.eventType,
        onProgress: (stage, f) => {
          const line = `  ${v.name}: ${stage} ${Math.round(f * 100)}%`;
          if (f === 1 || f === 0) {
            if (line !== last) log(line);
            last = line;
          }
        },
      });
      const secs = (performance.now() - t) / 1000;
      let r = perModel.get(v.name);
      if (!r) perModel.set(v.name, (r = { runs: [], params: [], fit: [] }));
      r.runs.push(metrics);
      r.params.push(v.settings ? { settings: JSON.stringify(v.settings) } : {});
      r.fit.push(secs);
      log(`  ${v.name} test ${METRICS[cfg.protocol].map((k) => `${k} ${metrics[k].toFixed(4)}`).join(', ')} (${secs.toFixed(1)} s through the API)`);
    }
  }
  for (const name of perModel.keys()) {
    const r = perModel.get(name)!;
    if (r.runs.length === 0) continue;
    const names = [...METRICS[cfg.protocol], 'coverage', 'novelty'];
    const metrics = Object.fromEntries(names.map((k) => [k, meanStd(r.runs.map((x) => x[k]))]));
    results.push({ model: name, metrics, params: r.params, fitSeconds: meanStd(r.fit).mean });
  }
  const order = new Map([...cfg.models, ...(cfg.served ?? []).map((v) => v.name)].map((m, i) => [m, i]));
  results.sort((a, b) => order.get(a.model)! - order.get(b.model)!);
  return { dataset: ds.name, protocol: cfg.protocol, seeds: cfg.seeds, users: rows.nUsers, items: rows.nItems, interactions: rows.users.length, results };
}

/** Reference rows to compare against, per dataset and protocol. */
export const REFERENCES: Record<string, { name: string; metrics: Record<string, number>; source: string }> = {
  'movielens-100k/ms': {
    name: 'BiVAE (MS Recommenders best)',
    metrics: { MAP: 0.146, 'nDCG@10': 0.475, 'P@10': 0.412, 'R@10': 0.219 },
    source: 'Microsoft Recommenders benchmark, ML-100k',
  },
};

/** A plain-text table of a report (one row per model). */
export function formatTable(rep: Report): string {
  const metricNames = [...METRICS[rep.protocol], 'coverage', 'novelty'];
  const head = ['model', ...metricNames, 'fit s', 'params'];
  const rows: string[][] = [];
  for (const r of rep.results) {
    if (r.skipped) {
      rows.push([r.model, ...metricNames.map(() => '-'), '-', `skipped: ${r.skipped}`]);
      continue;
    }
    const params = [...new Set(r.params.map(fmtParams))].join(' | ');
    rows.push([r.model, ...metricNames.map((k) => `${r.metrics[k].mean.toFixed(4)} ±${r.metrics[k].std.toFixed(4)}`), r.fitSeconds.toFixed(1), params]);
  }
  const ref = REFERENCES[`${rep.dataset}/${rep.protocol}`];
  if (ref) rows.push([`(${ref.name})`, ...metricNames.map((k) => (ref.metrics[k] !== undefined ? ref.metrics[k].toFixed(4) : '')), '', '']);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [
    `${rep.dataset} · protocol ${rep.protocol} · ${rep.users} users × ${rep.items} items × ${rep.interactions} interactions · seeds ${rep.seeds.join(',')}`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  if (ref) {
    const best = rep.results.filter((r) => !r.skipped && Object.keys(ref.metrics).every((k) => r.metrics[k].mean > ref.metrics[k])).map((r) => r.model);
    out.push(
      best.length
        ? `beats ${ref.name} on all of ${Object.keys(ref.metrics).join(', ')}: ${best.join(', ')}`
        : `no model beats ${ref.name} on all of ${Object.keys(ref.metrics).join(', ')}`,
    );
  }
  return out.join('\n');
}
