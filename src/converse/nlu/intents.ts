/**
 * The intents the shop assistant understands, their shipped training phrases, and the intent model: a
 * classifier (see classifier.ts) trained at start on the phrases of both languages, with an out_of_scope
 * answer when it is not sure.
 */
import { predict, trainTextClassifier, type Example, type TextClassifier, type TrainOptions } from './classifier.ts';
import { PHRASES_EN } from '../../text/phrases-en.ts';
import { PHRASES_ES } from '../../text/phrases-es.ts';
import type { Lang } from '../../text/text.ts';

/** The intents the shop assistant understands. */
export const INTENTS = [
  'greet',
  'recommend',
  'refine',
  'compare',
  'item_question',
  'add_to_cart',
  'order_status',
  'return_policy',
  'shipping',
  'preference',
  'tone_request',
  'human',
  'privacy_forget',
  'privacy_what_you_know',
  'help',
  'affirm',
  'deny',
  'thanks',
  'bye',
  'out_of_scope',
] as const;

export type Intent = (typeof INTENTS)[number];

/** Training phrases for one language: at least a few dozen per intent. */
export type PhraseSet = Readonly<Record<Intent, readonly string[]>>;

export const INTENT_DESCRIPTIONS: Readonly<Record<Intent, string>> = {
  greet: 'a greeting',
  recommend: 'looking for something, asking for suggestions',
  refine: 'change the current suggestions: cheaper, pricier, another colour, brand or size',
  compare: 'compare two or more items',
  item_question: 'a question about one item: a detail, a feature, stock, size',
  add_to_cart: 'put an item in the cart, buy it',
  order_status: 'where is my order',
  return_policy: 'returns, refunds, exchanges, warranty',
  shipping: 'delivery times, costs and destinations',
  preference: 'a statement of taste: likes, dislikes, what the person prefers',
  tone_request: 'how the assistant should talk: brief, detailed, informal, formal, technical',
  human: 'talk to a person',
  privacy_forget: 'erase my data, stop personalizing',
  privacy_what_you_know: 'what do you know about me, why you suggest this',
  help: 'what can the assistant do',
  affirm: 'yes',
  deny: 'no',
  thanks: 'thanks',
  bye: 'goodbye',
  out_of_scope: 'anything the shop assistant does not handle',
};

export const PHRASES: Readonly<Record<Lang, PhraseSet>> = { en: PHRASES_EN, es: PHRASES_ES };

/** Every shipped training phrase as a labelled example, in a fixed order. */
export function intentExamples(): Example[] {
  const out: Example[] = [];
  for (const lang of ['en', 'es'] as const) {
    for (const intent of INTENTS) for (const text of PHRASES[lang][intent]) out.push({ text, lang, label: intent });
  }
  return out;
}

export interface IntentModel {
  classifier: TextClassifier;
  /** Below this probability for the best in-scope intent, the answer is out_of_scope. */
  threshold: number;
  /**
   * Log-odds taken off the explicit out_of_scope class before the threshold: its training phrases are a
   * grab-bag, so unseen wording in an in-scope message otherwise drifts there too often.
   */
  oosPenalty: number;
}

export interface IntentResult {
  intent: Intent;
  confidence: number;
  /** Every intent with its probability, best first (the classifier's raw view, before the threshold). */
  ranking: Array<{ intent: Intent; p: number }>;
}

export const DEFAULT_INTENT_THRESHOLD = 0.3;
export const DEFAULT_OOS_PENALTY = 0.5;

export interface IntentTrainOptions extends TrainOptions {
  threshold?: number;
  oosPenalty?: number;
  /** Train on these examples instead of all shipped phrases (held-out evaluation). */
  examples?: readonly Example[];
}

/** Trains the intent model on the shipped phrases of both languages. Deterministic for a seed; well under a second. */
export function trainIntentModel(seed = 1, options: IntentTrainOptions = {}): IntentModel {
  const classifier = trainTextClassifier(options.examples ?? intentExamples(), { ...options, seed });
  return { classifier, threshold: options.threshold ?? DEFAULT_INTENT_THRESHOLD, oosPenalty: options.oosPenalty ?? DEFAULT_OOS_PENALTY };
}

/** Classifies one message; out_of_scope when the best intent is not probable enough. */
export function classifyIntent(model: IntentModel, text: string, lang: Lang): IntentResult {
  const p = predict(model.classifier, text, lang);
  const damp = Math.exp(-model.oosPenalty);
  let z = 0;
  for (const r of p.ranking) z += r.label === 'out_of_scope' ? r.p * damp : r.p;
  const ranking = p.ranking
    .map((r) => ({ intent: r.label as Intent, p: (r.label === 'out_of_scope' ? r.p * damp : r.p) / z }))
    .sort((a, b) => b.p - a.p || (a.intent < b.intent ? -1 : 1));
  const top = ranking[0];
  if (!text.trim() || top.intent === 'out_of_scope' || top.p < model.threshold) {
    const oos = ranking.find((r) => r.intent === 'out_of_scope')?.p ?? 0;
    return { intent: 'out_of_scope', confidence: top.intent === 'out_of_scope' ? top.p : Math.max(oos, 1 - top.p), ranking };
  }
  return { intent: top.intent, confidence: top.p, ranking };
}
