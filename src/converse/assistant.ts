import { randomBytes } from 'node:crypto';
import { AfinError } from '../domain/errors.ts';
import type { StoredItem } from '../domain/schemas.ts';
import type { Engine } from '../engine/engine.ts';
import { funnelStage, type Profile } from '../profile/profile.ts';
import { attributeAnswer, attributeAsked } from './actions/attribute.ts';
import { countFitting, emptyExcluded, facetsOf, itemsOfKind, searchCatalog, mergeWanted, type SoftSlot, type Wanted } from './catalog-search.ts';
import { shapesOf } from './grounding/induce.ts';
import { groundedOf, mergeGrounded, type Grounded } from './grounding/merge.ts';
import { readMeasures, readProduct, requestedLanguage } from './grounding/request.ts';
import { replyLanguage } from './turn/language.ts';
import { faqAnswer } from './faq.ts';
import { LlmReplier, type LlmSettings } from './llm-reply.ts';
import { budgetText, joinList, label, useText } from './labels.ts';
import { buildVocabulary, trainIntentModel, understand, type Intent, type IntentModel, type Nlu, type Understanding } from './nlu/index.ts';
import { fold, type Lang } from './nlu/text.ts';
import { quickReplies, type QuickReplyKey } from './quick-replies.ts';
import { ChatStore, emptyMemory, newSession, type AskableSlot, type ChatMemory, type ChatSession, type ShownItem } from './session.ts';
import { formatPrice, say, type Style, type TemplateKey } from './templates.ts';
import { learnedAddress, learnedTone, observeWriting, requestedStyle, toneFromTrait } from './tone.ts';

export interface ChatRequest {
  userId: string;
  sessionId?: string;
  message: string;
  channel?: string;
}

/**
 * Who is typing, as far as the server can prove it. Anyone holding a shop's public key can name any
 * userId, so what the chat tells about a person or changes for them (what it knows, export, consent,
 * "forget me", past orders) needs proof: a valid `Afin-User-Token` for that userId, or a server or
 * admin key (the shop's own backend). Without it the assistant says where to do it and changes nothing.
 */
export interface ChatCaller {
  proven: boolean;
}

export interface ChatItem {
  id: string;
  title: string;
  price?: number;
  currency?: string;
  reasons: string[];
}

export interface ChatReply {
  sessionId: string;
  reply: string;
  language: Lang;
  tone: string;
  address?: 'tu' | 'usted';
  intent: string;
  confidence: number;
  slots: Record<string, unknown>;
  items: ChatItem[];
  suggestions: string[];
  /** Whether memory and personal ranking were used for this answer. */
  personalized: boolean;
  /** Waiting for a human agent. */
  flagged: boolean;
  /** Replies a human agent wrote since the last answer. */
  agentMessages: Array<{ text: string; at: string; agent?: string }>;
  /** Who wrote the reply: the embedded assistant, or the configured LLM. */
  by: 'embedded' | 'llm';
}

/** The intent model is the same for every workspace: trained once per process, at first use. */
let sharedModel: IntentModel | null = null;
export function intentModel(): IntentModel {
  return (sharedModel ??= trainIntentModel(1));
}

const SKIP = /\b(doesn'?t matter|does not matter|no matter|don'?t care|any(thing)?( is fine)?|whatever|no (budget|limit|preference)|me da igual|da igual|cualquier[ao]?|sin (l[ií]mite|preferencia)|lo que sea|no importa)\b/i;
const PERSONALIZATION_WORDS = /recommend|recomend|personali[sz]|suggest|suger/i;

interface Turn {
  ws: string;
  session: ChatSession;
  memory: ChatMemory | null;
  style: Style;
  u: Understanding;
  /** What the assistant acts on: the classifier's intent reconciled with the slots and the conversation. */
  intent: Intent;
  profile: Profile | null;
  name: string | null;
  personalize: boolean;
  seed: string;
  /** The person is proven (see ChatCaller): privacy actions and disclosures are allowed. */
  proven: boolean;
  /** The person was erased: answer, but store nothing about them and change nothing. */
  erased: boolean;
  /** The product and measures the message names, read against the catalogue. */
  grounded: Grounded;
  /** The person asked to switch language in this message. */
  switchedLanguage: boolean;
}

interface Ranking {
  bought: string[];
  score(id: string): number;
  because(id: string): { itemId: string; itemTitle: string; type: string } | null;
}

interface Outcome {
  reply: string;
  items?: ChatItem[];
  suggestions?: string[];
  quick?: QuickReplyKey[];
}

/**
 * The embedded shop assistant: understands a message, keeps the conversation's state, asks what it
 * needs (at most two questions, one at a time), recommends from the real catalogue, and remembers the
 * person across sessions when their consent allows.
 */
export class Assistant {
  readonly chats: ChatStore;
  private readonly vocabularies = new Map<string, { version: number; nlu: Nlu }>();

  private readonly llm: LlmReplier | null;

  constructor(private readonly engine: Engine, llm?: LlmSettings) {
    this.chats = new ChatStore(engine.store);
    this.llm = llm ? new LlmReplier(engine, llm) : null;
  }

  private async nlu(ws: string): Promise<Nlu> {
    const catalog = await this.engine.state.catalog(ws);
    const hit = this.vocabularies.get(ws);
    if (hit && hit.version === catalog.version && catalog.version !== 0) return hit.nlu;
    const nlu = { model: intentModel(), vocabulary: buildVocabulary(catalog.items) };
    this.vocabularies.set(ws, { version: catalog.version, nlu });
    return nlu;
  }

