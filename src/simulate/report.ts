/**
 * The simulator's table as text (and as Markdown for the README): metrics as rows, arms as columns.
 */
import { METRIC_LABELS, METRICS, type Analysis, type Comparison, type Interval, type Metric } from './analysis.ts';

const signed = (x: number, digits: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(digits)}`;
const plain = (x: number, digits: number) => (x < 0 ? `−${Math.abs(x).toFixed(digits)}` : x.toFixed(digits));

/** One estimate in its metric's unit: `23.4 % [19.5, 27.6]`, `52.10 [44.02, 60.18]`, `+12 [−3, +27]`. */
export function formatEstimate(m: Metric, e: Interval): string {
  if (!Number.isFinite(e.estimate)) return '–';
  switch (METRIC_LABELS[m].unit) {
    // A share's normal interval can reach past 0 or 1 when it is near either: shown clipped.
    case 'share':
      return `${(100 * e.estimate).toFixed(1)} % [${(100 * Math.max(0, e.low)).toFixed(1)}, ${(100 * Math.min(1, e.high)).toFixed(1)}]`;
    case 'eur':
      return `${e.estimate.toFixed(2)} [${e.low.toFixed(2)}, ${e.high.toFixed(2)}]`;
    case 'nps':
      return `${signed(e.estimate, 0)} [${signed(e.low, 0)}, ${signed(e.high, 0)}]`;
    case 'utility':
      return `${signed(e.estimate, 2)} [${signed(e.low, 2)}, ${signed(e.high, 2)}]`;
    default:
      return `${e.estimate.toFixed(2)} [${e.low.toFixed(2)}, ${e.high.toFixed(2)}]`;
  }
}

/**
 * An uplift: shares, NPS and utility as a difference (a relative change of a share near zero, or of
 * a score that may be negative, says little); money and counts as a relative change.
 */
export function formatUplift(m: Metric, c: Comparison): string {
  const unit = METRIC_LABELS[m].unit;
  if (unit === 'share') {
    const d = c.difference;
    return `${signed(100 * d.estimate, 1)} pp [${plain(100 * d.low, 1)}, ${plain(100 * d.high, 1)}]`;
  }
  if (unit === 'nps' || unit === 'utility') {
    const d = c.difference;
    const digits = unit === 'nps' ? 0 : 2;
    return `${signed(d.estimate, digits)} [${plain(d.low, digits)}, ${plain(d.high, digits)}]`;
  }
  const r = c.relative;
  if (!Number.isFinite(r.estimate)) return '–';
  return `${signed(100 * r.estimate, 1)} % [${plain(100 * r.low, 1)}, ${plain(100 * r.high, 1)}]`;
}

function grid(header: string[], rows: string[][], markdown: boolean): string {
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
  }
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The two tables (each arm's metrics; each arm's uplift over the control) and the verdict. */
export function formatAnalysis(a: Analysis, opts: { markdown?: boolean } = {}): string {
  const md = opts.markdown ?? false;
  const arms = a.rows.map((r) => r.arm);
  const header = ['', ...arms];
  const counts = ['shoppers / visits', ...a.rows.map((r) => `${r.shoppers} / ${r.visits}`)];
  const metrics = [counts, ...METRICS.map((m) => [METRIC_LABELS[m].label, ...a.rows.map((r) => formatEstimate(m, r.metrics[m]))])];
  const out = [`Per arm (95 % intervals):`, '', grid(header, metrics, md)];
  const treated = a.rows.filter((r) => r.uplift);
  if (treated.length) {
    const up = METRICS.map((m) => [METRIC_LABELS[m].label, ...treated.map((r) => formatUplift(m, r.uplift![m]))]);
    out.push(
      '',
      `Uplift over ${a.control} (95 % intervals; shares, NPS and utility as differences, the rest relative):`,
      '',
      grid(['', ...treated.map((r) => r.arm)], up, md),
    );
  }
  out.push('', a.verdict.text);
  return out.join('\n');
}
