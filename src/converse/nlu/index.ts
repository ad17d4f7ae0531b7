/**
 * Embedded natural-language understanding for the shop assistant, English and Spanish: language detection,
 * intent classification trained at start from the shipped phrases, and slot extraction against the catalog's
 * vocabulary. No downloaded models; everything here is pure and seeded.
 *
 *   const nlu = createNlu(items, { seed: 1 });          // ~0.3 s: trains the intent model, builds the vocabulary
 *   const u = understand(nlu, 'auriculares para correr de menos de 60 €', { previousLanguage: 'es' });
 *   // u.language 'es', u.intent 'recommend', u.slots { productType: 'headphones', use: 'running', budget: { max: 60 } … }
 */
import { classifyIntent, trainIntentModel, type Intent, type IntentModel, type IntentResult, type IntentTrainOptions } from './intents.ts';
import { chooseLanguage, detectLanguage } from '../../text/language.ts';
import { extractSlots, type Slots } from './slots.ts';
import type { Lang } from '../../text/text.ts';
import { buildVocabulary, type Vocabulary, type VocabularyItem } from './vocabulary.ts';

export * from '../../text/text.ts';
export { detectLanguage, chooseLanguage, type LanguageGuess } from '../../text/language.ts';
export {
  INTENTS,
  INTENT_DESCRIPTIONS,
  PHRASES,
  intentExamples,
  trainIntentModel,
  classifyIntent,
  DEFAULT_INTENT_THRESHOLD,
  DEFAULT_OOS_PENALTY,
  type Intent,
  type IntentModel,
  type IntentResult,
  type IntentTrainOptions,
  type PhraseSet,
} from './intents.ts';
export {
  trainTextClassifier,
  predict,
  featurize,
  type TextClassifier,
  type Example,
  type Prediction,
  type TrainOptions,
  type Algorithm,
} from './classifier.ts';
export { extractSlots, type Slots, type Budget, type Excluded, type Mention, type ToneRequest, type Changeable, type Currency } from './slots.ts';
export { buildVocabulary, type Vocabulary, type VocabularyItem, type Entity, type EntityKind } from './vocabulary.ts';
export { evaluateIntents, stratifiedSplit, score, type IntentEvaluation, type Scores } from './evaluate.ts';
export { parseNumber, parseDigits, parseNumberWords } from './numbers.ts';

export interface Nlu {
  model: IntentModel;
  vocabulary: Vocabulary;
}

/** Trains the intent model and builds the slot vocabulary for a catalog. */
export function createNlu(items: readonly VocabularyItem[], options: IntentTrainOptions & { seed?: number } = {}): Nlu {
  return { model: trainIntentModel(options.seed ?? 1, options), vocabulary: buildVocabulary(items) };
}

export interface Understanding {
  text: string;
  /** The language to answer in (sticky: short or ambiguous messages keep the conversation's language). */
  language: Lang;
  /** What the detector alone thought, and how sure it was. */
  detected: { language: Lang; confidence: number };
  intent: Intent;
  confidence: number;
  ranking: IntentResult['ranking'];
  /**
   * True when the classifier was unsure (out_of_scope by threshold) but the message names things a shopper
   * asks for ("Sony, under 50"): the intent is then the better ranked of recommend and refine.
   */
  fromSlots: boolean;
  slots: Slots;
}

function shoppable(s: Slots): boolean {
  return Boolean(
    s.productType ||
      s.category ||
      s.budget ||
      s.brand ||
      s.colour ||
      s.use ||
      s.size ||
      s.style ||
      s.comparative ||
      s.change ||
      s.tags?.length ||
      s.excluded.brands.length ||
      s.excluded.colours.length ||
      s.excluded.categories.length ||
      s.excluded.tags.length,
  );
}

/** Language, intent and slots of one message. */
export function understand(nlu: Nlu, text: string, options: { previousLanguage?: Lang; minLanguageConfidence?: number } = {}): Understanding {
  const guess = detectLanguage(text);
  const language = chooseLanguage(guess, options.previousLanguage, options.minLanguageConfidence);
  const result = classifyIntent(nlu.model, text, language);
  const slots = extractSlots(text, language, nlu.vocabulary);
  let { intent, confidence } = result;
  let fromSlots = false;
  if (intent === 'out_of_scope' && result.ranking[0].intent !== 'out_of_scope' && shoppable(slots)) {
    const pick = result.ranking.find((r) => r.intent === 'recommend' || r.intent === 'refine')!;
    intent = pick.intent;
    confidence = pick.p;
    fromSlots = true;
  }
  return {
    text,
    language,
    detected: { language: guess.language, confidence: guess.confidence },
    intent,
    confidence,
    ranking: result.ranking,
    fromSlots,
    slots,
  };
}
