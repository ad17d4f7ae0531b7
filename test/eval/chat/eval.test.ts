import { describe, expect, it } from 'vitest';
import { CATALOGS, catalogItems } from '../../../src/eval/chat/catalogs.ts';
import { DIALOGUES, runChatEval, runDialogues, summarize } from '../../../src/eval/chat/run.ts';
import { openChatEvalServer } from '../../../src/server/fresh.ts';

/** The least share of checks each family must pass in each language. */
const CHECK_FLOOR = 0.9;

describe('afin eval chat', () => {
  it('ships at least 60 scripted dialogues, half English and half Spanish, across several catalogues', () => {
    expect(DIALOGUES.length).toBeGreaterThanOrEqual(60);
    const en = DIALOGUES.filter((d) => d.lang === 'en').length;
    const es = DIALOGUES.filter((d) => d.lang === 'es').length;
    expect(Math.abs(en - es)).toBeLessThanOrEqual(2);
    expect(new Set(DIALOGUES.map((d) => d.catalog)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(DIALOGUES.map((d) => d.id)).size).toBe(DIALOGUES.length);
    for (const c of CATALOGS) expect(catalogItems(c).length).toBeGreaterThan(20);
  });

  it('passes at least 95 % of its checks in each language and 90 % of each check family', async () => {
    const s = summarize(await runDialogues(openChatEvalServer, DIALOGUES, (d) => catalogItems(d.catalog)));
    const rate = (t: { pass: number; total: number }) => t.pass / t.total;
    expect(rate(s.checks.en), JSON.stringify(s.failures.slice(0, 5))).toBeGreaterThanOrEqual(0.95);
    expect(rate(s.checks.es), JSON.stringify(s.failures.slice(0, 5))).toBeGreaterThanOrEqual(0.95);
    // Every kind of check the issue names is exercised.
    for (const name of [
      'asks_budget',
      'asks_use',
      'within_budget',
      'in_category',
      'negation',
      'grounded',
      'remembers_preference',
      'language',
      'tone',
      'address',
      'declines_out_of_scope',
      'add_to_cart_event',
      'memory_after_restart',
      'forgets_on_erasure',
      'flagged_for_human',
      'agent_reply',
      'opener_price_drop',
    ]) {
      expect(Object.keys(s.perCheck)).toContain(name);
    }
    // A floor per check family and language, not only on the total: with the budget filter removed,
    // within_budget fell to 28 % while the total stayed above 95 %. The eval is deterministic, so
    // in families of fewer than ten checks the floor means every check passes.
    const below = Object.entries(s.perCheck).flatMap(([name, byLang]) =>
      (['en', 'es'] as const)
        .filter((l) => byLang[l].total > 0 && rate(byLang[l]) < CHECK_FLOOR)
        .map((l) => `${name} (${l}): ${byLang[l].pass}/${byLang[l].total}`),
    );
    expect(below, JSON.stringify(s.failures.slice(0, 5))).toEqual([]);
  }, 60_000);

  it('prints a table and one JSON line, and names a bad option', async () => {
    const chunks: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const errs: string[] = [];
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((c: string) => {
      chunks.push(String(c));
      return true;
    }) as typeof process.stdout.write;
    process.stderr.write = ((c: string) => {
      errs.push(String(c));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await runChatEval(['--dialogue', 'es-hervidor', '--no-intents'], openChatEvalServer)).toBe(0);
      expect(await runChatEval(['--lang', 'fr'], openChatEvalServer)).toBe(2);
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
    }
    const out = chunks.join('');
    expect(out).toMatch(/task success/);
    const json = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(json).toMatchObject({ eval: 'chat', dialogues: 1 });
    expect(errs.join('')).toMatch(/--lang must be en or es/);
  });
});
