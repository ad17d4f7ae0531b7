/**
 * The benches' last figures, kept in bench/figures.json, from which the README's benchmark table is
 * written and against which a test (test/bench/figures.test.ts) checks it.
 *
 *   npm run figures -- nlu                 runs the `nlu` run's command, records its figures, prints the README row
 *   npm run figures -- nlu --line '{…}'    records a JSON line the bench printed earlier (no rerun)
 *   npm run figures                        prints every README row from the file
 *
 * Each run in the file names its command, the JSON path of each figure in the bench's one JSON line
 * (with rounding), the figures of the last recorded run, and when, on what machine and from what source
 * they were taken. Each README row is a template over those figures (`{run.figure}`, `{run.figure:3}` for
 * fixed decimals) with a note on how noisy they are.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FigureSpec {
  /** Dot path into the bench's JSON line. */
  path: string;
  /** Decimal places kept (default: as printed). */
  digits?: number;
  /** Multiplies the value first (e.g. 0.001 for ms to s). */
  scale?: number;
}

export interface Run {
  command: string;
  figures: Record<string, number>;
  paths: Record<string, string | FigureSpec>;
  takenAt: string;
  machine: string;
  /** `run` when `npm run figures` recorded it; otherwise where the figures came from. */
  source: string;
}

export interface Row {
  /** The README table's first cell, exactly (backticks included). */
  bench: string;
  /** The second cell, with `{run.figure}` placeholders. */
  text: string;
  /** How much the figures move between runs, and why. */
  noise: string;
}

export interface FiguresFile {
  runs: Record<string, Run>;
  rows: Row[];
}

export const FIGURES_FILE = fileURLToPath(new URL('./figures.json', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function readFigures(file = FIGURES_FILE): FiguresFile {
  return JSON.parse(readFileSync(file, 'utf8')) as FiguresFile;
}

/** A figure as the README writes it: integers with thousands separators, decimals as recorded. */
export function formatFigure(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : String(x);
}

/** The README table line of a row: bench, figures, noise. */
export function readmeLine(row: Row, runs: Record<string, Run>): string {
  return `| ${row.bench} | ${renderRow(row, runs)} | ${row.noise} |`;
}

/** A row's text with its placeholders filled; throws on a figure the file does not have. */
export function renderRow(row: Row, runs: Record<string, Run>): string {
  // `{run.figure}`, or `{run.figure:3}` for a fixed number of decimals (0.040).
  return row.text.replace(/\{([\w-]+)\.(\w+)(?::(\d))?\}/g, (_, run: string, fig: string, fixed?: string) => {
    const v = runs[run]?.figures[fig];
    if (typeof v !== 'number') throw new Error(`${row.bench}: no figure ${run}.${fig} in bench/figures.json`);
    return fixed === undefined ? formatFigure(v) : v.toFixed(Number(fixed));
  });
}

/** The value at a dot path of a bench's JSON line, scaled and rounded as the spec says. */
export function extract(line: Record<string, unknown>, spec: string | FigureSpec): number {
  const s = typeof spec === 'string' ? { path: spec } : spec;
  let v: unknown = line;
  for (const k of s.path.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
  if (typeof v !== 'number') throw new Error(`no number at ${s.path}`);
  const x = v * (s.scale ?? 1);
  return s.digits === undefined ? x : Math.round(x * 10 ** s.digits) / 10 ** s.digits;
}

function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the start`;
}

function main(argv: string[]): number {
  const file = readFigures();
  const name = argv[0];
  if (!name) {
    for (const row of file.rows) process.stdout.write(`${readmeLine(row, file.runs)}\n`);
    return 0;
  }
  const run = file.runs[name];
  if (!run) {
    process.stderr.write(`unknown run ${name}; the runs are: ${Object.keys(file.runs).join(', ')}\n`);
    return 2;
  }
  const li = argv.indexOf('--line');
  const at = machine();
  let text: string;
  if (li >= 0) text = argv[li + 1] ?? '';
  else {
    process.stderr.write(`[figures] ${run.command}\n`);
    const [cmd, ...args] = run.command.split(' ');
    const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 });
    if (r.status !== 0) process.stderr.write(`[figures] the bench exited with ${r.status}; recording what it printed\n`);
    text = r.stdout;
  }
  const last = text
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!last) {
    process.stderr.write('[figures] the bench printed no JSON line\n');
    return 1;
  }
  const line = JSON.parse(last) as Record<string, unknown>;
  run.figures = Object.fromEntries(Object.entries(run.paths).map(([k, spec]) => [k, extract(line, spec)]));
  run.takenAt = new Date().toISOString().slice(0, 10);
  run.machine = at;
  run.source = 'run';
  writeFileSync(FIGURES_FILE, `${JSON.stringify(file, null, 2)}\n`);
  process.stderr.write(`[figures] recorded ${name}: ${JSON.stringify(run.figures)}\n`);
  for (const row of file.rows.filter((r) => r.text.includes(`{${name}.`))) {
    process.stdout.write(`${readmeLine(row, file.runs)}\n`);
  }
  process.stderr.write("[figures] paste the row(s) above into the README's benchmark table (the figures test compares them)\n");
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) process.exitCode = main(process.argv.slice(2));
