import { viewProfile, type Profile } from '../profile/profile.ts';
import { facetsOf, mergeWanted, searchCatalog, type Wanted } from './catalog-search.ts';
import { LlmClient, LlmError, checkGrounding, runToolLoop, type ChatMessage, type LoopTool } from '../llm/index.ts';
import type { ChatPorts } from './ports.ts';
import type { ChatSession } from './session.ts';
import type { Style } from './templates.ts';

/** What the embedded assistant decided for this turn: the LLM rewrites it, or it stands. */
export interface Draft {
  reply: string;
  items?: Array<{ id: string; title: string; price?: number; currency?: string; reasons: string[] }>;
}

export interface LlmTurn {
  ws: string;
  session: ChatSession;
  style: Style;
  message: string;
  intent: string;
  personalize: boolean;
  /** The person is proven (a user token or a server key): only then may the LLM read their profile. */
  proven: boolean;
}

export interface LlmSettings {
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

export const LANGUAGE_NAME = { en: 'English', es: 'Spanish' } as const;
export const TONE_RULE = {
  informal: 'warm and relaxed, short sentences, an emoji now and then',
  technical: 'precise, mention specifications and trade-offs',
  direct: 'as short as possible: one or two sentences',
} as const;

/**
 * The optional real LLM: an OpenAI-compatible endpoint writes the reply and may call Afín's tools.
 * Products and prices still come only from the catalogue: a reply naming anything the tools did not
 * return is regenerated once, then replaced by the embedded answer, as is any timeout or error.
 */
export class LlmReplier {
  private readonly client: LlmClient;

  constructor(
    private readonly ports: ChatPorts,
    settings: LlmSettings,
  ) {
    this.client = new LlmClient({ baseUrl: settings.url, model: settings.model, apiKey: settings.apiKey, timeoutMs: settings.timeoutMs ?? 15_000 });
  }

  async rewrite(t: LlmTurn, draft: Draft): Promise<Draft & { by: 'llm' | 'embedded'; problems?: string[] }> {
    const catalog = await this.ports.catalog(t.ws);
    const returned = new Map<string, { id: string; title: string; price?: number; currency?: string }>();
    for (const it of draft.items ?? []) returned.set(it.id, it);
    const tools = this.tools(t, returned);
    const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt(t, draft) }];
    for (const turn of t.session.turns.slice(-9, -1)) {
      if (turn.role === 'user') messages.push({ role: 'user', content: turn.text });
      else messages.push({ role: 'assistant', content: turn.text });
    }
    messages.push({ role: 'user', content: t.message });
    const allowedAmounts = [t.session.wanted.budget?.max, t.session.wanted.budget?.min, t.session.wanted.budget?.around].filter(
      (x): x is number => x !== undefined,
    );
    let problems: string[] = [];
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const r = await runToolLoop(this.client, { messages, tools, maxSteps: 4, stream: true, temperature: 0.3 });
        const shown = [...returned.values()];
        const g = checkGrounding(r.reply, { items: catalog.items.map((i) => ({ id: i.id, title: i.title, price: i.price, currency: i.currency })) }, shown, {
          allowedAmounts,
          allowedNames: [t.message],
        });
        if (g.ok) return { reply: r.reply.trim(), items: mentioned(r.reply, shown, draft), by: 'llm' };
        problems = g.problems;
        messages.push(...r.messages.slice(messages.length), {
          role: 'user',
          content: `(System check, not the customer: your reply named things that are not in the catalogue results: ${g.problems.join('; ')}. Rewrite it using only items and prices returned by the tools.)`,
        });
      }
    } catch (e) {
      if (!(e instanceof LlmError)) throw e;
      problems = [`${e.kind}: ${e.message}`];
    }
    return { ...draft, by: 'embedded', problems };
  }

  private tools(t: LlmTurn, returned: Map<string, { id: string; title: string; price?: number; currency?: string }>): Record<string, LoopTool> {
    const e = this.ports;
    const remember = (items: Array<{ id: string; title: string; price?: number; currency?: string }>) => {
      for (const it of items) returned.set(it.id, it);
      return items;
    };
    return {
      search_catalog: {
        description: 'Search the shop catalogue. Every hard constraint is applied; results are ranked for this customer.',
        parameters: {
          type: 'object',
          properties: {
            productType: { type: 'string', description: 'a product type or category, e.g. headphones' },
            maxPrice: { type: 'number' },
            minPrice: { type: 'number' },
            use: { type: 'string' },
            colour: { type: 'string' },
            brand: { type: 'string' },
            excludeBrands: { type: 'array', items: { type: 'string' } },
            excludeColours: { type: 'array', items: { type: 'string' } },
            n: { type: 'integer', minimum: 1, maximum: 5 },
          },
        },
        run: async (raw) => {
          const a = (raw ?? {}) as Record<string, unknown>;
          let w: Wanted = t.session.wanted;
          w = mergeWanted(w, {
            productType: typeof a.productType === 'string' ? a.productType : undefined,
            budget: a.maxPrice !== undefined || a.minPrice !== undefined ? { max: num(a.maxPrice), min: num(a.minPrice) } : undefined,
            use: str(a.use),
            colour: str(a.colour),
            brand: str(a.brand),
            excluded: { brands: strs(a.excludeBrands), colours: strs(a.excludeColours), categories: [], tags: [], styles: [] },
            mentions: [],
          });
          const catalog = await e.catalog(t.ws);
          const ranking = await e.rankFor(t.ws, t.session.userId, t.personalize);
          const found = searchCatalog(catalog.items, w, (id) => ranking.score(id), new Set(ranking.bought), Math.min(5, Math.max(1, Number(a.n) || 3)));
          return {
            items: remember(found.items.map((it) => ({ id: it.id, title: it.title, price: it.price, currency: it.currency, brand: facetsOf(it).brand }))),
          };
        },
      },
      recommend: {
        description: 'The items this customer is most likely to want right now, from their history.',
        parameters: { type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 5 } } },
        run: async (raw) => {
          const n = Math.min(5, Math.max(1, Number((raw as { n?: number } | null)?.n) || 3));
          const r = await e.recommend(t.ws, { userId: t.session.userId, n, context: 'chat' });
          return { items: remember(r.items.map((i) => ({ id: i.id, title: i.title, price: i.price, currency: i.currency, reasons: i.reasons }))) };
        },
      },
      ...(t.proven ? { get_profile: this.profileTool(t) } : {}),
      add_to_cart: {
        description: "Put an item in the customer's cart. Only for items you have shown them.",
        parameters: { type: 'object', properties: { itemId: { type: 'string' } }, required: ['itemId'] },
        run: async (raw) => {
          const id = str((raw as { itemId?: unknown } | null)?.itemId);
          if (!id || !returned.has(id)) return { error: 'only items returned by search_catalog or recommend can be added' };
          await e.recordEvents(t.ws, [
            { type: 'add_to_cart', userId: t.session.userId, itemId: id, channel: 'chat', properties: { sessionId: t.session.id, by: 'llm' } },
          ]);
          return { added: id };
        },
      },
    };
  }

  /** The profile, for a proven person only: with a public key anyone can name anyone's userId. */
  private profileTool(t: LlmTurn): LoopTool {
    const e = this.ports;
    return {
      description: "What Afín knows about this customer's tastes (only what their consent allows).",
      parameters: { type: 'object', properties: {} },
      run: async () => {
        if (!t.personalize) return { note: 'The customer has not consented to personalisation.' };
        const p = (await e.store.getProfile(t.ws, t.session.userId)) as Profile | null;
        const v = viewProfile(p, e.clock(), { terciles: (await e.catalog(t.ws)).terciles });
        return { funnelStage: v.funnelStage, categories: v.affinities.categories.slice(0, 5), priceBand: v.features.priceBand };
      },
    };
  }
}

