/**
 * The reliability chart, as plain SVG text (no library; small enough to commit): one panel per
 * predictor, predicted probability against the observed share by bin, the model solid and recency
 * alone dashed, the diagonal where a calibrated model lies.
 */
import type { ReliabilityBin } from './predict-metrics.ts';

export interface ReliabilityPanel {
  title: string;
  model: ReliabilityBin[];
  baseline: ReliabilityBin[];
  /** Small print under the title (AUC and Brier of each). */
  note: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const W = 300;
const H = 300;
const PAD = { left: 48, right: 16, top: 58, bottom: 44 };
const MODEL = '#1a73e8';
const BASELINE = '#9aa0a6';

function panel(p: ReliabilityPanel, x0: number): string {
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const X = (v: number) => (x0 + PAD.left + v * iw).toFixed(1);
  const Y = (v: number) => (PAD.top + (1 - v) * ih).toFixed(1);
  const parts: string[] = [];
  parts.push(`<text x="${x0 + W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${escapeXml(p.title)}</text>`);
  parts.push(`<text x="${x0 + W / 2}" y="38" text-anchor="middle" font-size="10.5" fill="#555">${escapeXml(p.note)}</text>`);
  for (let k = 0; k <= 5; k++) {
    const v = k / 5;
    parts.push(`<line x1="${X(0)}" y1="${Y(v)}" x2="${X(1)}" y2="${Y(v)}" stroke="#eee"/>`);
    parts.push(`<text x="${x0 + PAD.left - 6}" y="${Number(Y(v)) + 4}" text-anchor="end" font-size="10">${v.toFixed(1)}</text>`);
    parts.push(`<text x="${X(v)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="10">${v.toFixed(1)}</text>`);
  }
  parts.push(`<line x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(1)}" stroke="#bbb" stroke-dasharray="2,3"/>`);
  parts.push(`<text x="${x0 + PAD.left + iw / 2}" y="${H - 8}" text-anchor="middle" font-size="11">predicted probability</text>`);
  parts.push(
    `<text x="${x0 + 12}" y="${PAD.top + ih / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 ${x0 + 12} ${PAD.top + ih / 2})">observed share</text>`,
  );
  const total = (bins: ReliabilityBin[]) =>
    Math.max(
      1,
      bins.reduce((a, b) => a + b.count, 0),
    );
  const series = (bins: ReliabilityBin[], colour: string, dash: string) => {
    if (!bins.length) return '';
    const n = total(bins);
    const path = bins.map((b, k) => `${k ? 'L' : 'M'}${X(b.meanPredicted)},${Y(b.observed)}`).join(' ');
    const dots = bins
      .map(
        (b) =>
          `<circle cx="${X(b.meanPredicted)}" cy="${Y(b.observed)}" r="${(2 + 6 * Math.sqrt(b.count / n)).toFixed(1)}" fill="${colour}" fill-opacity="0.6"/>`,
      )
      .join('');
    return `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>${dots}`;
  };
  parts.push(series(p.baseline, BASELINE, '5,4'));
  parts.push(series(p.model, MODEL, ''));
  return parts.join('\n');
}

/** The whole chart: panels side by side, a legend below. */
export function reliabilityChart(title: string, panels: readonly ReliabilityPanel[]): string {
  const width = W * panels.length;
  const height = H + 50;
  const legendY = H + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...panels.map((p, k) => panel(p, k * W)),
    `<text x="12" y="${legendY}" font-size="12" font-weight="600">${escapeXml(title)}</text>`,
    `<line x1="${width - 330}" y1="${legendY - 4}" x2="${width - 306}" y2="${legendY - 4}" stroke="${MODEL}" stroke-width="2"/><text x="${width - 300}" y="${legendY}" font-size="11">predictor</text>`,
    `<line x1="${width - 230}" y1="${legendY - 4}" x2="${width - 206}" y2="${legendY - 4}" stroke="${BASELINE}" stroke-width="2" stroke-dasharray="5,4"/><text x="${width - 200}" y="${legendY}" font-size="11">recency alone (dot area: rows)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
