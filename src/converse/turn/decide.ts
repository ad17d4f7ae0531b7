/**
 * Decide and act: whether the message answers the question pending, which action the intent calls
 * for, and the action's outcome. Each action lives in actions/.
 */
import { addToCart, compare, detail } from '../actions/items.ts';
import { greet } from '../actions/greet.ts';
import { orderStatus } from '../actions/order.ts';
import { preference } from '../actions/preference.ts';
import { forget, whatIKnow } from '../actions/privacy.ts';
import { recommendFlow } from '../actions/recommend.ts';
import { refine } from '../actions/refine.ts';
import { changeStyle } from '../actions/style.ts';
import { mergeWanted } from '../catalog-search.ts';
import { faqAnswer } from '../faq.ts';
import { say } from '../templates.ts';
import { filled, SKIP } from './form.ts';
import { STRONG } from './intent.ts';
import { rememberTaste, withMemory } from './memory.ts';
import type { Deps, Outcome, Turn } from './types.ts';

/** Intents that still act when the person also asked to switch language. */
const ACTS_WITH_SWITCH = ['recommend', 'refine', 'item_question', 'compare', 'add_to_cart', 'order_status', 'shipping', 'return_policy'];

export async function respond(d: Deps, t: Turn): Promise<Outcome> {
  const { session: s, u } = t;
  // Colours ruled out in this request are a taste given (a dislike from before still leaves the question).
  const ruledOutColours = u.slots.excluded.colours.length > 0;
  const pending = s.requested;
  // An answer the assistant cannot map ("para desayunar" where the catalogue has no such use) still
  // answers the question: the slot counts as skipped, and the same question is not asked again.
  const unclear =
    !u.slots.productType &&
    !u.slots.category &&
    (['recommend', 'refine', 'affirm', 'deny', 'preference'].includes(t.intent) || (t.intent === 'out_of_scope' && u.confidence < 0.8));
  const answersQuestion = pending !== null && !STRONG.has(t.intent) && (filled(u, pending) || SKIP.test(u.text) || unclear);
  if (t.intent !== 'out_of_scope' || answersQuestion) s.misunderstood = 0;
  if (ruledOutColours && t.intent !== 'recommend') s.tasteSaid = true;
  if (answersQuestion) {
    // "I hate red" in answer to the colour question is a taste to remember, not only this request's.
    if (t.intent === 'preference') rememberTaste(t);
    if (!filled(u, pending)) s.skipped.push(pending);
    s.wanted = mergeWanted(s.wanted, u.slots);
    return recommendFlow(d, t);
  }
  s.requested = null;
  if (t.switchedLanguage && !ACTS_WITH_SWITCH.includes(t.intent)) {
    return { reply: say('language_switched', t.style, {}, t.seed), quick: ['recommend', 'order_status', 'shipping'] };
  }
  switch (t.intent) {
    case 'greet':
      return t.isNew || s.turns.length <= 1 ? greet(d, t) : { reply: say('greet_new', t.style, {}, t.seed), quick: ['recommend', 'order_status', 'shipping'] };
    case 'recommend':
      s.asked = [];
      s.skipped = [];
      s.rejected = [];
      s.tasteSaid = ruledOutColours;
      s.wanted = mergeWanted(
        withMemory(t, { ...s.wanted, below: undefined, above: undefined }, u),
        t.grounded.newAsk ? { ...u.slots, productType: u.slots.productType ?? s.wanted.productType } : u.slots,
      );
      return recommendFlow(d, t);
    case 'refine':
      return refine(d, t);
    case 'compare':
      // "the second one" alone points at one item: it asks about it, it does not compare.
      return u.slots.ordinals?.length === 1 ? detail(d, t) : compare(d, t);
    case 'item_question':
      return detail(d, t);
    case 'add_to_cart':
      return addToCart(d, t);
    case 'order_status':
      return orderStatus(d, t);
    case 'return_policy':
    case 'shipping':
      return { reply: say('faq', t.style, { answer: await faqAnswer(d.store, t.ws, t.intent, t.style) }), quick: ['order_status', 'recommend'] };
    case 'preference':
      return preference(d, t);
    case 'tone_request':
      return changeStyle(d, t, pending);
    case 'human':
      s.flagged = { at: d.clock(), reason: 'asked_for_person' };
      return { reply: say('human', t.style, {}, t.seed), suggestions: [] };
    case 'privacy_forget':
      if (!t.proven) return { reply: say('privacy_change_elsewhere', t.style, {}, t.seed), quick: ['recommend', 'order_status'] };
      return forget(d, t);
    case 'privacy_what_you_know':
      if (!t.proven) return { reply: say('privacy_read_elsewhere', t.style, {}, t.seed), quick: ['recommend', 'order_status'] };
      return whatIKnow(d, t);
    case 'help':
      return { reply: say('help', t.style, {}, t.seed), quick: ['recommend', 'order_status', 'shipping', 'return_policy'] };
    case 'thanks':
      return { reply: say('thanks', t.style, {}, t.seed), quick: ['recommend', 'bye'] };
    case 'bye':
      return { reply: say('bye', t.style, {}, t.seed), suggestions: [] };
    case 'affirm':
      if (s.shown.length > 0) return addToCart(d, t);
      return recommendFlow(d, t);
    case 'deny':
      return { reply: say('ask_product', t.style, {}, t.seed), quick: ['recommend', 'order_status'] };
    default: {
      s.misunderstood++;
      if (s.misunderstood >= 2) {
        s.flagged = { at: d.clock(), reason: 'not_understood' };
        return { reply: say('fallback_handoff', t.style, {}, t.seed), suggestions: [] };
      }
      return { reply: say('fallback', t.style, {}, t.seed), quick: ['recommend', 'order_status', 'human'] };
    }
  }
}
