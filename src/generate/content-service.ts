/**
 * Content for one person: emails and product descriptions written from facts, by the embedded writer
 * or, when one is configured, an LLM whose text must pass the fact checker. Consent is read once per
 * piece: an email needs `marketing`; without `personalization` the piece is the generic one (the shop's
 * order, no interests, the recommender's non-personal answer).
 */
import { AfinError, parseOr } from '../domain/errors.ts';
import type { StoredItem } from '../domain/schemas.ts';
import { factLines, itemFacts, readerOf, type Signal } from './facts.ts';
import type { LlmOutcome, LlmWriter } from './llm-writer.ts';
import type { ContentExposure, ContentPorts, PersonView } from './ports.ts';
import { ContentReview, type ReviewableKind } from './review.ts';
import { HeadlineService } from './headline-service.ts';
import { OnboardingService } from './onboarding-service.ts';
import { newId, styleFields, type PieceCommon } from './piece.ts';
import { BOUGHT_BEFORE, STILL_IN_CART } from './reasons.ts';
import { BrandVoice, DescriptionBody, EmailBody, type BrandVoiceT, type EmailGoal } from './schemas.ts';
import { escapeHtml, writeDescription, writeEmail, type WrittenItem } from './writer.ts';

export const VOICE_COLLECTION = 'settings';
export const VOICE_DOC = 'content-voice';

const DEFAULT_ITEMS = 4;
/** New arrivals are chosen among this many newest items. */
const NEWEST = 40;

export interface EmailPiece extends PieceCommon {
  kind: 'email';
  goal: EmailGoal;
  subject: string;
  text: string;
  html: string;
  items: WrittenItem[];
  recommendationId: string | null;
}

export interface DescriptionPiece extends PieceCommon {
  kind: 'description';
  itemId: string;
  title: string;
  text: string;
  html: string;
}

export class ContentService {
  /** Onboarding plans and headlines/ad copy: the same ports and brand voice. */
  readonly onboarding: OnboardingService;
  readonly headlines: HeadlineService;
  /** Pieces held for a person to approve, edit or reject (`GET /v1/review`). */
  readonly review: ContentReview;

  constructor(
    private readonly ports: ContentPorts,
    private readonly llm?: LlmWriter,
  ) {
    this.onboarding = new OnboardingService(ports, (ws) => this.voice(ws));
    this.headlines = new HeadlineService(ports, (ws) => this.voice(ws));
    this.review = new ContentReview(ports, (p, text) => textToHtml(typeof p.subject === 'string' ? p.subject : null, text, p.language === 'es' ? 'es' : 'en'));
  }

  async voice(ws: string): Promise<BrandVoiceT> {
    const doc = await this.ports.docs.getDoc(ws, VOICE_COLLECTION, VOICE_DOC);
    const parsed = BrandVoice.safeParse(doc?.body ?? {});
    return parsed.success ? parsed.data : BrandVoice.parse({});
  }

  async saveVoice(ws: string, body: unknown): Promise<BrandVoiceT> {
    const voice = parseOr(BrandVoice, body ?? {}, 'invalid_body');
    await this.ports.docs.putDocs(ws, [{ collection: VOICE_COLLECTION, id: VOICE_DOC, subject: null, body: voice, createdAt: this.ports.clock() }]);
    return voice;
  }

  /** An email, served at once (its exposure logged); `serve` is the route's way, which may hold it for review. */
  async email(ws: string, raw: unknown): Promise<EmailPiece> {
    const w = await this.writeEmail(ws, raw);
    if (w.exposure) await this.ports.exposed?.(ws, w.exposure);
    return w.piece;
  }

  async description(ws: string, raw: unknown): Promise<DescriptionPiece> {
    const w = await this.writeDescription(ws, raw);
    if (w.exposure) await this.ports.exposed?.(ws, w.exposure);
    return w.piece;
  }

  /**
   * A piece as its route answers it: at once, or held for review when the request asks for it
   * (`review: true`) or the brand voice holds every piece of its kind; a held piece's text is not answered.
   */
  async serve(ws: string, kind: ReviewableKind, raw: unknown): Promise<EmailPiece | DescriptionPiece | Awaited<ReturnType<ContentReview['hold']>>> {
    const w = kind === 'email' ? await this.writeEmail(ws, raw) : await this.writeDescription(ws, raw);
    const asked = (raw as { review?: boolean }).review;
    const held = asked ?? (await this.voice(ws)).review?.includes(kind) ?? false;
    if (!held) {
      if (w.exposure) await this.ports.exposed?.(ws, w.exposure);
      return w.piece;
    }
    return this.review.hold(ws, w.userId, kind, w.piece as unknown as Parameters<ContentReview['hold']>[3], w.exposure ?? undefined);
  }