  async reply(ws: string, req: ChatRequest, caller: ChatCaller = { proven: false }): Promise<ChatReply> {
    const now = this.engine.clock();
    const { store, consent } = this.engine;
    // An erased person (suppressed id) is answered without anything personal, and nothing naming them is stored.
    const erased = (await consent.policy(ws, req.userId)).erased;
    let session = req.sessionId && !erased ? await this.chats.session(ws, req.sessionId) : null;
    if (session && session.userId !== req.userId) throw new AfinError('not_found', `chat session "${req.sessionId}" not found`, 'sessionId');
    const isNew = !session;
    session ??= newSession(req.sessionId ?? `ses_${randomBytes(12).toString('base64url')}`, req.userId, now);

    const allowed = await consent.state(ws, req.userId);
    const kept = erased ? null : await this.chats.memory(ws, req.userId);
    // Withdrawn chatMemory consent: what was remembered from earlier conversations goes, at once.
    if (!allowed.chatMemory && kept) await this.chats.forget(ws, req.userId, session.id);
    const memory = allowed.chatMemory ? kept ?? emptyMemory(now) : null;
    const user = erased ? null : await store.getUser(ws, req.userId);
    const traits = user?.traits ?? {};
    const traitLang = traits.language === 'en' || traits.language === 'es' ? traits.language : undefined;

    const previousLanguage = session.language ?? memory?.language ?? traitLang;
    const nlu = await this.nlu(ws);
    let u = understand(nlu, req.message, { previousLanguage: previousLanguage ?? undefined });
    const explicitLanguage = requestedLanguage(req.message);
    const lang = replyLanguage(u, { explicit: explicitLanguage, trait: traitLang, session: session.language });
    // The message is read in the language the reply is in, when that is not the detector's first guess.
    if (lang !== u.language) u = { ...understand(nlu, req.message, { previousLanguage: lang, minLanguageConfidence: 1.01 }), detected: u.detected };
    session.language = lang;
    const catalogNow = await this.engine.state.catalog(ws);
    const shapes = shapesOf(catalogNow.items);
    const grounded = groundedOf(session.wanted, readProduct(req.message, shapes), readMeasures(req.message));
    // A short answer to a question says nothing about how the person likes to talk.
    if (!session.requested) session.writing = observeWriting(session.writing, req.message, u.language);
    if (isNew && memory) session.pastWriting = memory.writing;
    const writing = session.pastWriting && memory ? addStats(session.pastWriting, session.writing) : session.writing;
    const style: Style = {
      lang,
      tone: session.tone ?? toneFromTrait(traits.tone) ?? memory?.tone ?? learnedTone(writing),
      address: session.address ?? (traits.address === 'usted' || traits.address === 'tu' ? traits.address : undefined) ?? memory?.address ?? learnedAddress(writing),
    };
    const profile = allowed.profiling ? ((await store.getProfile(ws, req.userId)) as Profile | null) : null;
    const turn: Turn = {
      ws, session, memory, style, u, intent: u.intent, profile, personalize: allowed.personalization,
      name: typeof traits.name === 'string' ? traits.name.split(' ')[0] : null,
      seed: `${session.id}:${session.turns.length}`,
      proven: caller.proven, erased, grounded, switchedLanguage: explicitLanguage !== null,
    };

    turn.intent = effectiveIntent(u, session, grounded);
    if (grounded.ask || Object.keys(grounded.measures).length) {
      if (turn.intent === 'recommend' || turn.intent === 'refine' || session.requested) session.wanted = mergeGrounded(session.wanted, grounded, u.slots, req.message);
    }
    session.turns.push({ role: 'user', text: req.message, at: now, intent: turn.intent });
    let out = await this.respond(turn, isNew);
    let by: 'embedded' | 'llm' = 'embedded';
    if (this.llm) {
      // The embedded answer is the draft (and the fallback); the LLM may write it better.
      const r = await this.llm.rewrite({ ws, session, style, message: req.message, intent: turn.intent, personalize: allowed.personalization, proven: caller.proven && !erased }, out);
      by = r.by;
      out = { ...out, reply: r.reply, items: r.items };
    }
    const items = out.items ?? [];
    session.turns.push({ role: 'assistant', text: out.reply, at: now, intent: turn.intent, items: items.map(({ id, title, price, currency }) => ({ id, title, price, currency })) });
    session.updatedAt = now;
    const agentMessages = session.pendingAgent.map((t) => ({ text: t.text, at: new Date(t.at).toISOString(), ...(t.agent ? { agent: t.agent } : {}) }));
    session.pendingAgent = [];
    if (!erased) {
      await this.chats.saveSession(ws, session);
      await this.remember(turn, now);
      await this.logTurn(ws, req, session.id, turn.intent, out.reply, items, now, turn.memory !== null);
    }
    await store.bumpCounter(ws, `chat:q:${funnelStage(profile, now)}:${turn.intent}`);

    return {
      sessionId: session.id,
      reply: out.reply,
      language: style.lang,
      tone: turn.style.tone,
      ...(style.lang === 'es' ? { address: turn.style.address } : {}),
      intent: turn.intent,
      confidence: Math.round(u.confidence * 1000) / 1000,
      slots: describeWanted(session.wanted, u),
      items,
      suggestions: out.suggestions ?? (await this.suggest(turn, out.quick ?? defaultQuick(session))),
      personalized: allowed.personalization && (memory !== null || items.length > 0),
      flagged: session.flagged !== null,
      agentMessages,
      by,
    };
  }

