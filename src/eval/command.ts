/**
 * `afin eval`: offline evaluation of the recommenders on a public or your own dataset. Prints a
 * table and one JSON line to stdout, progress to stderr. Returns the process exit code.
 */
import { parseArgs } from 'node:util';
import { DATASET_KINDS, DatasetError, loadDataset, type DatasetKind } from './datasets.ts';
import { DEFAULT_MODELS, MODEL_SPECS, SERVED_DEFAULT_SPEC } from './models.ts';
import { STAGE_NAMES } from '../recommend/pipeline/stages.ts';
import { parseSettingsArg, type OpenServer } from './served.ts';
import { formatTable, runEvaluation } from './run.ts';
import { PROTOCOLS, type Protocol } from './splits.ts';
import { runPurchaseEval } from './purchases.ts';

export const EVAL_USAGE = `usage: afin eval --dataset movielens-100k|movielens-1m|csv|jsonl --path FILE [options]

Evaluates recommenders offline. Hyperparameters are chosen on a validation split carved from the
training data (never the test split); each seed is a new split; results are mean ± std over seeds.

options:
  --dataset KIND      movielens-100k (u.data), movielens-1m (ratings.dat), csv, jsonl, or demo:
                      the demo simulator, whose shoppers' budgets and languages are known (no
                      --path; prints the share of top-10 items within budget and in language,
                      model alone against served)
  --path FILE         the data file (csv/jsonl rows: user, item, [value], [timestamp])
  --protocol P        ms      Microsoft Recommenders: per-user random 75/25 split, top-10
                              (MAP, nDCG@10, P@10, R@10)                    [default]
                      strong  held-out users, 80% of their items in, 20% to find
                              (Recall@20, Recall@50, NDCG@100; Liang et al. 2018)
                      loo     leave the last interaction out (HR@10, NDCG@10)
                      last-purchase  leave each person's last purchase out, repeats kept
                              (HR@10 against buy-again and EASE; see --protocol last-purchase --help)
  --seeds N           number of seeds (splits) to average over            [default 3]
  --models LIST       comma-separated, from: ${MODEL_SPECS.map((s) => s.name).join(', ')}
                      [default ${DEFAULT_MODELS.join(',')}; content and hybrid need item texts]
  --min-rating X      keep only interactions with value >= X (default: every row is positive)
  --quick             smaller hyperparameter grids
  --model-only        skip the served run (below)
  --settings JSON     ranking settings for the served runs, as PUT /v1/settings/ranking takes them
                      (e.g. '{"historyHalfLifeDays":90}'); default: the shipped defaults
  --ablate            also serve with each pipeline stage turned off in turn (one row per stage)
  --ablate-stages L   the same for the listed stages only (comma-separated)
  --validation        measure everything on the validation split carved from the training part
                      instead of the test split: for choosing defaults without looking at it
  --model-weights W   how the models alone weigh each row: binary (1, as published)  [default]
                      or events (the weight the server gives that event: a rating's stars
                      as strength, a purchase 5…), to tell the event weights' share of a
                      served/model-alone gap from the pipeline's
  --event-type T      how rows are replayed to the server when the file names no type:
                      auto (rating for 1-5 values, else view), view, purchase, ... [default auto]
  --help              this text

Besides the models alone, every run measures what is served: a fresh server gets the items, the
training rows as events (with their original timestamps) and POST /v1/train, and each test user's
GET /v1/recommendations answer is scored the same way (row "served"). Row "default" is the server's
default model alone, with its shipped settings, on the same split: the gap between the two is what
the serving pipeline adds or loses.

Every metric also comes with catalog coverage and novelty of the top-10 lists.`;

