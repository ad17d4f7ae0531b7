import type { Command } from 'commander';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../config.ts';
import { Engine } from '../../server/compose.ts';
import { demoShopperSummary, demoStats, generateDemo } from '../../simulate/index.ts';
import { progressBar } from '../progress.ts';
import { startServer } from './serve.ts';

/** Generates the demo store into an engine's default workspace and trains on it. */
export async function loadDemo(engine: Engine, opts: { seed: number; items: number; shoppers: number; weeks: number; quiet?: boolean }) {
  const demo = generateDemo({ seed: opts.seed, now: engine.clock(), items: opts.items, shoppers: opts.shoppers, weeks: opts.weeks });
  const ws = 'default';
  for (let i = 0; i < demo.catalog.length; i += 1000) await engine.ingest.putItems(ws, demo.catalog.slice(i, i + 1000));
  for (const s of demo.shoppers) await engine.ingest.putUser(ws, s.id, { traits: s.traits });
  const events = [...demo.events].sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
  const bar = opts.quiet ? null : progressBar('loading events');
  for (let i = 0; i < events.length; i += 500) {
    await engine.ingest.postEvents(ws, events.slice(i, i + 500));
    bar?.update((i + 500) / events.length, `${Math.min(i + 500, events.length)} events`);
  }
  bar?.done();
  for (const a of demo.aliases) await engine.ingest.alias(ws, a);
  await engine.store.putDocs(ws, [
    { collection: 'demo', id: 'shoppers', subject: null, createdAt: engine.clock(), body: { shoppers: demo.shoppers.map(demoShopperSummary) } },
  ]);
  const tbar = opts.quiet ? null : progressBar('training');
  await engine.train(ws, { onProgress: (_s, f) => tbar?.update(f) });
  tbar?.done();
  return demoStats(demo);
}

export function registerDemo(program: Command) {
  program
    .command('demo')
    .description('generate a demo store (bilingual catalogue, simulated shoppers), train, serve, and print the URL of a page to explore it')
    .option('--seed <n>', 'generator seed', '7')
    .option('--items <n>', 'catalogue size', '300')
    .option('--shoppers <n>', 'simulated shoppers', '200')
    .option('--weeks <n>', 'weeks of simulated history', '6')
    .option('--no-serve', 'load and train, then exit')
    .action(async (o: { seed: string; items: string; shoppers: string; weeks: string; serve: boolean }) => {
      const base = loadConfig();
      // The demo always runs on its own embedded store, fresh each time, beside any real data.
      const cfg = { ...base, databaseUrl: undefined, dataDir: join(base.dataDir, 'demo') };
      rmSync(cfg.dataDir, { recursive: true, force: true });
      const engine = await Engine.open(cfg);
      const num = (s: string, name: string) => {
        const n = Number(s);
        if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got "${s}"`);
        return n;
      };
      const stats = await loadDemo(engine, {
        seed: num(o.seed, 'seed'),
        items: num(o.items, 'items'),
        shoppers: num(o.shoppers, 'shoppers'),
        weeks: num(o.weeks, 'weeks'),
      });
      process.stdout.write(`Demo store: ${stats.items} items, ${stats.shoppers} shoppers, ${stats.events} events (${stats.purchases} purchases)\n`);
      if (!o.serve) {
        await engine.close();
        return;
      }
      const { url, rootKey } = await startServer(cfg, engine, { demo: true });
      const key = cfg.adminKey ?? rootKey ?? '(the root key printed when this data folder was created)';
      process.stdout.write(
        `\nAfín demo is running.\n  Open:     ${url}/demo#key=${encodeURIComponent(key)}\n  Dashboard: ${url}/dashboard#key=${encodeURIComponent(key)} (the shop's figures, people, experiments, catalogue, models, assistant, keys)\n  Shop:     ${url}/examples/shop#key=${encodeURIComponent(key)}&user=u-001 (the chat widget and the client on a storefront)\n  API docs: ${url}/docs\n  Dev key:  ${key}\n  Try:      curl -H 'Authorization: Bearer ${key}' '${url}/v1/recommendations?userId=u-001&n=5'\n`,
      );
    });
}