  /** Picks what to do with the message. */
  private async respond(t: Turn, isNew: boolean): Promise<Outcome> {
    const { session: s, u } = t;
    // Colours ruled out in this request are a taste given (a dislike from before still leaves the question).
    const ruledOutColours = u.slots.excluded.colours.length > 0;
    const pending = s.requested;
    // An answer the assistant cannot map ("para desayunar" where the catalogue has no such use) still
    // answers the question: the slot counts as skipped, and the same question is not asked again.
    const unclear = !u.slots.productType && !u.slots.category
      && (['recommend', 'refine', 'affirm', 'deny', 'preference'].includes(t.intent) || (t.intent === 'out_of_scope' && u.confidence < 0.8));
    const answersQuestion = pending !== null && !STRONG.has(t.intent) && (filled(u, pending) || SKIP.test(u.text) || unclear);
    if (t.intent !== 'out_of_scope' || answersQuestion) s.misunderstood = 0;
    if (ruledOutColours && t.intent !== 'recommend') s.tasteSaid = true;
    if (answersQuestion) {
      // "I hate red" in answer to the colour question is a taste to remember, not only this request's.
      if (t.intent === 'preference') rememberTaste(t);
      if (!filled(u, pending)) s.skipped.push(pending);
      s.wanted = mergeWanted(s.wanted, u.slots);
      return this.recommendFlow(t);
    }
    s.requested = null;
    if (t.switchedLanguage && !['recommend', 'refine', 'item_question', 'compare', 'add_to_cart', 'order_status', 'shipping', 'return_policy'].includes(t.intent)) {
      return { reply: say('language_switched', t.style, {}, t.seed), quick: ['recommend', 'order_status', 'shipping'] };
    }
    switch (t.intent) {
      case 'greet':
        return isNew || s.turns.length <= 1 ? this.greet(t) : { reply: say('greet_new', t.style, {}, t.seed), quick: ['recommend', 'order_status', 'shipping'] };
      case 'recommend':
        s.asked = [];
        s.skipped = [];
        s.rejected = [];
        s.tasteSaid = ruledOutColours;
        s.wanted = mergeWanted(this.withMemory(t, { ...s.wanted, below: undefined, above: undefined }, u), t.grounded.newAsk ? { ...u.slots, productType: u.slots.productType ?? s.wanted.productType } : u.slots);
        return this.recommendFlow(t);
      case 'refine':
        return this.refine(t);
      case 'compare':
        // "the second one" alone points at one item: it asks about it, it does not compare.
        return u.slots.ordinals?.length === 1 ? this.detail(t) : this.compare(t);
      case 'item_question':
        return this.detail(t);
      case 'add_to_cart':
        return this.addToCart(t);
      case 'order_status':
        return this.orderStatus(t);
      case 'return_policy':
      case 'shipping':
        return { reply: say('faq', t.style, { answer: await faqAnswer(this.engine.store, t.ws, t.intent, t.style) }), quick: ['order_status', 'recommend'] };
      case 'preference':
        return this.preference(t);
      case 'tone_request': {
        const r = requestedStyle(u.slots.tone ?? guessToneRequest(u.text));
        if (r.tone) s.tone = t.style.tone = r.tone;
        if (r.address) s.address = t.style.address = r.address;
        const key: TemplateKey = r.address === 'usted' && !r.tone ? 'address_usted' : r.address === 'tu' && t.style.lang === 'es' ? 'address_tu' : 'tone_switched';
        const ack = say(key, t.style, {}, t.seed);
        // A question left open is asked again, in the new style.
        if (pending) {
          const q = await this.ask(t, pending);
          if (q) return { ...q, reply: `${ack} ${q.reply}` };
        }
        return { reply: ack };
      }
      case 'human':
        s.flagged = { at: this.engine.clock(), reason: 'asked_for_person' };
        return { reply: say('human', t.style, {}, t.seed), suggestions: [] };
      case 'privacy_forget':
        if (!t.proven) return { reply: say('privacy_change_elsewhere', t.style, {}, t.seed), quick: ['recommend', 'order_status'] };
        return this.forget(t);
      case 'privacy_what_you_know':
        if (!t.proven) return { reply: say('privacy_read_elsewhere', t.style, {}, t.seed), quick: ['recommend', 'order_status'] };
        return this.whatIKnow(t);
      case 'help':
        return { reply: say('help', t.style, {}, t.seed), quick: ['recommend', 'order_status', 'shipping', 'return_policy'] };
      case 'thanks':
        return { reply: say('thanks', t.style, {}, t.seed), quick: ['recommend', 'bye'] };
      case 'bye':
        return { reply: say('bye', t.style, {}, t.seed), suggestions: [] };
      case 'affirm':
        if (s.shown.length > 0) return this.addToCart(t);
        return this.recommendFlow(t);
      case 'deny':
        return { reply: say('ask_product', t.style, {}, t.seed), quick: ['recommend', 'order_status'] };
      default: {
        s.misunderstood++;
        if (s.misunderstood >= 2) {
          s.flagged = { at: this.engine.clock(), reason: 'not_understood' };
          return { reply: say('fallback_handoff', t.style, {}, t.seed), suggestions: [] };
        }
        return { reply: say('fallback', t.style, {}, t.seed), quick: ['recommend', 'order_status', 'human'] };
      }
    }
  }

  private async greet(t: Turn): Promise<Outcome> {
    const name = t.name ? ` ${t.name}` : '';
    const topic = t.memory?.lastTopic;
    if (topic && (topic.productType || topic.category)) {
      const what = [label(topic.productType ?? topic.category!, t.style.lang), topic.use ? useText(topic.use, t.style.lang) : ''].filter(Boolean).join(' ');
      return { reply: say('greet_back_topic', t.style, { name, topic: what }, t.seed), quick: ['recommend', 'order_status'] };
    }
    if (t.personalize && t.memory) {
      const recent = (await this.engine.store.eventsOf(t.ws, t.session.userId, 20)).filter((e) => e.itemId && (e.type === 'view' || e.type === 'add_to_cart')).at(-1);
      const item = recent?.itemId ? (await this.engine.state.catalog(t.ws)).get(recent.itemId) : undefined;
      if (item) return { reply: say('greet_back_events', t.style, { name, item: item.title }, t.seed), quick: ['recommend', 'order_status'] };
    }
    return { reply: say('greet_new', t.style, {}, t.seed), quick: ['recommend', 'order_status', 'shipping'] };
  }

  /** Fills what the person did not say from what they said in earlier sessions. */
  private withMemory(t: Turn, w: Wanted, u: Understanding): Wanted {
    const m = t.memory;
    if (!m) return w;
    const out: Wanted = { ...w, excluded: { ...w.excluded } };
    for (const k of ['brands', 'colours', 'categories', 'tags'] as const) out.excluded[k] = [...new Set([...out.excluded[k], ...m.dislikes[k]])];
    const kind = u.slots.productType ?? u.slots.category;
    if (kind && !u.slots.budget && m.budgets[kind]) out.budget = { ...m.budgets[kind] };
    return out;
  }

  /** Asks for what is missing (at most two questions per request), then recommends. */
  private async recommendFlow(t: Turn): Promise<Outcome> {
    const s = t.session;
    const catalog = await this.engine.state.catalog(t.ws);
    const next = this.nextQuestion(s, catalog.items);
    if (next) {
      const q = await this.ask(t, next);
      if (q) {
        s.asked.push(next);
        return q;
      }
    }
    s.requested = null;
    return this.showItems(t);
  }

  /** The question for one slot, in the turn's style, with its quick replies; null when there is nothing to offer. */
  private async ask(t: Turn, slot: AskableSlot): Promise<Outcome | null> {
    const s = t.session;
    const w = s.wanted;
    const catalog = await this.engine.state.catalog(t.ws);
    const options = questionOptions(slot, w, catalog.items, t.style.lang);
    if (!options) return null;
    s.requested = slot;
    const product = label(w.productType ?? w.category ?? '', t.style.lang);
    return { reply: say(`ask_${slot}` as TemplateKey, t.style, { product }, t.seed), suggestions: options };
  }

