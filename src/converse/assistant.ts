/**
 * The embedded shop assistant: understands a message, keeps the conversation's state, asks what it
 * needs (at most two questions, one at a time), recommends from the real catalogue, and remembers the
 * person across sessions when their consent allows.
 *
 * A turn is a loop of small steps: load (turn/load.ts) → understand (turn/load.ts, turn/intent.ts) →
 * decide and act (turn/decide.ts over actions/, the form in turn/form.ts) → save (turn/save.ts). The
 * words are in templates.ts.
 */
import { LRUCache } from 'lru-cache';
import { AfinError } from '../domain/errors.ts';
import { funnelStage } from '../profile/profile.ts';
import { emptyExcluded, type Wanted } from './catalog-search.ts';
import { LlmReplier, type LlmSettings } from './llm-reply.ts';
import type { ChatPorts } from './ports.ts';
import { buildVocabulary, trainIntentModel, type IntentModel, type Nlu, type Understanding } from './nlu/index.ts';
import { quickReplies, type QuickReplyKey } from './quick-replies.ts';
import { ChatStore, type ChatSession } from './session.ts';
import { respond } from './turn/decide.ts';
import { load, understandTurn } from './turn/load.ts';
import { save } from './turn/save.ts';
import type { ChatCaller, ChatReply, ChatRequest, Deps, Turn } from './turn/types.ts';

export type { ChatCaller, ChatItem, ChatReply, ChatRequest } from './turn/types.ts';
export { effectiveIntent } from './turn/intent.ts';

/**
 * The vocabularies of the workspaces chatted with most recently. A vocabulary is derived from the
 * whole catalogue, so one per workspace ever seen would grow with the number of shops; a workspace
 * whose vocabulary was dropped rebuilds it on its next message (0.2–0.3 s for a few thousand items).
 */
const VOCABULARIES_KEPT = 100;

/** The intent model is the same for every workspace: trained once per process, at first use. */
let sharedModel: IntentModel | null = null;
export function intentModel(): IntentModel {
  return (sharedModel ??= trainIntentModel(1));
}

export class Assistant {
  readonly chats: ChatStore;
  private readonly vocabularies = new LRUCache<string, { version: number; nlu: Nlu }>({ max: VOCABULARIES_KEPT });
  private readonly llm: LlmReplier | null;
  private readonly deps: Deps;

  constructor(
    private readonly ports: ChatPorts,
    llm?: LlmSettings,
  ) {
    this.chats = new ChatStore(ports.store);
    this.llm = llm ? new LlmReplier(ports, llm) : null;
    this.deps = { ...ports, chats: this.chats };
  }

  private async nlu(ws: string): Promise<Nlu> {
    const catalog = await this.ports.catalog(ws);
    const hit = this.vocabularies.get(ws);
    if (hit && hit.version === catalog.version && catalog.version !== 0) return hit.nlu;
    const nlu = { model: intentModel(), vocabulary: buildVocabulary(catalog.items) };
    this.vocabularies.set(ws, { version: catalog.version, nlu });
    return nlu;
  }

  async reply(ws: string, req: ChatRequest, caller: ChatCaller = { proven: false }): Promise<ChatReply> {
    const now = this.ports.clock();
    const loaded = await load(this.deps, ws, req, now);
    const turn = await understandTurn(this.deps, ws, req, caller, loaded, await this.nlu(ws), now);
    const { session, style, u } = turn;
    let out = await respond(this.deps, turn);
    let by: 'embedded' | 'llm' = 'embedded';
    if (this.llm) {
      // The embedded answer is the draft (and the fallback); the LLM may write it better.
      const r = await this.llm.rewrite(
        { ws, session, style, message: req.message, intent: turn.intent, personalize: loaded.allowed.personalization, proven: caller.proven && !loaded.erased },
        out,
      );
      by = r.by;
      out = { ...out, reply: r.reply, items: r.items };
    }
    const { items, agentMessages } = await save(this.deps, turn, req, out, now);
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
      personalized: loaded.allowed.personalization && (loaded.memory !== null || items.length > 0),
      flagged: session.flagged !== null,
      agentMessages,
      by,
    };
  }

  /** The next questions offered: those people at the same funnel stage asked most, among the ones that fit now. */
  private async suggest(t: Turn, candidates: QuickReplyKey[]): Promise<string[]> {
    const counters = await this.ports.store.readCounters(t.ws);
    const stage = funnelStage(t.profile, this.ports.clock());
    const freq = (k: QuickReplyKey) => counters[`chat:q:${stage}:${k}`] ?? 0;
    const ranked = [...candidates].sort((a, b) => freq(b) - freq(a) || candidates.indexOf(a) - candidates.indexOf(b));
    return quickReplies(ranked.slice(0, 3), t.style);
  }

  /** A human agent's reply: it joins the transcript and reaches the person with their next answer. */
  async agentReply(ws: string, sessionId: string, text: string, agent?: string): Promise<ChatSession> {
    const s = await this.chats.session(ws, sessionId);
    if (!s) throw new AfinError('not_found', `chat session "${sessionId}" not found`, 'sessionId');
    const turn = { role: 'agent' as const, text, at: this.ports.clock(), ...(agent ? { agent } : {}) };
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
