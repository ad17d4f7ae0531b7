import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import type { ExperimentResults, MetricResult } from '../../experiment/analysis.ts';
import type { Experiment } from '../../experiment/schemas.ts';
import type { Interval } from '../../stats/tests.ts';
import { Engine } from '../../server/compose.ts';

async function withEngine<T>(fn: (e: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open(loadConfig());
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

/** Rows as aligned columns, the first row a header underlined. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const day = (t: number | null) => (t === null ? '—' : new Date(t).toISOString().slice(0, 10));

export function formatList(list: readonly Experiment[]): string {
  if (!list.length) return 'No experiments yet: create one with POST /v1/experiments (see the README, Experiments).';
  return table([
    ['key', 'status', 'variants', 'primary metric', 'started', 'stopped'],
    ...list.map((e) => [
      e.key,
      e.status,
      e.variants.map((v) => `${v.name} (${v.strategy}, ${v.weight})`).join(', '),
      e.primaryMetric,
      day(e.startedAt),
      day(e.stoppedAt),
    ]),
  ]);
}

export function formatExperiment(e: Experiment): string {
  const total = e.variants.reduce((s, v) => s + v.weight, 0);
  return [
    `${e.key}${e.name ? ` — ${e.name}` : ''}: ${e.status}, created ${day(e.createdAt)}, started ${day(e.startedAt)}, stopped ${day(e.stoppedAt)}`,
    `primary metric ${e.primaryMetric}; guardrails ${e.guardrailMetrics.join(', ') || 'none'}; attribution window ${e.attributionWindowDays} days; churn after ${e.churnDays} inactive days; contexts ${e.contexts?.join(', ') ?? 'all'}`,
    '',
    table([
      ['variant', 'strategy', 'share', 'model / settings'],
      ...e.variants.map((v) => [
        `${v.name}${v.name === e.control ? ' (control)' : ''}`,
        v.strategy,
        `${Math.round((v.weight / total) * 1000) / 10} %`,
        [v.model, v.settings ? JSON.stringify(v.settings) : ''].filter(Boolean).join(' '),
      ]),
    ]),
  ].join('\n');
}

function value(m: MetricResult, x: number | null): string {
  if (x === null) return '—';
  if (m.display === 'percent') return `${(x * 100).toFixed(2)} %`;
  if (m.display === 'nps') return (x * 100).toFixed(1);
  return x.toFixed(2);
}
/** A chance as a percentage; the ends say "above 99.9 %" rather than a certainty a posterior never gives. */
const chance = (p: number) => (p > 0.999 ? '> 99.9 %' : p < 0.001 ? '< 0.1 %' : `${(p * 100).toFixed(1)} %`);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
const interval = (i: Interval | null | undefined) => (i ? `${signed(i.estimate)} [${signed(i.low)}, ${signed(i.high)}]` : '—');

/** The results as a person reads them: who was counted, the SRM check, then per metric each variant against control. */
export function formatResults(r: ExperimentResults): string {
  const out: string[] = [];
  out.push(
    `${r.experiment.key}: ${r.experiment.status}, ${r.people} people, analysed until ${r.analysedUntil.slice(0, 16).replace('T', ' ')} UTC (attribution window ${r.experiment.attributionWindowDays} days)`,
  );
  out.push(
    table([
      ['variant', 'strategy', 'weight', 'people', 'expected', 'answers'],
      ...r.variants.map((v) => [
        `${v.name}${v.name === r.experiment.control ? ' (control)' : ''}`,
        v.strategy,
        String(v.weight),
        String(v.people),
        r.srm.expected[v.name].toFixed(1),
        String(v.answers),
      ]),
    ]),
  );
  out.push(
    `SRM: χ² = ${r.srm.chiSquared.toFixed(2)}, p = ${r.srm.pValue < 1e-4 ? r.srm.pValue.toExponential(2) : r.srm.pValue.toFixed(4)}${r.srm.mismatch ? '  ⚠ MISMATCH: do not trust these results' : ' (ok)'}`,
  );
  out.push('');
  const rows: string[][] = [['metric', 'variant', 'value', 'n', 'uplift [95 % interval]', 'p', 'chance to beat', 'CUPED uplift']];
  for (const m of r.metrics) {
    const tag = m.primary ? ' *' : m.guardrail ? ' (guardrail)' : '';
    for (const v of m.values) {
      const c = m.comparisons.find((x) => x.variant === v.variant);
      rows.push([
        v.variant === r.experiment.control ? `${m.metric}${tag}` : '',
        v.variant,
        value(m, v.value),
        String(v.n),
        c ? interval(c.uplift) : '',
        c?.pValue == null ? '' : c.pValue.toFixed(4),
        c?.chanceToBeatControl == null ? '' : chance(c.chanceToBeatControl),
        c?.cuped ? interval(c.cuped.uplift) : '',
      ]);
    }
  }
  out.push(table(rows));
  out.push('* primary metric. Lower is better for churn and returnRate; the chance to beat control accounts for it.');
  out.push('');
  out.push(...r.summary);
  return out.join('\n');
}

export function registerExperiments(program: Command) {
  const cmd = program.command('experiments').description('list experiments, show one, and print its results (uplift, intervals, SRM)');
  cmd
    .command('list')
    .description('every experiment of the workspace, oldest first')
    .option('-w, --workspace <id>', 'workspace', 'default')
    .action(async (o: { workspace: string }) => {
      const list = await withEngine((e) => e.experiments.list(o.workspace));
      process.stdout.write(`${formatList(list)}\n`);
    });
  cmd
    .command('show <key>')
    .description('one experiment: status, variants and their strategies, metrics')
    .option('-w, --workspace <id>', 'workspace', 'default')
    .action(async (key: string, o: { workspace: string }) => {
      const e = await withEngine((en) => en.experiments.get(o.workspace, key));
      process.stdout.write(`${formatExperiment(e)}\n`);
    });
  cmd
    .command('results <key>')
    .description('per metric and variant against control: uplift with a 95 % interval, p-value, chance to beat control, CUPED, SRM')
    .option('-w, --workspace <id>', 'workspace', 'default')
    .option('--json', 'print the results as JSON (as GET /v1/experiments/:key/results answers)')
    .action(async (key: string, o: { workspace: string; json?: boolean }) => {
      const r = await withEngine((e) => e.experiments.results(o.workspace, key));
      process.stdout.write(o.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatResults(r)}\n`);
    });
}