  /** The next slot worth asking for: the product, then budget, use and taste where the catalogue has them. */
  private nextQuestion(s: ChatSession, items: readonly StoredItem[]): AskableSlot | null {
    if (s.asked.length >= 2) return null;
    const w = s.wanted;
    const open = (slot: AskableSlot) => !s.asked.includes(slot) && !s.skipped.includes(slot);
    if (!w.productType && !w.category && !w.ask) return open('product') ? 'product' : null;
    // A question earns its place only when its answer could change what is shown.
    if (countFitting(items, w, new Set(s.rejected)) <= 3) return null;
    if (!w.budget && open('budget') && questionOptions('budget', w, items, 'en')) return 'budget';
    // An occasion ("a present") says nothing about how the thing will be used: the question still helps.
    if ((!w.use || OCCASIONS.has(w.use)) && open('use') && questionOptions('use', w, items, 'en')) return 'use';
    // Ruling colours out is a taste already given.
    const colourSaid = Boolean(w.colour || w.brand || s.tasteSaid);
    if (!colourSaid && open('colour') && questionOptions('colour', w, items, 'en')) return 'colour';
    return null;
  }

  /** Three items that satisfy every hard constraint, ranked for this person, each with its reason. */
  private async showItems(t: Turn): Promise<Outcome> {
    const s = t.session;
    const catalog = await this.engine.state.catalog(t.ws);
    const ranking = await this.ranking(t);
    const exclude = new Set([...s.rejected, ...ranking.bought]);
    const found = searchCatalog(catalog.items, s.wanted, (id) => ranking.score(id), exclude, 3);
    const constraints = constraintText(s.wanted, t.style.lang, catalog.items[0]?.currency);
    if (found.items.length === 0) {
      // What was shown before stays on screen, so "compare the first two" still works.
      return { reply: say('no_match', t.style, { constraints: constraints ? ` (${constraints})` : '' }, t.seed), quick: ['refine', 'recommend'] };
    }
    // The same kind of thing: the type, or the most specific category (not the department they share).
    const kindOf = (it: StoredItem) => fold(String((it.attributes as Record<string, unknown> | undefined)?.productType ?? it.categories?.at(-1) ?? ''));
    const related = (it: StoredItem, sourceId: string) => {
      const src = catalog.get(sourceId);
      return Boolean(src && kindOf(src) && kindOf(src) === kindOf(it));
    };
    const items = found.items.map((it) => {
      const b = ranking.because(it.id);
      // Cite what the person did only when it is about the same kind of thing.
      return this.chatItem(t, it, b && related(it, b.itemId) ? b : null);
    });
    s.shown = items.map(({ id, title, price, currency }) => ({ id, title, price, currency }));
    s.focus = items.length === 1 ? items[0].id : null;
    s.asked = [];
    const intro = found.relaxed.length
      ? say('recommend_relaxed', t.style, { dropped: relaxedText(found.relaxed, t.style.lang) }, t.seed)
      : say('recommend', t.style, { count: items.length, constraints: constraints ? ` (${constraints})` : '' }, t.seed);
    return { reply: `${intro}\n${items.map((it, k) => `${k + 1}. ${it.title}${it.price === undefined ? '' : ` — ${formatPrice(it.price, it.currency, t.style.lang)}`}`).join('\n')}`, items, quick: ['refine', 'compare', 'add_to_cart', 'item_question'] };
  }

  /**
   * The recommender's order for this person. A shop whose recommender cannot be trained yet (no
   * interactions but chat turns) still gets an answer: the catalogue's own order, nothing personal.
   */
  private async ranking(t: Turn): Promise<Ranking> {
    try {
      return await this.engine.recommend.rankFor(t.ws, t.session.userId, t.personalize);
    } catch {
      const events = await this.engine.store.eventsOf(t.ws, t.session.userId, 500);
      return { bought: events.filter((e) => e.type === 'purchase' && e.itemId).map((e) => e.itemId!), score: () => 0, because: () => null };
    }
  }

  /** One line of reason per item, citing what the person said or did. */
  private chatItem(t: Turn, it: StoredItem, because: { itemTitle: string; type: string } | null): ChatItem {
    const lang = t.style.lang;
    const w = t.session.wanted;
    const said: string[] = [];
    if (w.budget) said.push(budgetText(w.budget, lang, it.currency));
    if (w.below !== undefined) said.push(cheaperText(w.below, lang, it.currency));
    if (w.above !== undefined) said.push(pricierText(w.above, lang, it.currency));
    if (w.use && facetsOf(it).uses.has(w.use.toLowerCase())) said.push(useText(w.use, lang));
    if (w.colour && facetsOf(it).colours.has(w.colour.toLowerCase())) said.push(lang === 'es' ? `en ${label(w.colour, lang)}` : `in ${label(w.colour, lang)}`);
    if (w.brand) said.push(lang === 'es' ? `de ${w.brand}` : `by ${w.brand}`);
    const no = [...w.excluded.brands, ...w.excluded.colours.map((c) => label(c, lang))];
    if (no.length) said.push(lang === 'es' ? `sin ${joinList(no, lang)}` : `no ${joinList(no, lang)}`);
    // Nothing else said: the kind of thing asked for is what the person said.
    if (!said.length && !because && (w.productType || w.category)) said.push(label((w.productType ?? w.category)!, lang));
    else if (!said.length && !because && w.ask) said.push(w.ask.label);
    const parts: string[] = [];
    if (said.length) parts.push(lang === 'es' ? `Lo que ${t.style.address === 'usted' ? 'pide' : 'pides'}: ${said.join(', ')}` : `What you asked for: ${said.join(', ')}`);
    if (because) parts.push(becauseText(because, lang, t.style.address));
    if (!parts.length) parts.push(lang === 'es' ? 'Muy popular ahora mismo' : 'Popular right now');
    const out: ChatItem = { id: it.id, title: it.title, reasons: [parts.join('. ')] };
    if (it.price !== undefined) out.price = it.price;
    if (it.currency !== undefined) out.currency = it.currency;
    return out;
  }

