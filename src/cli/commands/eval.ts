import type { Command } from 'commander';

/** Loaded on demand: the harness is large and only `afin eval` needs it. */
const EVAL_MODULE = '../../eval/command.ts';

export function registerEval(program: Command) {
  program
    .command('eval')
    .description(
      'offline evaluation: the recommenders on a dataset, `afin eval chat` for the assistant, `afin eval bandit` for the presentation policies, `afin eval content` for generated emails and descriptions, `afin eval predict` for the predictors (--help for the options)',
    )
    .allowUnknownOption(true)
    .helpOption(false)
    .argument('[args...]')
    .action(async (args: string[]) => {
      if (args[0] === 'chat') {
        const { runChatEval } = await import('../../eval/chat/run.ts');
        const { openChatEvalServer } = await import('../../server/fresh.ts');
        process.exitCode = await runChatEval(args.slice(1), openChatEvalServer);
        return;
      }
      if (args[0] === 'predict') {
        const { runPredictEval } = await import('../../eval/predict.ts');
        process.exitCode = await runPredictEval(args.slice(1));
        return;
      }
      if (args[0] === 'content') {
        const { runContentEval } = await import('../../eval/content.ts');
        const { openFreshServer } = await import('../../server/fresh.ts');
        process.exitCode = await runContentEval(args.slice(1), openFreshServer);
        return;
      }
      if (args[0] === 'bandit') {
        const { runBanditEval } = await import('../../present/eval/run.ts');
        process.exitCode = await runBanditEval(args.slice(1));
        return;
      }
      const mod: { runEval?: (args: string[], open: unknown) => Promise<number> } = await import(EVAL_MODULE).catch(() => ({}));
      if (!mod.runEval) {
        process.stderr.write('the evaluation harness is not installed in this build\n');
        process.exitCode = 2;
        return;
      }
      const { openFreshServer } = await import('../../server/fresh.ts');
      process.exitCode = await mod.runEval(args, openFreshServer);
    });
}