/** `afin eval`: `open` starts each fresh server the served runs measure (the CLI passes an in-process one). */
export async function runEval(args: string[], open: OpenServer): Promise<number> {
  // Purchase logs keep repeats, which the other protocols fold away: their own runner.
  if (args.some((a, k) => a === '--protocol=last-purchase' || (a === '--protocol' && args[k + 1] === 'last-purchase'))) return runPurchaseEval(args, open);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        dataset: { type: 'string' },
        path: { type: 'string' },
        protocol: { type: 'string', default: 'ms' },
        seeds: { type: 'string', default: '3' },
        models: { type: 'string' },
        'min-rating': { type: 'string' },
        quick: { type: 'boolean', default: false },
        'model-only': { type: 'boolean', default: false },
        ablate: { type: 'boolean', default: false },
        'ablate-stages': { type: 'string' },
        settings: { type: 'string' },
        validation: { type: 'boolean', default: false },
        'event-type': { type: 'string', default: 'auto' },
        'model-weights': { type: 'string', default: 'binary' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`afin eval: ${(e as Error).message}\n\n${EVAL_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(EVAL_USAGE + '\n');
    return 0;
  }
  const fail = (msg: string) => {
    process.stderr.write(`afin eval: ${msg}\n(see afin eval --help)\n`);
    return 2;
  };
  const kind = values.dataset as DatasetKind | undefined;
  if (!kind) return fail('--dataset is required');
  if ((kind as string) === 'demo') {
    const seeds = Number(values.seeds);
    const { evaluateDemo, formatDemo } = await import('./demo.ts');
    const log = (line: string) => process.stderr.write(line + '\n');
    const reports = [];
    for (let seed = 1; seed <= (Number.isInteger(seeds) && seeds > 0 ? seeds : 1); seed++) {
      const r = await evaluateDemo({ seed: seed + 6, log, open });
      process.stdout.write(formatDemo(r) + '\n');
      reports.push(r);
    }
    process.stdout.write(JSON.stringify({ eval: { dataset: 'demo', reports } }) + '\n');
    return 0;
  }
  if (!DATASET_KINDS.includes(kind)) return fail(`--dataset must be one of ${DATASET_KINDS.join(', ')}, not ${JSON.stringify(kind)}`);
  if (!values.path) return fail('--path is required (except with --dataset demo)');
  const protocol = values.protocol as Protocol;
  if (!PROTOCOLS.includes(protocol)) return fail(`--protocol must be one of ${PROTOCOLS.join(', ')}, not ${JSON.stringify(protocol)}`);
  const modelWeights = String(values['model-weights']);
  if (modelWeights !== 'binary' && modelWeights !== 'events') return fail(`--model-weights must be binary or events, not ${JSON.stringify(modelWeights)}`);
  const nSeeds = Number(values.seeds);
  if (!Number.isInteger(nSeeds) || nSeeds < 1 || nSeeds > 100) return fail('--seeds must be an integer from 1 to 100');
  const models = values.models
    ? String(values.models)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : DEFAULT_MODELS;
  const known = new Set([...MODEL_SPECS.map((s) => s.name), SERVED_DEFAULT_SPEC.name]);
  const unknown = models.filter((m) => !known.has(m));
  if (unknown.length) return fail(`unknown model(s): ${unknown.join(', ')}; choose from ${[...known].join(', ')}`);
  let minValue: number | undefined;
  if (values['min-rating'] !== undefined) {
    minValue = Number(values['min-rating']);
    if (!Number.isFinite(minValue)) return fail('--min-rating must be a number');
  }

  const log = (line: string) => process.stderr.write(line + '\n');
  let ds: Awaited<ReturnType<typeof loadDataset>>;
  try {
    log(`loading ${kind} from ${values.path} …`);
    ds = await loadDataset(kind, String(values.path));
  } catch (e) {
    if (e instanceof DatasetError) return fail(e.message);
    throw e;
  }
  log(`${ds.userIds.length} users, ${ds.itemIds.length} items, ${ds.users.length} rows${ds.docs ? ', with item texts' : ''}`);
  const started = performance.now();
  let base: Record<string, unknown> | undefined;
  if (values.settings !== undefined) {
    const parsed = parseSettingsArg(String(values.settings));
    if (typeof parsed === 'string') return fail(parsed);
    base = parsed;
  }
  const listed =
    values['ablate-stages'] === undefined
      ? []
      : String(values['ablate-stages'])
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
  const unknownStages = listed.filter((x) => !(STAGE_NAMES as string[]).includes(x));
  if (unknownStages.length) return fail(`unknown stage(s): ${unknownStages.join(', ')}; choose from ${STAGE_NAMES.join(', ')}`);
  const ablated = values.ablate ? STAGE_NAMES : (listed as typeof STAGE_NAMES);
  const served = values['model-only']
    ? undefined
    : [
        { name: 'served', settings: base },
        ...ablated.map((st) => ({ name: `served −${st}`, settings: { ...base, stages: { ...(base?.stages as object), [st]: false } } })),
      ];
  const report = await runEvaluation(
    ds,
    {
      open,
      protocol,
      seeds: Array.from({ length: nSeeds }, (_, i) => i + 1),
      models,
      quick: Boolean(values.quick),
      minValue,
      served,
      eventType: String(values['event-type']),
      servedOnValidation: Boolean(values.validation),
      modelWeights,
    },
    log,
  );
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(formatTable(report) + '\n');
  process.stdout.write(JSON.stringify({ eval: report }) + '\n');
  return 0;
}