  private async refine(t: Turn): Promise<Outcome> {
    const s = t.session;
    const sl = t.u.slots;
    if (s.shown.length === 0) {
      // Nothing on screen yet: the message adds to the request, and the questions go on.
      s.wanted = mergeWanted(s.wanted, sl);
      return this.recommendFlow(t);
    }
    const prices = s.shown.map((i) => i.price).filter((p): p is number => p !== undefined);
    let w = mergeWanted(s.wanted, { ...sl, budget: undefined });
    if (sl.comparative === 'cheaper' && prices.length) w = { ...w, below: Math.min(...prices), above: undefined };
    else if (sl.comparative === 'pricier' && prices.length) {
      // Asking for dearer things lifts the ceiling the person set before.
      w = { ...w, above: Math.max(...prices), below: undefined, budget: w.budget && w.budget.min !== undefined ? { min: w.budget.min, currency: w.budget.currency } : undefined };
    } else if (sl.budget) w = { ...w, budget: sl.budget, below: undefined, above: undefined };
    const catalog = await this.engine.state.catalog(t.ws);
    const shownItems = s.shown.map((i) => catalog.get(i.id)).filter((i): i is StoredItem => Boolean(i));
    if (sl.change?.includes('colour')) {
      w.colour = undefined;
      w.excluded = { ...w.excluded, colours: [...new Set([...w.excluded.colours, ...shownItems.flatMap((i) => [...facetsOf(i).colours])])] };
    }
    if (sl.change?.includes('brand')) {
      w.brand = undefined;
      w.excluded = { ...w.excluded, brands: [...new Set([...w.excluded.brands, ...shownItems.map((i) => facetsOf(i).brand).filter((b): b is string => Boolean(b))])] };
    }
    s.rejected = [...new Set([...s.rejected, ...s.shown.map((i) => i.id)])];
    s.wanted = w;
    s.asked = ['budget', 'use']; // a refinement recommends at once
    return this.showItems(t);
  }

  /** The items the message points at: ordinals, else the item in focus, else (when `all`) what is shown. */
  private targets(s: ChatSession, ordinals: number[] | undefined, fallbackCount: number): ShownItem[] {
    if (ordinals?.length) return ordinals.map((o) => s.shown[o > 0 ? o - 1 : s.shown.length + o]).filter((x): x is ShownItem => Boolean(x));
    if (s.focus) {
      const f = s.shown.find((i) => i.id === s.focus);
      if (f && fallbackCount === 1) return [f];
    }
    if (s.shown.length === 1) return [s.shown[0]];
    return fallbackCount > 1 ? s.shown.slice(0, fallbackCount) : [];
  }

  private async compare(t: Turn): Promise<Outcome> {
    const s = t.session;
    if (s.shown.length === 0) return { reply: say('nothing_shown', t.style, {}, t.seed), quick: ['recommend'] };
    if (s.shown.length === 1) {
      const only = s.shown[0];
      return { reply: say('compare_one', t.style, { title: only.title }, t.seed), items: [{ ...only, reasons: [t.style.lang === 'es' ? 'El único en pantalla' : 'The only one on screen'] }], quick: ['recommend', 'add_to_cart'] };
    }
    const picked = this.targets(s, t.u.slots.ordinals, 2);
    const chosen = picked.length >= 2 ? picked : s.shown.slice(0, 2);
    const catalog = await this.engine.state.catalog(t.ws);
    const lang = t.style.lang;
    const lines = chosen.map((i) => {
      const it = catalog.get(i.id);
      const f = it ? facetsOf(it) : null;
      const facts = [formatPrice(i.price ?? 0, i.currency, lang), f?.brand, f && f.colours.size ? [...f.colours].map((c) => label(c, lang)).join('/') : null, f && f.uses.size ? [...f.uses].map((x) => label(x, lang)).join(', ') : null]
        .filter(Boolean).join(' · ');
      return `• ${i.title}: ${facts}`;
    });
    const byPrice = [...chosen].filter((i) => i.price !== undefined).sort((a, b) => a.price! - b.price!);
    let verdict = '';
    if (byPrice.length >= 2 && byPrice[0].price! < byPrice[byPrice.length - 1].price!) {
      const diff = formatPrice(byPrice[byPrice.length - 1].price! - byPrice[0].price!, byPrice[0].currency, lang);
      verdict = lang === 'es' ? `\n${byPrice[0].title} es ${diff} más barato.` : `\n${byPrice[0].title} is ${diff} cheaper.`;
    }
    s.focus = null;
    const items = chosen.map((i) => ({ ...i, reasons: [lang === 'es' ? 'En la comparación' : 'In the comparison'] }));
    return { reply: `${say('compare', t.style, {}, t.seed)}\n${lines.join('\n')}${verdict}`, items, quick: ['add_to_cart', 'refine'] };
  }

