import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePredictors, formatPredictTable, predictChart, runPredictEval } from '../../src/eval/predict.ts';
import { csvLog } from '../../src/eval/predict-data.ts';
import { auc, aucDifferenceInterval, brier, expectedCalibrationError, logLoss, reliability } from '../../src/eval/predict-metrics.ts';
import { buildEventLog, kindOfType } from '../../src/predict/event-log.ts';
import { plantedShop } from '../predict/planted-shop.ts';

describe('prediction metrics', () => {
  it('AUC counts the ordered pairs, ties as half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(auc([0.5, 0.5, 0.5], [0, 1, 1])).toBeCloseTo(0.5, 12);
    expect(auc([0.9, 0.1], [0, 1])).toBe(0);
    expect(auc([0.2, 0.3], [1, 1])).toBeNaN();
  });

  it('log-loss and Brier score of known answers', () => {
    expect(logLoss([0.5, 0.5], [0, 1])).toBeCloseTo(Math.LN2, 12);
    expect(logLoss([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1e-15), 6);
    expect(brier([0.9, 0.2], [1, 0])).toBeCloseTo((0.01 + 0.04) / 2, 12);
  });

  it('the reliability table bins by predicted probability', () => {
    const bins = reliability([0.05, 0.07, 0.55, 0.95, 1], [0, 1, 1, 1, 0], 10);
    expect(bins.map((b) => [b.from, b.count])).toEqual([
      [0, 2],
      [0.5, 1],
      [0.9, 2],
    ]);
    expect(bins[0].meanPredicted).toBeCloseTo(0.06, 12);
    expect(bins[0].observed).toBe(0.5);
    expect(expectedCalibrationError(bins)).toBeCloseTo((2 * 0.44 + 1 * 0.45 + 2 * 0.475) / 5, 12);
  });

  it('the bootstrap interval of an AUC gain covers a real gain and straddles none', () => {
    const y = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const good = y.map((v, i) => v * 0.5 + ((i * 7919) % 100) / 200);
    const noise = y.map((_, i) => ((i * 104729) % 97) / 97);
    const people = y.map((_, i) => i);
    const [lo, hi] = aucDifferenceInterval(good, noise, y, people, 1);
    expect(lo).toBeGreaterThan(0.2);
    expect(hi).toBeLessThan(0.6);
    const [lo2, hi2] = aucDifferenceInterval(noise, noise, y, people, 1);
    expect(lo2).toBe(0);
    expect(hi2).toBe(0);
  });
});

describe('afin eval predict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'afin-eval-predict-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const shop = plantedShop(11, 250, 120);

  it('beats recency alone on a time split of a shop with planted signals, and charts the calibration', () => {
    const log = buildEventLog(shop.events.map((e) => ({ person: e.person, category: e.category, kind: kindOfType(e.type)!, time: e.time, value: e.value })));
    const { report } = evaluatePredictors(log, { dataset: 'planted', horizonDays: 14, seed: 3 });
    expect(report.cutoff).toBe(new Date(log.last + 1 - 14 * 86_400_000).toISOString());
    const churn = report.results.find((r) => r.predictor === 'churn')!;
    expect(churn.positives).toBeGreaterThan(10);
    expect(churn.model.auc).toBeGreaterThan(churn.baseline.auc);
    for (const r of report.results) {
      expect(r.model.brier).toBeLessThan(0.25);
      expect(r.reliability.model.reduce((a, b) => a + b.count, 0)).toBe(r.rows);
    }
    const svg = predictChart(report);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<circle/g)!.length).toBe(report.results.reduce((a, r) => a + r.reliability.model.length + r.reliability.baseline.length, 0));
    const table = formatPredictTable([report]);
    expect(table.split('\n')).toHaveLength(2 + 3);
    expect(table).toContain(`| planted (14 d) | churn | ${churn.rows} (${churn.positives}) | ${churn.model.auc.toFixed(3)} |`);
  });

  it('reads a CSV of person,item,time,value (each row a purchase, each item its own category)', async () => {
    const file = join(dir, 'orders.csv');
    const rows = shop.events.filter((e) => e.type === 'purchase').map((e) => `${e.person},${e.item},${new Date(e.time).toISOString()},${e.value}`);
    writeFileSync(file, `person,item,time,value\n${rows.join('\n')}\n`);
    const log = await csvLog(file);
    expect(log.time.length).toBe(rows.length);
    expect(log.categories).toContain('coffee-1');
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
    let code: number;
    try {
      code = await runPredictEval(['--dataset', 'csv', '--path', file, '--chart-dir', dir, '--horizon', '14'], () => {});
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/\| csv \(14 d\) \| next purchase \|/);
    const json = JSON.parse(out.join('').trim().split('\n').at(-1)!);
    expect(json.eval.predict[0].results.map((r: { predictor: string }) => r.predictor)).toEqual(['churn', 'next purchase', 'propensity']);
    expect(readFileSync(join(dir, 'predict-reliability-csv.svg'), 'utf8')).toContain('reliability');
  });

  it('refuses bad options with a message naming them', async () => {
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
    try {
      expect(await runPredictEval(['--dataset', 'csv'])).toBe(2);
      expect(await runPredictEval(['--horizon', '0'])).toBe(2);
      expect(await runPredictEval(['--calibration', 'magic'])).toBe(2);
      expect(await runPredictEval(['--dataset', 'csv', '--path', join(dir, 'missing.csv')], () => {})).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    const text = err.join('');
    expect(text).toContain('--dataset csv needs --path');
    expect(text).toContain('--horizon must be an integer');
    expect(text).toContain('--calibration must be platt or isotonic');
    expect(text).toContain('no file at');
  });
});
