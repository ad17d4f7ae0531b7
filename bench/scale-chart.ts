/**
 * The cost curve as an SVG (plain text, no library): `bench/scale.ts --chart runs.jsonl --out
 * docs/scale-curve.svg` draws the JSON lines that `bench/scale.ts` printed. Four log-log panels by
 * events stored: training time, training peak memory, serving latency and bulk-load speed, with the
 * issue's targets as dashed lines. A size that was stopped before it finished (a `partial` line)
 * shows what it had cost by then as a hollow marker: a lower bound, not a measurement.
 */

/** One JSON line of `bench/scale.ts` (only the fields the chart reads). */
export interface ScaleLine {
  items: number;
  users: number;
  eventsPerUser: number;
  events?: number;
  partial?: boolean;
  stoppedIn?: string;
  ingest?: { eventsPerSec?: number; storeEventsPerCpuSec?: number; eventsSoFar?: number; seconds?: number; storeCpuSeconds?: number };
  training?: {
    seconds?: number;
    cpuSeconds?: number;
    peakRssMB?: number;
    soFar?: { wallSeconds?: number; cpuSeconds?: number | null; peakRssMB?: number };
  };
  serving?: { p50Ms?: number; p99Ms?: number; serverCpuMsPerRequest?: number | null; error?: string };
}

/** A value to plot; `atLeast`: the size stopped first, so the true figure is higher. */
export interface Point {
  x: number;
  y: number;
  atLeast: boolean;
}

interface Series {
  label: string;
  colour: string;
  points: Point[];
}

interface PanelSpec {
  title: string;
  unit: string;
  series: Series[];
  target?: { y: number; label: string };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** The size's events: as stored, or as planned (users × events per user) for a size stopped while loading. */
export function eventsOf(l: ScaleLine): number {
  return l.partial && l.stoppedIn === 'loading' ? l.users * l.eventsPerUser : (l.events ?? l.users * l.eventsPerUser);
}

/** `1k × 10k` */
export function sizeLabel(l: Pick<ScaleLine, 'items' | 'users'>): string {
  const short = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));
  return `${short(l.items)} × ${short(l.users)}`;
}

/** The series of every panel: finished figures as points, a stopped size's figures so far as lower bounds. */
export function panelsOf(lines: readonly ScaleLine[]): PanelSpec[] {
  const series = (label: string, colour: string, pick: (l: ScaleLine) => { y: unknown; atLeast: boolean } | null): Series => ({
    label,
    colour,
    // A size run more than once is one point: the last run that measured this figure.
    points: [
      ...new Map(
        lines.flatMap((l) => {
          const p = pick(l);
          return p && finite(p.y) ? [[`${l.items}x${l.users}`, { x: eventsOf(l), y: p.y, atLeast: p.atLeast }] as const] : [];
        }),
      ).values(),
    ],
  });
  const done = (y: unknown) => ({ y, atLeast: false });
  const training = (l: ScaleLine, finished: unknown, soFar: unknown) =>
    l.partial && l.stoppedIn === 'training' ? { y: soFar, atLeast: true } : l.partial ? null : done(finished);
  return [
    {
      title: 'Training time',
      unit: 's',
      series: [
        series('wall', '#9aa0a6', (l) => training(l, l.training?.seconds, l.training?.soFar?.wallSeconds)),
        series('CPU', '#1a73e8', (l) => training(l, l.training?.cpuSeconds, l.training?.soFar?.cpuSeconds)),
      ],
      target: { y: 900, label: 'target 15 min' },
    },
    {
      title: 'Training peak memory',
      unit: 'MB',
      series: [series('peak RSS', '#d93025', (l) => training(l, l.training?.peakRssMB, l.training?.soFar?.peakRssMB))],
      target: { y: 8192, label: 'target 8 GB' },
    },
    {
      title: 'Serving, 32 connections',
      unit: 'ms',
      series: [
        series('p50', '#9aa0a6', (l) => (l.partial ? null : done(l.serving?.p50Ms))),
        series('p99', '#d93025', (l) => (l.partial ? null : done(l.serving?.p99Ms))),
        series('server CPU / request', '#1a73e8', (l) => (l.partial ? null : done(l.serving?.serverCpuMsPerRequest))),
      ],
      target: { y: 30, label: 'target p99 30 ms' },
    },
    {
      title: 'Bulk load',
      unit: 'events/s',
      series: [
        series('wall', '#9aa0a6', (l) =>
          l.partial && l.stoppedIn === 'loading' ? done((l.ingest?.eventsSoFar ?? 0) / (l.ingest?.seconds ?? Number.NaN)) : done(l.ingest?.eventsPerSec),
        ),
        series('per store CPU s', '#1a73e8', (l) =>
          l.partial && l.stoppedIn === 'loading'
            ? done((l.ingest?.eventsSoFar ?? 0) / (l.ingest?.storeCpuSeconds ?? Number.NaN))
            : done(l.ingest?.storeEventsPerCpuSec),
        ),
      ],
    },
  ];
}