  private async detail(t: Turn): Promise<Outcome> {
    const s = t.session;
    if (s.shown.length === 0) return { reply: say('nothing_shown', t.style, {}, t.seed), quick: ['recommend'] };
    const [target] = this.targets(s, t.u.slots.ordinals, 1);
    if (!target) return { reply: say('which_item', t.style, {}, t.seed), suggestions: ordinalOptions(s, t.style.lang) };
    s.focus = target.id;
    const catalog = await this.engine.state.catalog(t.ws);
    const it = catalog.get(target.id);
    const lang = t.style.lang;
    const asked = attributeAsked(t.u.text);
    if (it && asked) {
      const reply = attributeAnswer(it, asked, shapesOf(catalog.items), t.style, t.seed);
      return { reply, items: [{ ...target, reasons: [lang === 'es' ? 'El que [preguntas|pregunta]'.replace(/\[([^|]*)\|([^\]]*)\]/, t.style.address === 'usted' ? '$2' : '$1') : 'The one you asked about'] }], quick: ['add_to_cart', 'compare', 'refine'] };
    }
    const f = it ? facetsOf(it) : null;
    const facts: string[] = [];
    if (f?.brand) facts.push(lang === 'es' ? `Marca: ${f.brand}.` : `Brand: ${f.brand}.`);
    if (f?.colours.size) facts.push(lang === 'es' ? `Color: ${[...f.colours].map((c) => label(c, lang)).join(', ')}.` : `Colour: ${[...f.colours].map((c) => label(c, lang)).join(', ')}.`);
    if (f?.uses.size) facts.push(lang === 'es' ? `Pensado ${[...f.uses].map((x) => useText(x, lang)).join(', ')}.` : `Made ${[...f.uses].map((x) => useText(x, lang)).join(', ')}.`);
    if (it?.description && t.style.tone !== 'direct' && (it.language ?? lang) === lang) facts.push(firstSentence(it.description));
    if (it && !it.available) facts.push(lang === 'es' ? 'Ahora mismo no está disponible.' : 'It is out of stock right now.');
    const reply = say(target.price === undefined ? 'detail_no_price' : 'detail', t.style, { title: target.title, price: target.price === undefined ? '' : formatPrice(target.price, target.currency, lang), facts: facts.join(' ') }, t.seed);
    return { reply, items: [{ ...target, reasons: [lang === 'es' ? 'El que [preguntas|pregunta]'.replace(/\[([^|]*)\|([^\]]*)\]/, t.style.address === 'usted' ? '$2' : '$1') : 'The one you asked about'] }], quick: ['add_to_cart', 'compare', 'refine'] };
  }

  private async addToCart(t: Turn): Promise<Outcome> {
    const s = t.session;
    if (s.shown.length === 0) return { reply: say('nothing_shown', t.style, {}, t.seed), quick: ['recommend'] };
    const [target] = this.targets(s, t.u.slots.ordinals, 1);
    if (!target) return { reply: say('which_item', t.style, {}, t.seed), suggestions: ordinalOptions(s, t.style.lang) };
    await this.engine.ingest.postEvents(t.ws, [{ type: 'add_to_cart', userId: s.userId, itemId: target.id, channel: 'chat', properties: { sessionId: s.id } }]);
    s.focus = target.id;
    return { reply: say('added_to_cart', t.style, { title: target.title }, t.seed), items: [{ ...target, reasons: [t.style.lang === 'es' ? 'Añadido al carrito' : 'Added to your cart'] }], quick: ['recommend', 'shipping'] };
  }

  private async orderStatus(t: Turn): Promise<Outcome> {
    // What someone bought, and when, is told only to that person.
    if (!t.proven) return { reply: say('order_signin', t.style, { faq: await faqAnswer(this.engine.store, t.ws, 'order_status', t.style) }, t.seed), quick: ['shipping', 'return_policy', 'human'] };
    const events = await this.engine.store.eventsOf(t.ws, t.session.userId, 200);
    const last = events.filter((e) => e.type === 'purchase' && e.itemId).at(-1);
    const faq = await faqAnswer(this.engine.store, t.ws, 'order_status', t.style);
    if (!last) return { reply: say('order_none', t.style, { faq }, t.seed), quick: ['recommend', 'human'] };
    const item = (await this.engine.state.catalog(t.ws)).get(last.itemId!);
    const date = new Date(last.timestamp).toLocaleDateString(t.style.lang === 'es' ? 'es-ES' : 'en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' });
    return { reply: say('order_last', t.style, { title: item?.title ?? last.itemId!, date, faq }, t.seed), quick: ['shipping', 'return_policy', 'human'] };
  }

  private async preference(t: Turn): Promise<Outcome> {
    const s = t.session;
    const sl = t.u.slots;
    s.wanted = mergeWanted(s.wanted, { ...sl, productType: undefined, category: undefined, budget: undefined });
    const lang = t.style.lang;
    const parts: string[] = [];
    const no = lang === 'es' ? 'nada de' : 'no';
    for (const b of sl.excluded.brands) parts.push(`${no} ${b}`);
    for (const c of sl.excluded.colours) parts.push(`${no} ${label(c, lang)}`);
    for (const c of sl.excluded.categories) parts.push(`${no} ${label(c, lang)}`);
    for (const c of sl.excluded.tags) parts.push(`${no} ${label(c, lang)}`);
    if (sl.brand) parts.push(sl.brand);
    if (sl.colour) parts.push(label(sl.colour, lang));
    rememberTaste(t);
    const what = parts.length ? joinList(parts, lang) : t.u.text;
    // With something on screen, the preference reshapes the list at once.
    if (s.shown.length > 0 && (sl.excluded.brands.length || sl.excluded.colours.length || sl.brand || sl.colour)) {
      const shown = await this.showItems(t);
      return { ...shown, reply: `${say('preference_noted', t.style, { what }, t.seed)} ${shown.reply}` };
    }
    return { reply: say('preference_noted', t.style, { what }, t.seed), quick: ['recommend'] };
  }

  private async forget(t: Turn): Promise<Outcome> {
    const { ws, session: s } = t;
    // An erased person: nothing is held and nothing will be kept, so there is nothing to record either.
    if (t.erased) return { reply: say(PERSONALIZATION_WORDS.test(t.u.text) ? 'personalization_off' : 'forgot', t.style, {}, t.seed) };
    if (PERSONALIZATION_WORDS.test(t.u.text)) {
      await this.engine.privacy.setConsent(ws, s.userId, { personalization: false, source: 'chat' }, { source: 'chat' });
      t.personalize = false;
      return { reply: say('personalization_off', t.style, {}, t.seed) };
    }
    await this.engine.privacy.setConsent(ws, s.userId, { chatMemory: false, source: 'chat' }, { source: 'chat' });
    await this.chats.forget(ws, s.userId, s.id);
    t.memory = null;
    return { reply: say('forgot', t.style, {}, t.seed) };
  }

  private async whatIKnow(t: Turn): Promise<Outcome> {
    const lang = t.style.lang;
    const p = t.profile;
    const parts: string[] = [];
    if (p) {
      const cats = Object.entries(p.categories).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([c]) => label(c, lang));
      const views = p.events.view?.count ?? 0;
      const usted = t.style.address === 'usted';
      if (cats.length) parts.push(lang === 'es' ? `${usted ? 'le' : 'te'} interesa ${joinList(cats, lang)}` : `you're interested in ${joinList(cats, lang)}`);
      parts.push(lang === 'es' ? `${usted ? 'ha' : 'has'} visto ${views} productos y comprado ${p.purchases}` : `you've viewed ${views} products and bought ${p.purchases}`);
    }
    const m = t.memory;
    const topic = m?.lastTopic ?? (t.session.wanted.productType || t.session.wanted.category ? t.session.wanted : null);
    if (topic && (topic.productType || topic.category)) {
      const what = [label((topic.productType ?? topic.category)!, lang), topic.use ? useText(topic.use, lang) : ''].filter(Boolean).join(' ');
      parts.push(lang === 'es' ? `${t.style.address === 'usted' ? 'está buscando' : 'estás buscando'} ${what}` : `you're looking for ${what}`);
    }
    if (m?.dislikes.brands.length || m?.dislikes.colours.length) {
      const dis = [...(m?.dislikes.brands ?? []), ...(m?.dislikes.colours ?? []).map((c) => label(c, lang))];
      parts.push(lang === 'es' ? `no ${t.style.address === 'usted' ? 'le' : 'te'} gusta ${joinList(dis, lang)}` : `you don't like ${joinList(dis, lang)}`);
    }
    if (!m) parts.push(lang === 'es' ? 'no recuerdo nuestras conversaciones' : "I don't remember our conversations");
    const summary = parts.length ? `${capitalise(parts.join('; '))}.` : lang === 'es' ? 'Nada todavía.' : 'Nothing yet.';
    return { reply: say('what_you_know', t.style, { summary }, t.seed), quick: ['recommend'] };
  }

  /** The next questions offered: those people at the same funnel stage asked most, among the ones that fit now. */
  private async suggest(t: Turn, candidates: QuickReplyKey[]): Promise<string[]> {
    const counters = await this.engine.store.readCounters(t.ws);
    const stage = funnelStage(t.profile, this.engine.clock());
    const freq = (k: QuickReplyKey) => counters[`chat:q:${stage}:${k}`] ?? 0;
    const ranked = [...candidates].sort((a, b) => freq(b) - freq(a) || candidates.indexOf(a) - candidates.indexOf(b));
    return quickReplies(ranked.slice(0, 3), t.style);
  }

  /** Long-term memory: what carries over to the next session (only with chatMemory consent). */
  private async remember(t: Turn, now: number): Promise<void> {
    const m = t.memory;
    if (!m) return;
    const s = t.session;
    const w = s.wanted;
    if (w.productType || w.category) {
      m.lastTopic = { productType: w.productType, category: w.category, use: w.use };
      if (w.budget && !w.budget.relative) m.budgets[(w.productType ?? w.category)!] = w.budget;
    }
    m.language = s.language;
    if (s.tone) m.tone = s.tone;
    if (s.address) m.address = s.address;
    m.writing = s.pastWriting ? addStats(s.pastWriting, s.writing) : s.writing;
    m.lastSessionAt = now;
    m.updatedAt = now;
    await this.chats.saveMemory(t.ws, s.userId, m);
  }

  /**
   * The conversation itself is stored as `chat` events (so export, retention and erasure cover it).
   * Without chatMemory consent the events keep only what happened (the intent, the items), not the words.
   */
  private async logTurn(ws: string, req: ChatRequest, sessionId: string, intent: string, reply: string, items: ChatItem[], now: number, keepText: boolean) {
    const channel = req.channel ?? 'chat';
    await this.engine.ingest.postEvents(ws, [
      { type: 'chat', userId: req.userId, channel, timestamp: now, ...(keepText ? { query: req.message.slice(0, 2000) } : {}), properties: { sessionId, role: 'user', intent } },
      { type: 'chat', userId: req.userId, channel, timestamp: now, properties: { sessionId, role: 'assistant', ...(keepText ? { text: reply.slice(0, 4000) } : {}), items: items.map((i) => i.id) } },
    ]);
  }

  /** A human agent's reply: it joins the transcript and reaches the person with their next answer. */
  async agentReply(ws: string, sessionId: string, text: string, agent?: string): Promise<ChatSession> {
    const s = await this.chats.session(ws, sessionId);
    if (!s) throw new AfinError('not_found', `chat session "${sessionId}" not found`, 'sessionId');
    const turn = { role: 'agent' as const, text, at: this.engine.clock(), ...(agent ? { agent } : {}) };
    s.turns.push(turn);
    s.pendingAgent.push(turn);
    s.updatedAt = turn.at;
    await this.chats.saveSession(ws, s);
    return s;
  }

  async resolve(ws: string, sessionId: string): Promise<ChatSession> {
    const s = await this.chats.session(ws, sessionId);
    if (!s) throw new AfinError('not_found', `chat session "${sessionId}" not found`, 'sessionId');
    s.flagged = null;
    s.misunderstood = 0;
    await this.chats.saveSession(ws, s);
    return s;
  }
}

