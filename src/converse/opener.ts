import { randomBytes } from 'node:crypto';
import { ITEM_CHANGE_COLLECTION } from '../domain/collections.ts';
import type { Assistant } from './assistant.ts';
import type { ChatPorts } from './ports.ts';
import type { Lang } from '../text/text.ts';
import { quickReplies } from './quick-replies.ts';
import { emptyMemory, newSession } from './session.ts';
import { formatPrice, say, type Style, type TemplateKey } from './templates.ts';
import { learnedAddress, learnedTone, toneFromTrait } from './tone.ts';

/** A cart left alone this long counts as abandoned. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;

export type OpenerSignal =
  | { kind: 'abandoned_cart'; itemId: string; addedAt: string }
  | { kind: 'price_drop'; itemId: string; oldPrice: number; newPrice: number; at: string }
  | { kind: 'back_in_stock'; itemId: string; at: string };

/**
 * Starts a conversation from the freshest signal about something the person engaged with: a nudge
 * waiting for them, an item back in stock, a price drop, or a cart left behind. The opener becomes
 * the session's first turn. Those signals tell what the person did, so they are used only when the
 * caller `proven` it is that person (a server key, or their user token): anyone holding the public
 * key could otherwise read another person's cart by naming their userId. Others get a greeting.
 */
export async function opener(ports: ChatPorts, assistant: Assistant, ws: string, userId: string, proven: boolean) {
  const now = ports.clock();
  const policy = await ports.consentOf(ws, userId);
  const consent = policy;
  const user = await ports.store.getUser(ws, userId);
  const memory = consent.chatMemory ? await assistant.chats.memory(ws, userId) : null;
  const lang: Lang = (user?.traits.language === 'es' || user?.traits.language === 'en' ? user.traits.language : memory?.language) ?? 'en';
  const writing = memory?.writing ?? emptyMemory(now).writing;
  const style: Style = {
    lang,
    tone: toneFromTrait(user?.traits.tone) ?? memory?.tone ?? learnedTone(writing),
    address: memory?.address ?? learnedAddress(writing),
  };

  const waiting = proven && ports.takeChatNudge ? await ports.takeChatNudge(ws, userId) : null;
  if (waiting) {
    const items = waiting.items.map((i) => ({ ...i, reasons: [waiting.message] }));
    return {
      sessionId: waiting.sessionId,
      reply: waiting.message,
      language: lang,
      tone: style.tone,
      intent: 'opener',
      signal: { kind: 'nudge' as const, trigger: waiting.trigger, nudgeId: waiting.nudgeId },
      slots: {},
      items,
      suggestions: quickReplies(items.length ? ['add_to_cart', 'item_question', 'recommend'] : ['recommend', 'order_status', 'shipping'], style),
    };
  }
  const signal = consent.personalization && proven ? await findSignal(ports, ws, userId, now) : null;
  const catalog = await ports.catalog(ws);
  const item = signal ? catalog.get(signal.itemId) : undefined;
  let reply: string;
  if (signal && item) {
    const key: TemplateKey = signal.kind === 'abandoned_cart' ? 'opener_cart' : signal.kind === 'price_drop' ? 'opener_price_drop' : 'opener_back_in_stock';
    const vars: Record<string, string> =
      signal.kind === 'price_drop'
        ? { title: item.title, price: formatPrice(signal.newPrice, item.currency, lang), old: formatPrice(signal.oldPrice, item.currency, lang) }
        : { title: item.title };
    reply = say(key, style, vars, userId);
  } else {
    reply = say('greet_new', style, {}, userId);
  }
  const session = newSession(`ses_${randomBytes(12).toString('base64url')}`, userId, now);
  session.language = lang;
  const items =
    item && signal
      ? [
          {
            id: item.id,
            title: item.title,
            ...(item.price !== undefined ? { price: item.price } : {}),
            ...(item.currency ? { currency: item.currency } : {}),
            reasons: [reply],
          },
        ]
      : [];
  session.shown = items.map(({ id, title, price, currency }) => ({ id, title, price, currency }));
  session.focus = items[0]?.id ?? null;
  session.turns.push({ role: 'assistant', text: reply, at: now, intent: 'opener', items: session.shown });
  // An erased person gets a plain greeting and no stored session naming them.
  if (!policy.erased) await assistant.chats.saveSession(ws, session);
  return {
    sessionId: session.id,
    reply,
    language: lang,
    tone: style.tone,
    intent: 'opener',
    signal: signal && item ? signal : null,
    slots: {},
    items,
    suggestions: quickReplies(items.length ? ['add_to_cart', 'item_question', 'recommend'] : ['recommend', 'order_status', 'shipping'], style),
  };
}

async function findSignal(ports: ChatPorts, ws: string, userId: string, now: number): Promise<OpenerSignal | null> {
  const events = await ports.store.eventsOf(ws, userId, 200);
  const engaged = new Map<string, number>();
  for (const e of events)
    if (e.itemId && ['view', 'click', 'add_to_cart', 'like'].includes(e.type)) engaged.set(e.itemId, Math.max(engaged.get(e.itemId) ?? 0, e.timestamp));
  const catalog = await ports.catalog(ws);
  const changes = await ports.store.listDocs(ws, ITEM_CHANGE_COLLECTION, { limit: 500 });
  for (const c of changes) {
    const itemId = String(c.body.itemId);
    const seenAt = engaged.get(itemId);
    const item = catalog.get(itemId);
    if (seenAt === undefined || seenAt > c.createdAt || !item?.available) continue;
    if (c.body.kind === 'price_drop' && item.price === c.body.newPrice) {
      return { kind: 'price_drop', itemId, oldPrice: Number(c.body.oldPrice), newPrice: Number(c.body.newPrice), at: new Date(c.createdAt).toISOString() };
    }
    if (c.body.kind === 'back_in_stock') return { kind: 'back_in_stock', itemId, at: new Date(c.createdAt).toISOString() };
  }
  // The cart: items added and not bought since, the newest first.
  const bought = new Map<string, number>();
  for (const e of events) if (e.type === 'purchase' && e.itemId) bought.set(e.itemId, Math.max(bought.get(e.itemId) ?? 0, e.timestamp));
  const carts = events.filter(
    (e) =>
      e.type === 'add_to_cart' &&
      e.itemId &&
      (bought.get(e.itemId) ?? 0) < e.timestamp &&
      now - e.timestamp >= ABANDONED_AFTER_MS &&
      catalog.get(e.itemId)?.available,
  );
  const last = carts.at(-1);
  return last ? { kind: 'abandoned_cart', itemId: last.itemId!, addedAt: new Date(last.timestamp).toISOString() } : null;
}
