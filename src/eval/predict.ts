/**
 * `afin eval predict`: each predictor (churn, next purchase, propensity) against recency alone on a
 * time split: train on everything before the last horizon, exactly as the server trains at `now`,
 * then score every person (and person-category) at that cutoff and compare with what they did in
 * the horizon after it. Prints a table and one JSON line; writes a reliability chart per dataset.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { CalibrationMethod } from '../predict/calibrated-model.ts';
import { probabilityOf } from '../predict/calibrated-model.ts';
import { type EventLog, truncateLog } from '../predict/event-log.ts';
import { DAY_MS } from '../predict/person-features.ts';
import { autoHorizonDays, churnRows, pairRows, type PredictorState, trainPredictor } from '../predict/predictor.ts';
import { DatasetError } from './datasets.ts';
import { reliabilityChart } from './predict-chart.ts';
import { csvLog, simulatorLog, TAOBAO_PATH, taobaoLog } from './predict-data.ts';
import { auc, aucDifferenceInterval, brier, expectedCalibrationError, logLoss, type ReliabilityBin, reliability } from './predict-metrics.ts';

export interface Scores {
  auc: number;
  logLoss: number;
  brier: number;
  ece: number;
}

export interface PredictorResult {
  predictor: 'churn' | 'next purchase' | 'propensity';
  rows: number;
  positives: number;
  model: Scores;
  baseline: Scores;
  /** A 95 % interval for the AUC gain over recency alone (paired bootstrap over people). */
  aucGain: [number, number];
  reliability: { model: ReliabilityBin[]; baseline: ReliabilityBin[] };
}

export interface PredictEvalReport {
  dataset: string;
  persons: number;
  events: number;
  horizonDays: number;
  cutoff: string;
  trainCutoffs: string[];
  calibration: CalibrationMethod;
  results: PredictorResult[];
}

function scores(p: number[], y: number[]): Scores {
  return { auc: auc(p, y), logLoss: logLoss(p, y), brier: brier(p, y), ece: expectedCalibrationError(reliability(p, y)) };
}

function result(predictor: PredictorResult['predictor'], model: number[], base: number[], y: number[], people: number[], seed: number): PredictorResult {
  return {
    predictor,
    rows: y.length,
    positives: y.reduce((a, b) => a + b, 0),
    model: scores(model, y),
    baseline: scores(base, y),
    aucGain: aucDifferenceInterval(model, base, y, people, seed),
    reliability: { model: reliability(model, y), baseline: reliability(base, y) },
  };
}

/**
 * The time split: the predictors learn from the history before `end − horizon` (the trainer sees a
 * truncated log, so nothing after the cutoff can leak), then are scored at that cutoff.
 */
export function evaluatePredictors(
  log: EventLog,
  opts: { dataset: string; horizonDays?: number; seed?: number; calibration?: CalibrationMethod },
): { report: PredictEvalReport; state: PredictorState } {
  const horizonDays = opts.horizonDays ?? autoHorizonDays(log.first, log.last);
  const h = horizonDays * DAY_MS;
  const cutoff = log.last + 1 - h;
  const calibration = opts.calibration ?? 'platt';
  const seed = opts.seed ?? 42;
  const state = trainPredictor(truncateLog(log, cutoff), { now: cutoff, horizonDays, seed, calibration });
  const churn = churnRows(log, cutoff, h);
  const pairs = pairRows(log, cutoff, h, state.repurchase, state.popularity);
  const next = { model: [] as number[], base: [] as number[], y: [] as number[], people: [] as number[] };
  pairs.nextX.forEach((r, i) => {
    if (!r) return;
    next.model.push(probabilityOf(state.nextPurchase, r));
    next.base.push(probabilityOf(state.baselines.nextPurchase, [Math.log1p(pairs.sincePurchase[i])]));
    next.y.push(pairs.y[i]);
    next.people.push(pairs.person[i]);
  });
  const results = [
    result(
      'churn',
      churn.x.map((x) => probabilityOf(state.churn, x)),
      churn.x.map((x) => probabilityOf(state.baselines.churn, [x[0]])),
      churn.y,
      churn.person,
      seed,
    ),
    result('next purchase', next.model, next.base, next.y, next.people, seed),
    result(
      'propensity',
      pairs.x.map((x) => probabilityOf(state.propensity, x)),
      pairs.x.map((x) => probabilityOf(state.baselines.propensity, [x[0]])),
      pairs.y,
      pairs.person,
      seed,
    ),
  ];
  return {
    report: {
      dataset: opts.dataset,
      persons: log.persons.length,
      events: log.time.length,
      horizonDays,
      cutoff: new Date(cutoff).toISOString(),
      trainCutoffs: state.cutoffs.map((c) => new Date(c).toISOString()),
      calibration,
      results,
    },
    state,
  };
}

