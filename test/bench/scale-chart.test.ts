import { describe, expect, it } from 'vitest';
import { decades, eventsOf, panelsOf, scaleChart, scaleLinesOf, sizeLabel, type ScaleLine } from '../../bench/scale-chart.ts';

/** Issue 13, item 5: the cost curve's chart draws what the bench printed, and a stopped size only as a lower bound. */
const done = (items: number, users: number, cpu: number): ScaleLine => ({
  items,
  users,
  eventsPerUser: 10,
  events: users * 10 - 7,
  ingest: { eventsPerSec: 20_000, storeEventsPerCpuSec: 80_000 },
  training: { seconds: cpu * 5, cpuSeconds: cpu, peakRssMB: 300 },
  serving: { p50Ms: 40, p99Ms: 400, serverCpuMsPerRequest: 7 },
});
const stoppedTraining: ScaleLine = {
  items: 100_000,
  users: 1_000_000,
  eventsPerUser: 10,
  events: 9_999_000,
  partial: true,
  stoppedIn: 'training',
  ingest: { eventsPerSec: 3_000, storeEventsPerCpuSec: 50_000 },
  training: { soFar: { wallSeconds: 4_000, cpuSeconds: 600, peakRssMB: 5_000 } },
};

describe('the scale chart', () => {
  it('puts finished sizes on the line and a stopped one as a hollow lower bound', () => {
    const [time, memory, serving] = panelsOf([done(1000, 10_000, 26), done(10_000, 100_000, 300), stoppedTraining]);
    const cpu = time.series.find((s) => s.label === 'CPU')!;
    expect(cpu.points).toEqual([
      { x: 99_993, y: 26, atLeast: false },
      { x: 999_993, y: 300, atLeast: false },
      { x: 9_999_000, y: 600, atLeast: true },
    ]);
    expect(memory.series[0].points.at(-1)).toEqual({ x: 9_999_000, y: 5_000, atLeast: true });
    // It never served: no serving point for it at all.
    expect(serving.series.every((s) => s.points.length === 2)).toBe(true);
    const svg = scaleChart([done(1000, 10_000, 26), done(10_000, 100_000, 300), stoppedTraining], 'T', 'note');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/fill="#fff" stroke=/g)).toHaveLength(3); // wall, CPU and memory so far
    expect(svg).toContain('≥ 600<');
    expect(svg).toContain('≥ 5,000<');
    expect(svg).toContain('100k × 1M');
  });

  it('places a size stopped while loading at its planned events, with its load speed so far', () => {
    const loading: ScaleLine = {
      items: 100_000,
      users: 1_000_000,
      eventsPerUser: 10,
      events: 2_000_000,
      partial: true,
      stoppedIn: 'loading',
      ingest: { eventsSoFar: 2_000_000, seconds: 1000, storeCpuSeconds: 40 },
    };
    expect(eventsOf(loading)).toBe(10_000_000);
    const [time, , , load] = panelsOf([loading]);
    expect(time.series.every((s) => s.points.length === 0)).toBe(true);
    expect(load.series.map((s) => s.points[0].y)).toEqual([2000, 50_000]);
  });

  it('draws a size run twice once per figure, from the last run that measured it', () => {
    const rerunStoppedLoading: ScaleLine = {
      items: 100_000,
      users: 1_000_000,
      eventsPerUser: 10,
      partial: true,
      stoppedIn: 'loading',
      ingest: { eventsSoFar: 4_000_000, seconds: 4_000, storeCpuSeconds: 100 },
    };
    const [time, , , ingest] = panelsOf([done(1000, 10_000, 26), stoppedTraining, rerunStoppedLoading]);
    // Training: only the first run got there.
    expect(time.series.find((s) => s.label === 'CPU')!.points.map((p) => p.y)).toEqual([26, 600]);
    // Loading: the rerun's speed replaces the first run's.
    for (const s of ingest.series) expect(s.points).toHaveLength(2);
    expect(ingest.series[0].points[1].y).toBe(1_000);
    expect(scaleChart([done(1000, 10_000, 26), stoppedTraining, rerunStoppedLoading], 'T', '').split('>100k × 1M<')).toHaveLength(5); // once in each of the 4 panels
  });

  it('reads only scale lines, labels sizes and spans whole decades', () => {
    const text = `${JSON.stringify({ bench: 'scale-retrieval', rows: [] })}\nnot json\n${JSON.stringify({ bench: 'scale', ...done(1000, 10_000, 1) })}\n`;
    expect(scaleLinesOf(text)).toHaveLength(1);
    expect(sizeLabel({ items: 100_000, users: 1_000_000 })).toBe('100k × 1M');
    expect(sizeLabel({ items: 1500, users: 60 })).toBe('1500 × 60');
    expect(decades(26, 900)).toEqual({ from: 1, to: 3 });
    expect(decades(30, 30)).toEqual({ from: 1, to: 2 });
  });
});