function systemPrompt(t: LlmTurn, draft: Draft): string {
  const lines = [
    'You are the shop assistant of an online store, chatting with a customer.',
    `Answer in ${LANGUAGE_NAME[t.style.lang]}${t.style.lang === 'es' ? `, addressing the customer as "${t.style.address === 'usted' ? 'usted' : 'tú'}"` : ''}. Style: ${TONE_RULE[t.style.tone]}.`,
    'Only mention products returned by the tools (or listed below), with their exact title and exact price. Never invent products, prices, discounts or stock.',
    'Ask at most one question at a time. Politely decline anything unrelated to shopping.',
    `The customer's request so far: ${JSON.stringify(t.session.wanted)}. Detected intent of the last message: ${t.intent}.`,
    `A draft answer from the store's own assistant, which you may rephrase: ${JSON.stringify(draft.reply)}`,
  ];
  if (draft.items?.length)
    lines.push(`Items the draft shows: ${JSON.stringify(draft.items.map(({ id, title, price, currency }) => ({ id, title, price, currency })))}`);
  return lines.join('\n');
}

/** The items the reply talks about: those whose title it names, else the draft's own items. */
function mentioned(reply: string, shown: Array<{ id: string; title: string; price?: number; currency?: string }>, draft: Draft): Draft['items'] {
  const lower = reply.toLowerCase();
  const named = shown.filter((i) => lower.includes(i.title.toLowerCase()));
  if (named.length)
    return named.slice(0, 5).map((i) => ({ ...i, reasons: draft.items?.find((d) => d.id === i.id)?.reasons ?? ['Suggested in the conversation'] }));
  return (draft.items ?? []).filter((i) => lower.includes(i.title.toLowerCase()));
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined);
const strs = (v: unknown) =>
  Array.isArray(v)
    ? v
        .map(str)
        .filter((x): x is string => Boolean(x))
        .slice(0, 20)
    : [];