/** Powers of ten spanning [lo, hi], widened to at least one decade. */
export function decades(lo: number, hi: number): { from: number; to: number } {
  const from = Math.floor(Math.log10(lo));
  const to = Math.max(from + 1, Math.ceil(Math.log10(hi)));
  return { from, to };
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const f1 = (n: number) => n.toFixed(1);

function panel(p: PanelSpec, sizes: ReadonlyArray<{ x: number; label: string }>, x0: number, y0: number, w: number, h: number): string {
  const xs = decades(Math.min(...sizes.map((s) => s.x)), Math.max(...sizes.map((s) => s.x)));
  const ys_ = p.series.flatMap((s) => s.points.map((q) => q.y)).concat(p.target ? [p.target.y] : []);
  const ys = decades(Math.min(...ys_), Math.max(...ys_));
  const px = (x: number) => x0 + ((Math.log10(x) - xs.from) / (xs.to - xs.from)) * w;
  const py = (y: number) => y0 + h - ((Math.log10(y) - ys.from) / (ys.to - ys.from)) * h;
  const out: string[] = [`<text x="${x0}" y="${y0 - 10}" font-weight="600">${escapeXml(p.title)} (${escapeXml(p.unit)}, log scale)</text>`];
  for (let d = ys.from; d <= ys.to; d++) {
    const y = f1(py(10 ** d));
    out.push(`<line x1="${x0}" x2="${x0 + w}" y1="${y}" y2="${y}" stroke="#e8eaed"/>`);
    out.push(`<text x="${x0 - 6}" y="${y}" dy="4" text-anchor="end" fill="#5f6368">${fmt(10 ** d)}</text>`);
  }
  for (const s of sizes) {
    const x = f1(px(s.x));
    out.push(`<line x1="${x}" x2="${x}" y1="${y0}" y2="${y0 + h}" stroke="#f1f3f4"/>`);
    out.push(`<text x="${x}" y="${y0 + h + 14}" text-anchor="middle" fill="#5f6368">${escapeXml(s.label)}</text>`);
  }
  if (p.target) {
    const y = f1(py(p.target.y));
    out.push(`<line x1="${x0}" x2="${x0 + w}" y1="${y}" y2="${y}" stroke="#188038" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${x0 + 4}" y="${y}" dy="-4" fill="#188038">${escapeXml(p.target.label)}</text>`);
  }
  p.series.forEach((s, k) => {
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    const measured = pts.filter((q) => !q.atLeast);
    if (measured.length > 1)
      out.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${measured.map((q) => `${f1(px(q.x))},${f1(py(q.y))}`).join(' ')}"/>`);
    for (const q of pts) {
      const [cx, cy] = [f1(px(q.x)), f1(py(q.y))];
      out.push(
        q.atLeast
          ? `<circle cx="${cx}" cy="${cy}" r="4" fill="#fff" stroke="${s.colour}" stroke-width="2"/><text x="${cx}" y="${cy}" dx="-7" dy="4" text-anchor="end" fill="${s.colour}">≥ ${Math.round(q.y).toLocaleString('en-US')}</text>`
          : `<circle cx="${cx}" cy="${cy}" r="3.5" fill="${s.colour}"/>`,
      );
    }
    const ly = y0 + h + 32 + 14 * k;
    out.push(`<line x1="${x0}" x2="${x0 + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.colour}" stroke-width="2"/>`);
    out.push(`<text x="${x0 + 24}" y="${ly}" fill="#3c4043">${escapeXml(s.label)}</text>`);
  });
  return out.join('\n');
}

/** The whole chart: a title, a note on how to read it, and the four panels in a 2 × 2 grid. */
export function scaleChart(lines: readonly ScaleLine[], title: string, note: string): string {
  if (lines.length === 0) throw new Error('scaleChart: no lines to draw');
  // One tick per size, where its last run puts it (as the points are).
  const sizes = [...new Map(lines.map((l) => [sizeLabel(l), { x: eventsOf(l), label: sizeLabel(l) }])).values()];
  const W = 820;
  const pw = 300;
  const ph = 170;
  const left = 70;
  const colGap = 130;
  const top = 100;
  const rowGap = 120;
  const H = top + 2 * ph + rowGap + 90;
  const panels = panelsOf(lines);
  const body = panels.map((p, i) => panel(p, sizes, left + (i % 2) * (pw + colGap), top + Math.floor(i / 2) * (ph + rowGap), pw, ph));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${left}" y="24" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="${left}" y="44" fill="#5f6368">${escapeXml(note)}</text>`,
    `<text x="${left}" y="60" fill="#5f6368">Items × users, 10 events per user on average. Hollow: the size was stopped; what it had cost by then.</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The scale lines of a bench's output (other lines, such as `--retrieval`'s, are skipped). */
export function scaleLinesOf(text: string): ScaleLine[] {
  return text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as ScaleLine & { bench?: string })
    .filter((l) => l.bench === 'scale');
}
