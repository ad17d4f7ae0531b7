/**
 * The scripted dialogues of `afin eval chat`: what a person says, turn by turn, and what a good shop
 * assistant must do in reply. Expectations name the person's constraints in their own terms (a kind of
 * product, a price ceiling, a colour they ruled out); the runner checks the replies against the catalogue
 * itself, never against what the assistant says it understood.
 */
import type { Lang } from '../../text/text.ts';
import type { Address, Tone } from '../../converse/templates.ts';
import type { ItemInput } from '../../domain/schemas.ts';

/** An item of an evaluation catalogue: an ordinary item whose title, price, categories and attributes are always set. */
export type EvalItem = ItemInput & { title: string; price: number; categories: string[]; attributes: Record<string, unknown> };

/** A catalogue the dialogue runs on (see catalogs.ts). */
export type CatalogName = 'electronics' | 'sport' | 'fashion' | 'home' | 'kitchen' | UnseenCatalog;

/**
 * Catalogues the assistant was not written against (issue 10): the real IKEA and Amazon catalogues read
 * from the shared data folder, and a shop made by another generator (other-shop.ts).
 */
export type UnseenCatalog = 'ikea' | 'amazon' | 'othershop';

/** An item of the catalogue, picked by what it is rather than by id: the `nth` available item of `kind`, by id order. */
export interface ItemRef {
  kind: string;
  nth?: number;
  colour?: string;
}

/** What the items of a list must satisfy: the hard constraints the person stated. */
export interface ShowExpect {
  kind?: string;
  min?: number;
  max?: number;
  notColours?: string[];
  notBrands?: string[];
  /** How many items the list must have when the catalogue holds enough (default 3). */
  count?: number;
  /**
   * The product type as the person means it, read from the item's own title (folded, case-insensitive
   * regular expression): for catalogues whose categories mix products and their parts.
   */
  title?: string;
  /** Titles that are not what was asked for (accessories, parts, other products sharing the noun). */
  notTitle?: string;
  /** A category path the items must (or must not) have, as a regular expression. */
  category?: string;
  notCategory?: string;
  /** Numeric attributes the person stated a bound on ("at least 150 cm wide", "under 2 kg"). */
  attrs?: Record<string, { min?: number; max?: number }>;
  /** Items whose tags include this (the use the person asked for), when the catalogue has enough. */
  tag?: string;
}

export interface Expect {
  /** The reply is one clarifying question about this slot, with quick replies, and shows nothing. */
  asks?: 'budget' | 'use' | 'product' | 'colour' | 'any';
  /** The reply recommends items that satisfy these constraints (and as many as the catalogue allows, up to 3). */
  show?: ShowExpect;
  /** With `show`: every item is cheaper than the cheapest item of the previous list. */
  cheaper?: boolean;
  /** With `show`: every item is dearer than the dearest item of the previous list. */
  pricier?: boolean;
  /** The reply is about the nth item (1-based) of the last list. */
  ordinal?: number;
  /** The reply compares these items (1-based) of the last list. */
  compare?: [number, number];
  /** An add_to_cart event was recorded for this item (1-based) of the last list. */
  cart?: number;
  /** With `show`: the exclusions come from an earlier session (reported as remembers_preference). */
  remembered?: boolean;
  /** The reply refers back to the last conversation: it mentions one of these words. */
  recalls?: string[];
  /** The reply must not refer back to a forgotten conversation: none of these words. */
  forgot?: string[];
  language?: Lang;
  tone?: Tone;
  address?: Address;
  /** Out of scope: a polite fallback with no item and no price. */
  declines?: boolean;
  flagged?: boolean;
  /** A human agent's message that must reach the person with this reply. */
  agent?: string;
  /** The reply gives the shop's answer on this topic. */
  faq?: 'shipping' | 'return_policy' | 'order_status';
  /** The reply cites the person's last purchase. */
  order?: boolean;
  intent?: string;
  /** The message starts a new request (another product): the count of questions before recommending starts again. */
  newRequest?: boolean;
  /** Words the reply must contain (case and accents ignored). */
  says?: string[];
  /** The reply must not be a question: the person said enough, or three or fewer items fit. */
  noQuestion?: boolean;
  /** The reply answers with this attribute of the nth (1-based) item of the last list. */
  attribute?: { ordinal: number; name: string };
  /** The reply says plainly that it does not know (the items carry no such attribute). */
  dontKnow?: boolean;
  /** The message must not be read as one of these intents ("three seats" is no goodbye). */
  notIntent?: string[];
}

export type Step =
  /**
   * A message and what its reply must do. With `orAnswer`, a clarifying question in reply is answered
   * with that message (at most twice) and the expectations apply to the first reply that is not a question:
   * for catalogues whose facets the script cannot know in advance.
   */
  | { user: string; expect?: Expect; orAnswer?: string }
  /** The next message starts a new session (a day later). */
  | { session: 'new'; afterDays?: number }
  /** The server restarts on the same data. */
  | { restart: true }
  /** A human agent replies in the current session. */
  | { agent: string }
  | { consent: Partial<Record<'chatMemory' | 'personalization' | 'profiling', boolean>> }
  /** DELETE /v1/users/:id */
  | { erase: true }
  /** The person's earlier activity, minutes ago. */
  | { events: Array<{ type: 'view' | 'add_to_cart' | 'purchase' | 'like'; item: ItemRef; minutesAgo?: number }> }
  /** The shop changes an item: a new price (as a factor of the old one) or its stock. */
  | { itemChange: { item: ItemRef; priceFactor?: number; available?: boolean } }
  | { wait: { minutes: number } }
  /** GET /v1/chat/opener: the conversation starts from a signal about this item. */
  | { opener: { kind: 'abandoned_cart' | 'price_drop' | 'back_in_stock' | null; item?: ItemRef } }
  /** PUT /v1/chat/faq: the shop's own answer. */
  | { faq: Partial<Record<'shipping' | 'return_policy' | 'order_status', { en?: string; es?: string }>> };

export interface Dialogue {
  id: string;
  lang: Lang;
  catalog: CatalogName;
  /** What the dialogue is about, in a few words. */
  title: string;
  traits?: Record<string, unknown>;
  /** Written after the assistant was tuned on the others and kept as first written: a check on overfitting. */
  fresh?: boolean;
  /** Written before any tuning for an unseen catalogue and never changed since (issue 10). */
  frozen?: boolean;
  steps: Step[];
}