/** Long-term likes and dislikes stated in the message (only with chatMemory consent: `t.memory` is null otherwise). */
function rememberTaste(t: Turn): void {
  const m = t.memory;
  if (!m) return;
  const sl = t.u.slots;
  const add = (list: string[], more: readonly string[]) => [...new Set([...list, ...more])];
  m.dislikes.brands = add(m.dislikes.brands, sl.excluded.brands);
  m.dislikes.colours = add(m.dislikes.colours, sl.excluded.colours);
  m.dislikes.categories = add(m.dislikes.categories, sl.excluded.categories);
  m.dislikes.tags = add(m.dislikes.tags, sl.excluded.tags);
  if (sl.brand) m.likes.brands = add(m.likes.brands, [sl.brand]);
  if (sl.colour) m.likes.colours = add(m.likes.colours, [sl.colour]);
  // A taste stated again the other way round replaces the old one.
  m.likes.brands = m.likes.brands.filter((b) => !sl.excluded.brands.includes(b));
  m.likes.colours = m.likes.colours.filter((c) => !sl.excluded.colours.includes(c));
  if (sl.brand) m.dislikes.brands = m.dislikes.brands.filter((b) => b !== sl.brand);
  if (sl.colour) m.dislikes.colours = m.dislikes.colours.filter((c) => c !== sl.colour);
}

