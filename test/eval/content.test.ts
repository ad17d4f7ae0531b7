import { describe, expect, it } from 'vitest';
import { collect, figures, makePeople, runContentEval } from '../../src/eval/content.ts';
import { agreement, headlineRow, onboardingRows } from '../../src/eval/content-plans.ts';
import { startContentStandIn } from '../../src/eval/content-standin.ts';
import { openFreshServer } from '../../src/server/fresh.ts';
import { generateCatalog } from '../../src/simulate/index.ts';
import type { ItemInput } from '../../src/domain/schemas.ts';

const items = generateCatalog({ seed: 3, size: 80 }) as ItemInput[];
const titles = items.map((i) => i.title);
const people = makePeople(items, 4, 3, Date.UTC(2026, 0, 15));

describe('afin eval content', () => {
  it('makes the same people for the same seed, in both languages and every tone', () => {
    expect(makePeople(items, 4, 3, Date.UTC(2026, 0, 15))).toEqual(people);
    expect(new Set(people.map((p) => p.lang))).toEqual(new Set(['en', 'es']));
    expect(new Set(makePeople(items, 6, 3, 0).map((p) => p.tone))).toEqual(new Set(['informal', 'technical', 'direct']));
  });

  it('measures the embedded writer as served: every text in its facts and language', async () => {
    const run = await collect(openFreshServer, items, people);
    const f = figures('demo', 'embedded', run, titles);
    expect(f.texts).toBe(run.written.length);
    expect(f.texts + f.notApplicable).toBe(4 * 5 + 4 * 2);
    expect(f.factual).toBe(1);
    expect(f.inLanguage).toBe(1);
    expect(f.rightAddress).toBe(1);
    expect(f.distinctEmails).toBeGreaterThan(0.9);
  }, 60_000);

  it('counts what the stand-in invented and what the checker caught; nothing invented reaches a reader', async () => {
    const standIn = await startContentStandIn({ seed: 3, inventRate: 0.5, decoys: titles.filter((t) => t.includes(' ')) });
    try {
      const run = await collect(openFreshServer, items, people, standIn);
      const f = figures('demo', 'llm', run, titles, standIn.log);
      expect(f.llm!.invented).toBe(standIn.log.filter(Boolean).length);
      expect(f.llm!.invented).toBeGreaterThan(5);
      expect(f.llm!.caught).toBe(f.llm!.invented);
      expect(f.llm!.falseAlarms).toBe(0);
      expect(f.llm!.share).toBeGreaterThan(0.3);
      expect(f.factual).toBe(1);
    } finally {
      await standIn.close();
    }
  }, 60_000);

  it('answers --help and refuses bad options', async () => {
    expect(await runContentEval(['--help'], openFreshServer)).toBe(0);
    expect(await runContentEval(['--people', '0'], openFreshServer)).toBe(2);
    expect(await runContentEval(['--catalogs', 'nope', '--no-llm'], openFreshServer)).toBe(2);
  });

  it('measures front pages and written headlines and ads as served', async () => {
    // Fresh histories: a person's interests fade with time, and the served clock is the real one.
    const h = await headlineRow(openFreshServer, 'demo', items, makePeople(items, 4, 3, Date.now()), titles, 3);
    expect(h.people).toBe(4);
    expect(h.written).toBe(8);
    expect(h.factual).toBe(1);
    expect(h.inLanguage).toBe(1);
    expect(h.rightAddress).toBe(1);
    // The reader's own categories rise to the top of their page.
    expect(h.top5Served).toBeGreaterThan(h.top5Editor);
  }, 60_000);

  it('measures onboarding plans: prerequisites, language, and each order against the hidden best one', async () => {
    expect(agreement(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(1);
    expect(agreement(['c', 'b', 'a'], ['a', 'b', 'c'])).toBe(0);
    expect(agreement(['b', 'a', 'c'], ['a', 'b', 'c'])).toBeCloseTo(2 / 3, 9);
    const rows = await onboardingRows(openFreshServer, 3, 20);
    expect(rows.map((r) => r.role)).toEqual(['marketing (20 past)', 'sales (20 past)', 'it (20 past)', 'growth (3 past)']);
    for (const r of rows) {
      expect(r.prerequisitesKept, r.role).toBe(1);
      expect(r.inLanguage, r.role).toBe(1);
      expect(r.rightAddress, r.role).toBe(1);
      expect(Object.values(r.servedKinds).reduce((s, n) => s + n, 0)).toBe(r.people);
    }
    // The new role learns from the roles like it (its own 3 journeys are too few alone).
    expect(rows[3].learned).not.toBeNull();
  }, 120_000);
});
