import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extract, readFigures, readmeLine, renderRow } from '../../bench/figures.ts';

/**
 * Issue 11, item 3: the README's benchmark table is what bench/figures.json holds, the file
 * `npm run figures` writes from each bench's JSON line, so a README figure cannot drift from what the
 * bench printed on the recorded run.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const file = readFigures();

/** The lines of the README table whose header starts with `| bench | figures |`. */
function benchTable(readme: string): string[] {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| bench | figures |'));
  expect(start, 'the README has a benchmark table').toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(l);
  }
  return rows;
}

describe('README benchmark figures', () => {
  it('each row of the README table is the one bench/figures.json renders, and every row is checked', () => {
    const table = benchTable(README);
    expect(table).toEqual(file.rows.map((r) => readmeLine(r, file.runs)));
  });

  it('every figure a row names was recorded, with its command, date, machine and source', () => {
    for (const row of file.rows) {
      expect(() => renderRow(row, file.runs)).not.toThrow();
      expect(row.noise.length, `${row.bench}: how noisy`).toBeGreaterThan(10);
    }
    for (const [name, run] of Object.entries(file.runs)) {
      expect(run.command, name).toMatch(/^node bin\/run-ts\.mjs bench\/\w+\.ts/);
      expect(Object.keys(run.figures).sort(), `${name}: a figure for every path`).toEqual(Object.keys(run.paths).sort());
      expect(run.takenAt && run.machine && run.source, name).toBeTruthy();
    }
  });

  it('a drifted figure fails: a README row with another number does not match', () => {
    const nlu = file.rows.find((r) => r.text.includes('{nlu.'))!;
    const drifted = { ...file.runs, nlu: { ...file.runs.nlu, figures: { ...file.runs.nlu.figures, en: file.runs.nlu.figures.en + 0.01 } } };
    expect(benchTable(README)).not.toContain(readmeLine(nlu, drifted));
  });

  it('extracts figures from a bench line by path, scaled and rounded', () => {
    const line = { heldOut: { logreg: { en: { accuracy: 0.8399 } } }, intentTrainMs: { warm: 231.4 } };
    expect(extract(line, { path: 'heldOut.logreg.en.accuracy', digits: 2 })).toBe(0.84);
    expect(extract(line, { path: 'intentTrainMs.warm', scale: 0.001, digits: 2 })).toBe(0.23);
    expect(() => extract(line, 'heldOut.missing')).toThrow(/no number/);
  });
});