const TAOBAO_HORIZON_DAYS = 1;

const f3 = (x: number) => (Number.isNaN(x) ? '   —  ' : x.toFixed(3));

/** The evaluation table (Markdown, as the README shows it). */
export function formatPredictTable(reports: readonly PredictEvalReport[]): string {
  const lines = [
    '| dataset | predictor | rows (positive) | AUC | AUC recency alone | AUC gain, 95 % CI | log-loss | log-loss recency | Brier | Brier recency | ECE | ECE recency |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of reports)
    for (const x of r.results)
      lines.push(
        `| ${r.dataset} (${r.horizonDays} d) | ${x.predictor} | ${x.rows} (${x.positives}) | ${f3(x.model.auc)} | ${f3(x.baseline.auc)} | ${f3(x.aucGain[0])} to ${f3(x.aucGain[1])} | ${f3(x.model.logLoss)} | ${f3(x.baseline.logLoss)} | ${f3(x.model.brier)} | ${f3(x.baseline.brier)} | ${f3(x.model.ece)} | ${f3(x.baseline.ece)} |`,
      );
  return lines.join('\n');
}

/** The chart of one report. */
export function predictChart(r: PredictEvalReport): string {
  return reliabilityChart(
    `${r.dataset}: reliability on the time split (horizon ${r.horizonDays} days, cutoff ${r.cutoff.slice(0, 10)})`,
    r.results.map((x) => ({
      title: x.predictor,
      model: x.reliability.model,
      baseline: x.reliability.baseline,
      note: `AUC ${f3(x.model.auc)} vs ${f3(x.baseline.auc)} · Brier ${f3(x.model.brier)} vs ${f3(x.baseline.brier)}`,
    })),
  );
}

export const PREDICT_USAGE = `usage: afin eval predict [--dataset simulator|taobao|csv] [--path FILE] [options]

Evaluates the predictors (churn risk, next purchase, propensity to buy in a category) against recency
alone on a time split: they learn from the history before the last horizon, as the server does at
"now", and are scored on what each person did in that last horizon. AUC, log-loss, Brier score and
expected calibration error (ECE), and a reliability chart (SVG) per dataset.

options:
  --dataset D       simulator  the demo simulator's shoppers (seeded; some stop visiting)
                    taobao     the Taobao behaviour sample (${TAOBAO_PATH})
                    csv        a CSV of person,item,time,value [,type] [,category] given by --path
                    all        simulator and taobao                                   [default all]
  --path FILE       the CSV (with --dataset csv), or another copy of the Taobao file
  --horizon DAYS    the horizon of every figure (default: a quarter of the history, 1 to 30
                    days; 1 day for taobao, whose people were all active in its last two days)
  --calibration M   platt or isotonic                                               [default platt]
  --seed N          the seed of the simulator and of the cross-fitting folds        [default 7]
  --shoppers N      simulated shoppers                                              [default 3000]
  --weeks N         simulated weeks of history                                      [default 12]
  --chart-dir DIR   where the reliability charts go                                 [default docs]
  --no-chart        do not write the charts
  --help            this text`;

/** `afin eval predict`; returns the process exit code. */
export async function runPredictEval(args: string[], log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        dataset: { type: 'string', default: 'all' },
        path: { type: 'string' },
        horizon: { type: 'string' },
        calibration: { type: 'string', default: 'platt' },
        seed: { type: 'string', default: '7' },
        shoppers: { type: 'string', default: '3000' },
        weeks: { type: 'string', default: '12' },
        'chart-dir': { type: 'string', default: 'docs' },
        'no-chart': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`afin eval predict: ${(e as Error).message}\n\n${PREDICT_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(PREDICT_USAGE + '\n');
    return 0;
  }
  const fail = (msg: string) => {
    process.stderr.write(`afin eval predict: ${msg}\n(see afin eval predict --help)\n`);
    return 2;
  };
  const int = (name: string, lo: number, hi: number): number | string => {
    const x = Number(values[name]);
    return Number.isInteger(x) && x >= lo && x <= hi ? x : `--${name} must be an integer from ${lo} to ${hi}`;
  };
  const seed = int('seed', 0, 2 ** 31 - 1);
  const shoppers = int('shoppers', 10, 100_000);
  const weeks = int('weeks', 2, 104);
  for (const v of [seed, shoppers, weeks]) if (typeof v === 'string') return fail(v);
  let horizonDays: number | undefined;
  if (values.horizon !== undefined) {
    const h = int('horizon', 1, 365);
    if (typeof h === 'string') return fail(h);
    horizonDays = h;
  }
  const calibration = values.calibration as CalibrationMethod;
  if (calibration !== 'platt' && calibration !== 'isotonic') return fail('--calibration must be platt or isotonic');
  const dataset = String(values.dataset);
  const which = dataset === 'all' ? ['simulator', 'taobao'] : [dataset];
  if (!which.every((d) => ['simulator', 'taobao', 'csv'].includes(d)))
    return fail(`--dataset must be simulator, taobao, csv or all, not ${JSON.stringify(dataset)}`);
  if (dataset === 'csv' && !values.path) return fail('--dataset csv needs --path FILE');
  const reports: PredictEvalReport[] = [];
  for (const d of which) {
    const started = performance.now();
    let events: EventLog;
    try {
      log(`loading ${d} …`);
      events =
        d === 'simulator'
          ? simulatorLog({ seed: seed as number, shoppers: shoppers as number, weeks: weeks as number, now: Date.UTC(2026, 10, 1) })
          : d === 'taobao'
            ? await taobaoLog(values.path ? String(values.path) : undefined)
            : await csvLog(String(values.path));
    } catch (e) {
      if (e instanceof DatasetError) return fail(e.message);
      throw e;
    }
    log(`${events.persons.length} persons, ${events.time.length} events, ${events.categories.length} categories; training and scoring …`);
    let report: PredictEvalReport;
    try {
      // Every person in the Taobao sample was active in its last two days (the sample was drawn that
      // way), so a two-day horizon there has no one inactive to find: it gets one day unless told.
      const h = horizonDays ?? (d === 'taobao' ? TAOBAO_HORIZON_DAYS : undefined);
      ({ report } = evaluatePredictors(events, { dataset: d, horizonDays: h, seed: seed as number, calibration }));
    } catch (e) {
      return fail(`${d}: ${(e as Error).message}`);
    }
    log(`${d}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    reports.push(report);
    if (!values['no-chart']) {
      const file = `${String(values['chart-dir'])}/predict-reliability-${d}.svg`;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, predictChart(report));
      log(`chart: ${file}`);
    }
  }
  process.stdout.write(formatPredictTable(reports) + '\n');
  process.stdout.write(JSON.stringify({ eval: { predict: reports.map((r) => ({ ...r, results: r.results.map(({ reliability: _, ...x }) => x) })) } }) + '\n');
  return 0;
}
