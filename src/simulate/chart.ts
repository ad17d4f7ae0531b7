/**
 * The simulator's chart, as plain SVG text (no library; small enough to commit): per arm and per
 * day, the share of shoppers who have bought so far (the table's conversion, day by day) and the
 * day's conversion (the share of that day's visits that ended in a purchase, over a 7-day window).
 */
import type { SimulationResult } from './run.ts';

const COLOURS: Record<string, string> = { random: '#9aa0a6', popular: '#f29900', segment: '#1a73e8', personalized: '#d93025', 'personalized+chat': '#9334e6' };
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface DailySeries {
  arm: string;
  /** Share of all shoppers who have bought at least once by the end of each day. */
  cumulative: number[];
  /** Buying visits / visits over the 7 days ending each day (null before any visit). */
  daily: Array<number | null>;
}

const WINDOW = 7;

export function dailyConversion(result: SimulationResult): DailySeries[] {
  return result.arms.map((o) => {
    let buyers = 0;
    const cumulative = o.dailyFirstBuyers.map((b) => (buyers += b) / Math.max(1, result.users));
    const daily = o.dailyVisits.map((_, d) => {
      let v = 0;
      let b = 0;
      for (let k = Math.max(0, d - WINDOW + 1); k <= d; k++) {
        v += o.dailyVisits[k];
        b += o.dailyBuyingVisits[k];
      }
      return v > 0 ? b / v : null;
    });
    return { arm: o.arm, cumulative, daily };
  });
}

interface Panel {
  title: string;
  axis: { top: number; step: number };
  values: (s: DailySeries) => Array<number | null>;
}

/** An axis from 0 with at most 6 round steps (0.5 %, 1 %, 2 %, 2.5 %, 5 %, …) above the highest value. */
export function axisFor(max: number): { top: number; step: number } {
  const steps = [0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25];
  const step = steps.find((s) => max / s <= 6) ?? 0.25;
  return { step, top: Math.max(step, Math.ceil(max / step - 1e-9) * step) };
}

export function conversionChart(result: SimulationResult): string {
  const series = dailyConversion(result);
  const W = 760;
  const pad = { left: 56, right: 160, top: 70, bottom: 40, gap: 60 };
  const plotW = W - pad.left - pad.right;
  const plotH = 190;
  const H = pad.top + 2 * plotH + pad.gap + pad.bottom;
  const days = result.days;
  const maxOf = (f: (s: DailySeries) => Array<number | null>) => Math.max(0, ...series.flatMap((s) => f(s).filter((v): v is number => v !== null)));
  const panels: Panel[] = [
    { title: 'Shoppers who have bought so far', axis: axisFor(maxOf((s) => s.cumulative)), values: (s) => s.cumulative },
    { title: `Visits that end in a purchase (${WINDOW}-day window)`, axis: axisFor(maxOf((s) => s.daily)), values: (s) => s.daily },
  ];
  const x = (d: number) => pad.left + (days <= 1 ? plotW / 2 : (d / (days - 1)) * plotW);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${pad.left}" y="22" font-size="15" font-weight="600">afin simulate: conversion per arm, day by day (${result.users} shoppers, seed ${result.seed})</text>`,
  ];
  panels.forEach((p, k) => {
    const y0 = pad.top + k * (plotH + pad.gap);
    const { top, step } = p.axis;
    const y = (v: number) => y0 + plotH - (v / top) * plotH;
    parts.push(`<text x="${pad.left}" y="${y0 - 12}" font-weight="600">${escapeXml(p.title)}</text>`);
    const decimals = Number.isInteger(Math.round(step * 1e6) / 1e4) ? 0 : 1;
    for (let k = 0; k * step <= top + 1e-9; k++) {
      const v = k * step;
      parts.push(`<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e8eaed"/>`);
      parts.push(`<text x="${pad.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#5f6368">${(v * 100).toFixed(decimals)} %</text>`);
    }
    const every = Math.max(1, Math.ceil(days / 10));
    for (let d = 0; d < days; d += every) parts.push(`<text x="${x(d).toFixed(1)}" y="${y0 + plotH + 16}" text-anchor="middle" fill="#5f6368">${d + 1}</text>`);
    parts.push(`<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${y0 + plotH}" y2="${y0 + plotH}" stroke="#5f6368"/>`);
    for (const s of series) {
      const pts = p.values(s);
      let path = '';
      pts.forEach((v, d) => {
        if (v === null) return;
        path += `${path ? ' L' : 'M'}${x(d).toFixed(1)},${y(v).toFixed(1)}`;
      });
      parts.push(`<path d="${path}" fill="none" stroke="${COLOURS[s.arm] ?? '#202124'}" stroke-width="2" stroke-linejoin="round"/>`);
    }
  });
  series.forEach((s, k) => {
    const ly = pad.top + k * 20;
    const colour = COLOURS[s.arm] ?? '#202124';
    parts.push(`<line x1="${W - pad.right + 16}" x2="${W - pad.right + 38}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="3"/>`);
    parts.push(`<text x="${W - pad.right + 44}" y="${ly}">${escapeXml(s.arm)}</text>`);
  });
  parts.push(`<text x="${pad.left + plotW / 2}" y="${H - 10}" text-anchor="middle" fill="#5f6368">day</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
