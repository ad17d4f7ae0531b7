import { Command } from 'commander';
import { registerDemo } from './commands/demo.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerEval } from './commands/eval.ts';
import { registerExperiments } from './commands/experiments.ts';
import { registerImport } from './commands/import.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerExport } from './commands/export.ts';
import { registerKeys } from './commands/keys.ts';
import { registerServe } from './commands/serve.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerTrain } from './commands/train.ts';
import { registerWorker } from './commands/worker.ts';

const program = new Command();
program.name('afin').description('Afín — a self-hosted AI personalization engine').version('0.1.0').showHelpAfterError();
registerServe(program);
registerDemo(program);
registerImport(program);
registerExport(program);
registerTrain(program);
registerKeys(program);
registerEval(program);
registerExperiments(program);
registerSimulate(program);
registerWorker(program);
registerIngest(program);
registerDoctor(program);

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`afin: ${err.message}\n`);
  process.exit(1);
});
