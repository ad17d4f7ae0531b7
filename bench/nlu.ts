/**
 * NLU benchmark: `node bin/run-ts.mjs bench/nlu.ts [--seeds 5] [--data ../shared/data] [--no-public]`.
 * Progress on stderr, one JSON line of figures on stdout:
 *
 * - `trainMs`: training the intent model on all shipped phrases, the first time in this process (cold) and
 *   the median of three more runs (warm). The budget is one second.
 * - `heldOut`: accuracy and macro-F1 per language on a stratified 25 % held-out split of the shipped phrases,
 *   the mean over `--seeds` splits, for the logistic regression (the default) and for naive Bayes on the same
 *   features (the comparison that picked the default).
 * - `slots`: extraction time per message over all shipped phrases.
 * - `public` (when the staged datasets are found; never copied into the project): the same classifier
 *   trained on SNIPS 2017 (English, 7 intents, train → validate) and on Facebook's multilingual task-oriented
 *   dialogue set (Spanish, 12 intents, train → test), plus language detection accuracy on their test texts.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateIntents, score } from '../src/converse/nlu/evaluate.ts';
import { predict, trainTextClassifier, type Example } from '../src/converse/nlu/classifier.ts';
import { intentExamples, trainIntentModel } from '../src/converse/nlu/intents.ts';
import { detectLanguage } from '../src/text/language.ts';
import { extractSlots } from '../src/converse/nlu/slots.ts';
import { buildVocabulary } from '../src/converse/nlu/vocabulary.ts';

function argOf(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const seeds = Number(argOf('--seeds') ?? 5);
// `../shared/data` next to the project root (the project never copies it).
const dataDir = argOf('--data') ?? process.env.AFIN_SHARED_DATA ?? fileURLToPath(new URL('../../shared/data', import.meta.url));
const withPublic = !process.argv.includes('--no-public');
const log = (msg: string) => process.stderr.write(`[nlu] ${msg}\n`);
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Training time: cold first, then warm.
let t0 = performance.now();
trainIntentModel(1);
const coldMs = performance.now() - t0;
const warm: number[] = [];
for (let i = 0; i < 3; i++) {
  t0 = performance.now();
  trainIntentModel(2 + i);
  warm.push(performance.now() - t0);
}
log(`training: cold ${coldMs.toFixed(0)} ms, warm ${median(warm).toFixed(0)} ms`);

function heldOut(algorithm: 'logreg' | 'naive-bayes') {
  const runs = Array.from({ length: seeds }, (_, i) => evaluateIntents(i + 1, 0.25, { algorithm }));
  const mean = (f: (r: (typeof runs)[number]) => number) => round(runs.reduce((a, r) => a + f(r), 0) / runs.length);
  return {
    en: { accuracy: mean((r) => r.en.accuracy), macroF1: mean((r) => r.en.macroF1), n: runs[0].en.n },
    es: { accuracy: mean((r) => r.es.accuracy), macroF1: mean((r) => r.es.macroF1), n: runs[0].es.n },
  };
}
const logreg = heldOut('logreg');
log(`held-out logreg: en ${logreg.en.accuracy} / es ${logreg.es.accuracy}`);
const nb = heldOut('naive-bayes');
log(`held-out naive Bayes: en ${nb.en.accuracy} / es ${nb.es.accuracy}`);

// Slot extraction speed.
const vocab = buildVocabulary([
  { categories: ['Headphones'], tags: ['wireless'], attributes: { brand: 'Sony', colour: 'black' } },
  { categories: ['Running shoes'], tags: ['running'], attributes: { brand: 'Nike', colour: 'red' } },
]);
const examples = intentExamples();
t0 = performance.now();
for (let r = 0; r < 3; r++) for (const e of examples) extractSlots(e.text, e.lang, vocab);
const slotMs = (performance.now() - t0) / (3 * examples.length);
log(`slots: ${slotMs.toFixed(3)} ms per message`);

// Public intent sets, read only here.
function snips(dir: string): { train: Example[]; test: Example[] } | null {
  if (!existsSync(dir)) return null;
  const read = (file: string): Example[] => {
    const json = JSON.parse(readFileSync(join(dir, file)).toString('utf8')) as Record<string, Array<{ data: Array<{ text: string }> }>>;
    return Object.entries(json).flatMap(([label, rows]) => rows.map((r) => ({ text: r.data.map((d) => d.text).join(''), lang: 'en' as const, label })));
  };
  const files = readdirSync(dir).sort();
  return {
    train: files.filter((f) => f.startsWith('train_') && f.endsWith('_full.json')).flatMap(read),
    test: files.filter((f) => f.startsWith('validate_')).flatMap(read),
  };
}
function fbEs(dir: string): { train: Example[]; test: Example[] } | null {
  if (!existsSync(dir)) return null;
  const read = (file: string): Example[] =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => l.split('\t'))
      .map((c) => ({ text: c[2], lang: 'es' as const, label: c[0] }));
  return { train: read('train-es.tsv'), test: read('test-es.tsv') };
}
function publicFigures(name: string, data: { train: Example[]; test: Example[] } | null, lang: 'en' | 'es') {
  if (!data) {
    log(`${name}: not found, skipped`);
    return null;
  }
  const s = performance.now();
  const model = trainTextClassifier(data.train, { seed: 1 });
  const trainMs = performance.now() - s;
  const predicted = data.test.map((e) => predict(model, e.text, e.lang).label);
  const sc = score(
    data.test.map((e) => e.label),
    predicted,
  );
  const langAcc = data.test.filter((e) => detectLanguage(e.text).language === lang).length / data.test.length;
  log(`${name}: accuracy ${sc.accuracy.toFixed(4)}, macro-F1 ${sc.macroF1.toFixed(4)}, language ${langAcc.toFixed(4)}`);
  return {
    train: data.train.length,
    test: data.test.length,
    labels: new Set(data.train.map((e) => e.label)).size,
    accuracy: round(sc.accuracy),
    macroF1: round(sc.macroF1),
    trainMs: Math.round(trainMs),
    languageAccuracy: round(langAcc),
  };
}
const pub = withPublic
  ? {
      snipsEn: publicFigures('snips', snips(join(dataDir, 'snips-nlu-benchmark-2017')), 'en'),
      fbEs: publicFigures('fb-es', fbEs(join(dataDir, 'intents-es-fb-mtod')), 'es'),
    }
  : null;

console.log(
  JSON.stringify({
    bench: 'nlu',
    trainMs: { cold: Math.round(coldMs), warm: Math.round(median(warm)), examples: examples.length },
    heldOut: { testFraction: 0.25, seeds, logreg, naiveBayes: nb, chosen: 'logreg' },
    slots: { msPerMessage: round(slotMs, 3) },
    public: pub,
  }),
);
