import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { Engine } from '../../server/compose.ts';
import { MODELS } from '../../recommend/registry.ts';
import { progressBar } from '../progress.ts';
import { newDataFolderWarning } from './doctor.ts';

export function registerTrain(program: Command) {
  program
    .command('train')
    .description('train models on every stored event and store them (running servers pick them up)')
    .option('-w, --workspace <id>', 'workspace', 'default')
    .option('-m, --model <name>', `one model only (${Object.keys(MODELS).join(', ')})`)
    .action(async (opts: { workspace: string; model?: string }) => {
      if (opts.model && !MODELS[opts.model]) {
        process.stderr.write(`unknown model "${opts.model}"; known: ${Object.keys(MODELS).join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      const cfg = loadConfig();
      const fresh = newDataFolderWarning(cfg);
      if (fresh) process.stderr.write(fresh);
      const engine = await Engine.open(cfg);
      // Training on nothing would store empty models and say "0 users × 0 items" as if it had worked.
      if ((await engine.store.countEvents(opts.workspace)) === 0) {
        process.stderr.write(
          `afin train: no events in workspace "${opts.workspace}" (${cfg.databaseUrl ? 'PostgreSQL' : cfg.dataDir}): nothing to learn from. Send events (POST /v1/events) or import them (\`afin import events FILE\`), then train.\n`,
        );
        process.exitCode = 1;
        await engine.close();
        return;
      }
      let stage = '';
      let bar = progressBar('starting');
      const infos = await engine.train(opts.workspace, {
        models: opts.model ? [opts.model] : undefined,
        onProgress: (s, f) => {
          if (s !== stage) {
            if (stage) bar.done();
            stage = s;
            bar = progressBar(s);
          }
          bar.update(f);
        },
      });
      bar.done();
      for (const i of infos) process.stdout.write(`${i.name}: ${i.users} users × ${i.items} items, ${i.interactions} interactions, ${i.seconds}s\n`);
      await engine.close();
    });
}
