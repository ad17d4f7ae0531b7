import type { Command } from 'commander';

/** Loaded on demand: the harness is large and only `afin eval` needs it. */
const EVAL_MODULE = '../../eval/command.ts';

export function registerEval(program: Command) {
  program
    .command('eval')
    .description('offline evaluation of the recommenders on a dataset (afin eval --help for the options)')
    .allowUnknownOption(true)
    .helpOption(false)
    .argument('[args...]')
    .action(async (args: string[]) => {
      const mod: { runEval?: (args: string[]) => Promise<number> } = await import(EVAL_MODULE).catch(() => ({}));
      if (!mod.runEval) {
        process.stderr.write('the evaluation harness is not installed in this build\n');
        process.exitCode = 2;
        return;
      }
      process.exitCode = await mod.runEval(args);
    });
}