/** The quick replies for a question about `slot`, read from the catalogue; null when the catalogue gives nothing to choose from. */
function questionOptions(slot: AskableSlot, w: Wanted, items: readonly StoredItem[], lang: Lang): string[] | null {
  const skip = lang === 'es' ? 'Me da igual' : "Doesn't matter";
  if (slot === 'product') {
    const counts = new Map<string, number>();
    for (const it of items) if (it.available) for (const c of it.categories ?? []) counts.set(c, (counts.get(c) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 4).map(([c]) => capitalise(label(c, lang)));
    return top.length ? top : null;
  }
  const matching = itemsOfKind(items, w);
  if (slot === 'budget') {
    const prices = matching.map((i) => i.price).filter((p): p is number => p !== undefined).sort((a, b) => a - b);
    if (prices.length < 3) return null;
    const cur = matching.find((i) => i.currency)?.currency;
    const lo = roundPrice(prices[Math.floor(prices.length / 3)]);
    const hi = roundPrice(prices[Math.floor((2 * prices.length) / 3)]);
    if (hi <= lo) return null;
    const f = (v: number) => formatPrice(v, cur, lang);
    return lang === 'es'
      ? [`Menos de ${f(lo)}`, `Entre ${f(lo)} y ${f(hi)}`, `Más de ${f(hi)}`, skip]
      : [`Under ${f(lo)}`, `${f(lo)} to ${f(hi)}`, `Over ${f(hi)}`, skip];
  }
  if (slot === 'use') {
    const uses = countFacet(matching, (it) => [...facetsOf(it).uses]);
    return uses.length >= 2 ? [...uses.slice(0, 3).map((x) => capitalise(label(x, lang))), skip] : null;
  }
  const ruledOut = new Set(w.excluded.colours.map((c) => fold(c)));
  const colours = countFacet(matching, (it) => [...facetsOf(it).colours]).filter((c) => !ruledOut.has(c));
  return colours.length >= 4 ? [...colours.slice(0, 3).map((x) => capitalise(label(x, lang))), skip] : null;
}

/** Purposes that are occasions, not uses: they leave the use question open. */
const OCCASIONS = new Set(['gift']);

/** Intents that say what the person wants whatever else the message holds. */
const STRONG = new Set<Intent>(['human', 'privacy_forget', 'privacy_what_you_know', 'tone_request', 'order_status', 'return_policy', 'shipping']);
/** Words of buying, on folded text (no accents). */
const CART_WORDS = /\b(cart|basket|bag|buy|buying|take|get|order|purchase|add|checkout|carrito|cesta|bolsa|compr\w*|anad\w*|agreg\w*|pid\w*|ped\w*|qued\w*|llev\w*)\b/i;
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

function filled(u: Understanding, slot: AskableSlot): boolean {
  const sl = u.slots;
  switch (slot) {
    case 'product': return Boolean(sl.productType || sl.category);
    case 'budget': return Boolean(sl.budget);
    case 'use': return Boolean(sl.use);
    case 'colour': return Boolean(sl.colour || sl.brand || sl.excluded.colours.length);
  }
}

function guessToneRequest(text: string): 'brief' | 'detailed' | 'informal' | 'formal' | undefined {
  if (/usted|formal/i.test(text)) return 'formal';
  if (/\btú\b|\btu\b|informal|colega|relax/i.test(text)) return 'informal';
  if (/brief|short|breve|corto|conciso|directo|direct/i.test(text)) return 'brief';
  if (/detail|detalle|explica|technical|técnic/i.test(text)) return 'detailed';
  return undefined;
}

function addStats(a: ChatMemory['writing'], b: ChatMemory['writing']): ChatMemory['writing'] {
  const out = { ...a };
  for (const k of Object.keys(b) as Array<keyof typeof b>) out[k] = a[k] + b[k];
  return out;
}

function countFacet(items: readonly StoredItem[], f: (it: StoredItem) => string[]): string[] {
  const c = new Map<string, number>();
  for (const it of items) for (const v of f(it)) c.set(v, (c.get(v) ?? 0) + 1);
  return [...c].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
}

function roundPrice(p: number): number {
  return p >= 100 ? Math.round(p / 10) * 10 : Math.max(5, Math.round(p / 5) * 5);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function firstSentence(text: string): string {
  const m = /^(.{20,240}?[.!?])(\s|$)/.exec(text.trim());
  return m ? m[1] : text.trim().slice(0, 200);
}

function constraintText(w: Wanted, lang: Lang, currency?: string): string {
  const parts: string[] = [];
  if (w.productType || w.category) parts.push(label((w.productType ?? w.category)!, lang));
  if (w.budget) parts.push(budgetText(w.budget, lang, currency));
  if (w.below !== undefined) parts.push(cheaperText(w.below, lang, currency));
  if (w.above !== undefined) parts.push(pricierText(w.above, lang, currency));
  if (w.use) parts.push(useText(w.use, lang));
  if (w.colour) parts.push(lang === 'es' ? `en ${label(w.colour, lang)}` : `in ${label(w.colour, lang)}`);
  if (w.brand) parts.push(lang === 'es' ? `de ${w.brand}` : `by ${w.brand}`);
  const no = [...w.excluded.brands, ...w.excluded.colours.map((c) => label(c, lang))];
  if (no.length) parts.push(lang === 'es' ? `sin ${joinList(no, lang)}` : `no ${joinList(no, lang)}`);
  return parts.join(', ');
}

function cheaperText(price: number, lang: Lang, currency?: string): string {
  return lang === 'es' ? `más barato que ${formatPrice(price, currency, lang)}` : `cheaper than ${formatPrice(price, currency, lang)}`;
}

function pricierText(price: number, lang: Lang, currency?: string): string {
  return lang === 'es' ? `más caro que ${formatPrice(price, currency, lang)}` : `more expensive than ${formatPrice(price, currency, lang)}`;
}

function relaxedText(slots: SoftSlot[], lang: Lang): string {
  const names: Record<SoftSlot, [string, string]> = { colour: ['the colour', 'el color'], use: ['the use', 'el uso'], brand: ['the brand', 'la marca'], tags: ['the features', 'las características'], seats: ['the number of seats', 'el número de plazas'] };
  return joinList(slots.map((s) => names[s][lang === 'es' ? 1 : 0]), lang);
}

function becauseText(b: { itemTitle: string; type: string }, lang: Lang, address: 'tu' | 'usted'): string {
  const en: Record<string, string> = { purchase: 'bought', add_to_cart: 'added', like: 'liked' };
  const esTu: Record<string, string> = { purchase: 'compraste', add_to_cart: 'añadiste', like: 'te gustó' };
  const esUsted: Record<string, string> = { purchase: 'compró', add_to_cart: 'añadió', like: 'le gustó' };
  if (lang === 'es') return `Porque ${(address === 'usted' ? esUsted : esTu)[b.type] ?? (address === 'usted' ? 'vio' : 'viste')} ${b.itemTitle}`;
  return `Because you ${en[b.type] ?? 'viewed'} ${b.itemTitle}`;
}

function ordinalOptions(s: ChatSession, lang: Lang): string[] {
  const names = lang === 'es' ? ['El primero', 'El segundo', 'El tercero'] : ['The first one', 'The second one', 'The third one'];
  return names.slice(0, Math.min(3, s.shown.length));
}

function defaultQuick(s: ChatSession): QuickReplyKey[] {
  return s.shown.length ? ['refine', 'compare', 'add_to_cart'] : ['recommend', 'order_status', 'shipping'];
}

/** The slots the conversation holds, as the contract's `slots` object. */
function describeWanted(w: Wanted, u: Understanding): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['category', 'productType', 'budget', 'use', 'colour', 'brand', 'tags'] as const) if (w[k] !== undefined) out[k] = w[k];
  const ex = w.excluded ?? emptyExcluded();
  if (Object.values(ex).some((l) => l.length)) out.excluded = ex;
  if (u.slots.ordinals?.length) out.ordinals = u.slots.ordinals;
  if (u.slots.comparative) out.comparative = u.slots.comparative;
  return out;
}