  private async writeEmail(ws: string, raw: unknown): Promise<{ piece: EmailPiece; userId: string; exposure: ContentExposure | null }> {
    const { userId, goal, n = DEFAULT_ITEMS } = parseOr(EmailBody, raw, 'invalid_body');
    const policy = await this.ports.consentOf(ws, userId);
    if (!policy.marketing)
      throw new AfinError('conflict', `userId: "${userId}" has not consented to marketing (consent purpose "marketing"), so no email is written`, 'userId');
    const personalized = policy.personalization;
    const [voice, person, catalog] = await Promise.all([this.voice(ws), this.ports.person(ws, userId), this.ports.catalog(ws)]);
    const reader = readerOf(person, voice, personalized);
    const chosen = await this.chooseItems(ws, goal, userId, n, personalized ? person : null, catalog);
    const items = chosen.items.map((c) => itemFacts(c.item, reader.lang, c.reasons));
    const anchor = chosen.anchor ? itemFacts(chosen.anchor, reader.lang) : undefined;
    const numbers = [items.length, ...(reader.daysSinceLastSeen !== null ? [reader.daysSinceLastSeen] : [])];
    const draft = writeEmail({ goal, reader, voice, items, anchor });
    const facts = {
      items: anchor ? [...items, anchor] : items,
      numbers,
      names: [reader.name, voice.brand].filter((s): s is string => !!s),
      brand: voice.brand,
    };
    let by: 'embedded' | 'llm' = 'embedded';
    let subject = draft.subject;
    let text = draft.text;
    let html = draft.html;
    let llm: LlmOutcome | undefined;
    if (this.llm) {
      llm = await this.llm.write({ kind: 'email', goal, anchor }, reader, { ...facts, catalogTitles: catalogTitles(catalog.items) });
      if (llm.piece) {
        by = 'llm';
        subject = llm.piece.subject ?? subject;
        text = llm.piece.text;
        html = textToHtml(subject, text, reader.lang);
      }
    }
    const signals = [...reader.signals, ...chosen.signals];
    const piece: EmailPiece = {
      contentId: newId(),
      kind: 'email',
      goal,
      by,
      personalized,
      ...styleFields(reader),
      subject,
      text,
      html,
      items: draft.items,
      recommendationId: chosen.recommendationId,
      basis: { signals, facts: [...items, ...(anchor ? [anchor] : [])].flatMap(factLines) },
      ...(llm ? { llm: llmSummary(llm) } : {}),
    };
    const exposure = policy.erased
      ? null
      : { contentId: piece.contentId, userId, kind: `email:${goal}`, by, itemIds: items.map((f) => f.id), at: this.ports.clock() };
    return { piece, userId, exposure };
  }

  private async writeDescription(ws: string, raw: unknown): Promise<{ piece: DescriptionPiece; userId: string; exposure: ContentExposure | null }> {
    const { userId, itemId } = parseOr(DescriptionBody, raw, 'invalid_body');
    const [policy, voice, catalog] = await Promise.all([this.ports.consentOf(ws, userId), this.voice(ws), this.ports.catalog(ws)]);
    const item = catalog.get(itemId);
    if (!item) throw new AfinError('not_found', `itemId: no item "${itemId}" in this workspace`, 'itemId');
    const personalized = policy.personalization;
    const person = await this.ports.person(ws, userId);
    const reader = readerOf(person, voice, personalized);
    const facts = itemFacts(item, reader.lang);
    const draft = writeDescription(facts, reader);
    let by: 'embedded' | 'llm' = 'embedded';
    let text = draft.text;
    let html = draft.html;
    let llm: LlmOutcome | undefined;
    if (this.llm) {
      llm = await this.llm.write({ kind: 'description' }, reader, { items: [facts], catalogTitles: catalogTitles(catalog.items) });
      if (llm.piece) {
        by = 'llm';
        text = llm.piece.text;
        html = textToHtml(null, text, reader.lang);
      }
    }
    const used = new Set(['title', ...draft.order]);
    const piece: DescriptionPiece = {
      contentId: newId(),
      kind: 'description',
      itemId,
      by,
      personalized,
      ...styleFields(reader),
      title: item.title,
      text,
      html,
      basis: { signals: reader.signals, facts: factLines(facts).filter((f) => by === 'llm' || used.has(f.field)) },
      ...(llm ? { llm: llmSummary(llm) } : {}),
    };
    const exposure = policy.erased ? null : { contentId: piece.contentId, userId, kind: 'description', by, itemIds: [itemId], at: this.ports.clock() };
    return { piece, userId, exposure };
  }

