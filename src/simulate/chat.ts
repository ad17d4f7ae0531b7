/**
 * A simulated shopper asks the shop assistant (`POST /v1/chat`) for what they came for, as a person
 * types it: one of their current favourite product types in their own language, and, when they care
 * to say so, their budget for it, what it is for and a colour they like. A question from the
 * assistant is answered with "doesn't matter" (what they cared to say, they said), up to
 * {@link CHAT_TURNS} messages. The items of the answer are the page the assistant served.
 */
import type { CatalogItem } from './catalog.ts';
import { productType } from './catalog.ts';
import type { SimShopper } from './population.ts';
import type { Random } from './random.ts';
import { COLOURS, PALETTES, USES, type Lang } from './vocabulary.ts';

/**
 * How shoppers talk to the assistant: assumptions, stated here and in the README. A shopper who opens
 * the chat names the product type always, and each other wish with its chance.
 */
export const CHAT_MODEL = {
  /** Share of a chat-arm world's visits in which the assistant serves the shopper (the rest get the page). */
  share: 0.25,
  sayBudget: 0.6,
  /** Said only when the product type is made for one of the shopper's uses. */
  sayUse: 0.5,
  /** Said only when the shopper likes a colour the product type comes in. */
  sayColour: 0.3,
} as const;

/** Messages a shopper sends before giving up on a conversation that shows nothing. */
export const CHAT_TURNS = 3;

const SKIP: Record<Lang, string> = { en: "doesn't matter", es: 'me da igual' };

/** What the shopper asks for in the first message (slugs and euros: the truth the reply is measured against). */
export interface ChatWish {
  productType: string;
  budget?: number;
  use?: string;
  colour?: string;
}

/** The shopper's wish for this conversation: a favourite product type the shop sells (by weight), and what they care to say. */
export function chatWish(rng: Random, s: SimShopper, sold: ReadonlySet<string>): ChatWish | null {
  const t = s.shopper.taste;
  const favourites = t.productTypes.filter((p) => sold.has(p.value));
  if (!favourites.length) return null;
  const slug = rng.weighted(favourites);
  const type = productType(slug);
  const wish: ChatWish = { productType: slug };
  // Each wish draws its chance whether or not it is said, so one shopper's choices do not shift another's.
  const [budget, use, colour] = [rng.next(), rng.next(), rng.next()];
  if (budget < CHAT_MODEL.sayBudget) wish.budget = t.budgets[slug] ?? t.budget;
  const uses = type.uses.filter((u) => t.uses.includes(u));
  if (uses.length && use < CHAT_MODEL.sayUse) wish.use = rng.choice(uses);
  const colours = s.colours.filter((c) => PALETTES[type.category].includes(c));
  if (colours.length && colour < CHAT_MODEL.sayColour) wish.colour = rng.choice(colours);
  return wish;
}

/** The first message, in the shopper's language: "I'm looking for running shoes for running under 95 € in blue". */
export function chatMessage(wish: ChatWish, lang: Lang): string {
  const type = productType(wish.productType);
  const parts = [lang === 'es' ? `Busco ${type.keyword.es}` : `I'm looking for ${type.keyword.en}`];
  if (wish.use) parts.push(lang === 'es' ? `para ${USES[wish.use as keyof typeof USES].es}` : `for ${USES[wish.use as keyof typeof USES].en}`);
  if (wish.budget !== undefined) parts.push(lang === 'es' ? `por menos de ${wish.budget} €` : `under ${wish.budget} €`);
  if (wish.colour) {
    const name = COLOURS[wish.colour as keyof typeof COLOURS][lang].toLowerCase();
    parts.push(lang === 'es' ? `en ${name}` : `in ${name}`);
  }
  return parts.join(' ');
}

/** What `POST /v1/chat` answers, as far as the shopper reads it. */
interface ChatAnswer {
  sessionId: string;
  items: Array<{ id: string }>;
}

export interface ChatSessionOutcome {
  /** The items the assistant showed (empty: it showed nothing within {@link CHAT_TURNS} messages). */
  items: CatalogItem[];
  /** Messages the shopper sent. */
  turns: number;
  wish: ChatWish;
}

/**
 * One conversation: the wish, then "doesn't matter" to each question, until the assistant shows items
 * or {@link CHAT_TURNS} messages were sent. `send` is `POST /v1/chat` in the world's workspace.
 */
export async function chatSession(
  send: (body: { userId: string; message: string; sessionId?: string }) => Promise<unknown>,
  s: SimShopper,
  wish: ChatWish,
  itemById: ReadonlyMap<string, CatalogItem>,
): Promise<ChatSessionOutcome> {
  const lang = s.traits.language;
  let sessionId: string | undefined;
  for (let turn = 1; turn <= CHAT_TURNS; turn++) {
    const message = turn === 1 ? chatMessage(wish, lang) : SKIP[lang];
    const answer = (await send({ userId: s.id, message, ...(sessionId ? { sessionId } : {}) })) as ChatAnswer;
    sessionId = answer.sessionId;
    const items = answer.items.map((x) => itemById.get(x.id)).filter((x): x is CatalogItem => !!x);
    if (items.length) return { items, turns: turn, wish };
  }
  return { items: [], turns: CHAT_TURNS, wish };
}
