/**
 * Deciding what a message asks for: the classifier's intent reconciled with the slots, the product
 * grounded in the catalogue and where the conversation stands.
 */
import { attributeAsked } from '../actions/attribute.ts';
import type { Grounded } from '../grounding/merge.ts';
import type { Intent, Understanding } from '../nlu/index.ts';
import { fold } from '../../text/text.ts';
import type { ChatSession } from '../session.ts';

/** Intents that say what the person wants whatever else the message holds. */
export const STRONG = new Set<Intent>(['human', 'privacy_forget', 'privacy_what_you_know', 'tone_request', 'order_status', 'return_policy', 'shipping']);
/** Words of buying, on folded text (no accents). */
const CART_WORDS =
  /\b(cart|basket|bag|buy|buying|take|get|order|purchase|add|checkout|carrito|cesta|bolsa|compr\w*|anad\w*|agreg\w*|pid\w*|ped\w*|qued\w*|llev\w*)\b/i;
const WEAK = new Set<Intent>(['greet', 'thanks', 'bye', 'affirm', 'deny', 'out_of_scope', 'help']);
/** Words that ask for a person, on folded text. */
const HUMAN_WORDS = /\b(human|agent|real person|a person|someone|somebody|representative|operator|humano|agente|una persona|alguien|operador|persona real)\b/;

/**
 * The classifier's intent reconciled with what the message names and where the conversation is:
 * "Good afternoon, I'd like a jacket" is a request, "not Lúa" narrows the list, "the third one"
 * points at an item, whatever the classifier's first guess.
 */
export function effectiveIntent(u: Understanding, s: ChatSession, g?: Grounded): Intent {
  const sl = u.slots;
  const intent = u.intent;
  const pointsAtShown = Boolean(sl.ordinals?.length) && s.shown.length > 0;
  if (g) {
    const folded = fold(u.text);
    const measures = Object.keys(g.measures).length > 0;
    // "something for 3 people" asks for seating, not for a person; "three seats" is no goodbye.
    if (intent === 'human' && !HUMAN_WORDS.test(folded) && (g.ask || measures)) return 'recommend';
    if (s.shown.length && attributeAsked(u.text) && !g.newAsk && !STRONG.has(intent)) return 'item_question';
    if (g.ask && g.newAsk && !sl.comparative && !pointsAtShown && (WEAK.has(intent) || ['refine', 'preference'].includes(intent))) return 'recommend';
    if (measures && !g.ask && (WEAK.has(intent) || intent === 'human')) return s.shown.length ? 'refine' : 'recommend';
  }
  if (pointsAtShown && !['add_to_cart', 'compare', 'item_question', 'refine'].includes(intent) && !(STRONG.has(intent) && intent !== 'tone_request')) {
    return (sl.ordinals?.length ?? 0) >= 2 ? 'compare' : 'item_question';
  }
  if (STRONG.has(intent)) return intent;
  if (intent === 'compare' && sl.ordinals?.length === 1) return 'item_question';
  // "The second one" on its own points at an item; only words of buying put it in the cart.
  if (intent === 'add_to_cart' && !CART_WORDS.test(fold(u.text))) return s.shown.length ? 'item_question' : intent;
  const product = sl.productType ?? sl.category;
  const current = s.wanted.productType ?? s.wanted.category;
  const excludes = Object.values(sl.excluded).some((l) => l.length > 0);
  // A product named with a taste or a budget ("a yoga mat, no pink, under 40") is a request.
  const request = intent === 'preference' && (Boolean(sl.budget || sl.use) || product !== current);
  if (product && (WEAK.has(intent) || request || (intent === 'refine' && product !== current && !sl.comparative && !sl.change?.length))) return 'recommend';
  if (excludes && (WEAK.has(intent) || intent === 'refine') && !sl.comparative) return 'preference';
  const shopping = Boolean(sl.budget || sl.use || sl.colour || sl.brand || sl.tags?.length || sl.comparative || sl.change?.length);
  if (shopping && (current || s.shown.length) && WEAK.has(intent) && !(s.requested && intent === 'deny')) return s.shown.length ? 'refine' : 'recommend';
  return intent;
}