  /**
   * The items an email shows, by goal, with the reasons they are shown. Without personalization
   * (`person` null) every goal shows the recommender's non-personal answer.
   */
  private async chooseItems(
    ws: string,
    goal: EmailGoal,
    userId: string,
    n: number,
    person: PersonView | null,
    catalog: { items: readonly StoredItem[]; get(id: string): StoredItem | undefined },
  ): Promise<{ items: Array<{ item: StoredItem; reasons: string[] }>; anchor?: StoredItem; recommendationId: string | null; signals: Signal[] }> {
    const signals: Signal[] = [];
    const known = (id: string) => catalog.get(id);
    const fromRecs = async (q: Parameters<ContentPorts['recommend']>[1]) => {
      const r = await this.ports.recommend(ws, q);
      const items = r.items.flatMap((it) => {
        const item = known(it.id);
        return item ? [{ item, reasons: it.reasons }] : [];
      });
      return { items, recommendationId: r.recommendationId };
    };
    if (goal === 'cart-reminder') {
      // The words say "still in your cart": without a cart to show (or consent to read it) there is no such email.
      const cart = (person?.features.cart ?? []).map(known).filter((it): it is StoredItem => !!it);
      if (!cart.length)
        throw new AfinError(
          'conflict',
          person
            ? `goal: "cart-reminder" needs items in the person's cart, and "${userId}" has none`
            : `goal: "cart-reminder" reads the person's cart, which "${userId}" has not allowed (consent purpose "personalization")`,
          'goal',
        );
      signals.push({ name: 'cart', value: cart.map((c) => c.id), source: 'profile' });
      return { items: cart.slice(0, n).map((item) => ({ item, reasons: [STILL_IN_CART] })), recommendationId: null, signals };
    }
    if (goal === 'post-purchase' && person) {
      const anchor = person.bought.map(known).find((it): it is StoredItem => !!it);
      if (anchor) {
        signals.push({ name: 'lastBought', value: anchor.id, source: 'profile' });
        const r = await fromRecs({ userId, n, context: 'item', itemId: anchor.id, exclude: [anchor.id] });
        return { ...r, anchor, signals };
      }
    }
    if (goal === 'new-arrivals') {
      const newest = catalog.items
        .filter((it) => it.available)
        .sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id))
        .slice(0, NEWEST);
      // The recommender orders the newest items for this person; those it does not rank keep the newest-first order.
      const r = await this.ports.recommend(ws, { userId, n: 100, context: 'email' });
      const rank = new Map(r.items.map((it, k) => [it.id, { k, reasons: it.reasons }]));
      const ordered = newest
        .map((item, k) => ({ item, k, hit: rank.get(item.id) }))
        .sort((a, b) => (a.hit?.k ?? 1000 + a.k) - (b.hit?.k ?? 1000 + b.k))
        .slice(0, n)
        .map(({ item, hit }) => ({ item, reasons: ['New in the catalogue', ...(hit?.reasons ?? []).filter((x) => x !== 'New in the catalogue')] }));
      return { items: ordered, recommendationId: r.recommendationId, signals };
    }
    if (goal === 'replenishment') {
      // The words say "you may be running low": only items the person bought belong in it.
      if (!person?.bought.some((id) => known(id)))
        throw new AfinError(
          'conflict',
          person
            ? `goal: "replenishment" is about items bought before, and "${userId}" has bought none`
            : `goal: "replenishment" reads the person's purchases, which "${userId}" has not allowed (consent purpose "personalization")`,
          'goal',
        );
      const r = await fromRecs({ userId, n: Math.max(n * 3, 12), context: 'email', includePurchased: true });
      const bought = new Set(person.bought);
      const ranked = r.items.filter((x) => bought.has(x.item.id));
      // Bought items the recommender did not rank follow, oldest purchase last.
      const rest = person.bought
        .filter((id) => !ranked.some((x) => x.item.id === id))
        .map(known)
        .filter((it): it is StoredItem => !!it)
        .map((item) => ({ item, reasons: [BOUGHT_BEFORE] }));
      const items = [...ranked, ...rest].slice(0, n);
      signals.push({ name: 'bought', value: items.map((x) => x.item.id), source: 'profile' });
      return { items, recommendationId: r.recommendationId, signals };
    }
    const r = await fromRecs({ userId, n, context: 'email' });
    return { ...r, signals };
  }
}

function llmSummary(o: LlmOutcome): { attempts: number; problems: string[] } {
  return { attempts: o.attempts.length, problems: o.attempts.flatMap((a) => a.problems) };
}

const titlesCache = new WeakMap<readonly StoredItem[], string[]>();
function catalogTitles(items: readonly StoredItem[]): string[] {
  let t = titlesCache.get(items);
  if (!t) titlesCache.set(items, (t = items.map((i) => i.title)));
  return t;
}

/** The LLM's plain text as simple HTML: paragraphs, and "- " lines as a list. */
export function textToHtml(subject: string | null, text: string, lang: 'en' | 'es'): string {
  const blocks = text
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  const body = blocks
    .map((b) => {
      const lines = b.split('\n').map((l) => l.trim());
      if (lines.every((l) => l.startsWith('- '))) return `<ul>${lines.map((l) => `<li>${escapeHtml(l.slice(2))}</li>`).join('')}</ul>`;
      return `<p>${lines.map(escapeHtml).join('<br>')}</p>`;
    })
    .join('\n');
  const title = subject ? `<title>${escapeHtml(subject)}</title>` : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">${title}</head>\n<body style="font-family:sans-serif;line-height:1.5;max-width:600px">\n${body}\n</body></html>`;
}
