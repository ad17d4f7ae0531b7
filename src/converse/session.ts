import type { Store } from '../store/store.ts';
import type { Wanted } from './catalog-search.ts';
import { emptyExcluded } from './catalog-search.ts';
import type { Budget } from './nlu/slots.ts';
import type { Lang } from '../text/text.ts';
import type { Address, Tone } from './templates.ts';
import { emptyStats, type WritingStats } from './tone.ts';

/** A slot the assistant may ask for before it recommends. */
export type AskableSlot = 'product' | 'budget' | 'use' | 'colour';

export interface ShownItem {
  id: string;
  title: string;
  price?: number;
  currency?: string;
}

export interface ChatTurn {
  role: 'user' | 'assistant' | 'agent';
  text: string;
  at: number;
  intent?: string;
  items?: ShownItem[];
  agent?: string;
}

/** Everything a conversation remembers within one session. */
export interface ChatSession {
  id: string;
  userId: string;
  createdAt: number;
  updatedAt: number;
  language: Lang | null;
  /** Set by an explicit request; wins over what is learned. */
  tone: Tone | null;
  address: Address | null;
  writing: WritingStats;
  /** How the person wrote in earlier sessions (from memory), so this session's evidence adds to it once. */
  pastWriting: WritingStats | null;
  wanted: Wanted;
  /** The slot the last question asked for. */
  requested: AskableSlot | null;
  /** Slots asked for in the current request (at most two questions before recommending). */
  asked: AskableSlot[];
  /** Slots the person said do not matter. */
  skipped: AskableSlot[];
  /** Colours were ruled out within the current request: the taste question is not needed. */
  tasteSaid?: boolean;
  shown: ShownItem[];
  focus: string | null;
  /** Items shown earlier and moved away from ("something cheaper"), kept out of later lists. */
  rejected: string[];
  misunderstood: number;
  flagged: { at: number; reason: 'asked_for_person' | 'not_understood' } | null;
  /** Agent replies not yet delivered in a chat answer. */
  pendingAgent: ChatTurn[];
  turns: ChatTurn[];
}

/** What carries over between sessions, when the person's `chatMemory` consent allows. */
export interface ChatMemory {
  updatedAt: number;
  lastSessionAt: number | null;
  lastTopic: { productType?: string; category?: string; use?: string } | null;
  budgets: Record<string, Budget>;
  likes: { brands: string[]; colours: string[] };
  dislikes: { brands: string[]; colours: string[]; categories: string[]; tags: string[] };
  language: Lang | null;
  tone: Tone | null;
  address: Address | null;
  writing: WritingStats;
}

export const SESSION_COLLECTION = 'chat_session';
export const MEMORY_COLLECTION = 'chat_memory';
const MAX_TURNS = 400;

export function newSession(id: string, userId: string, at: number): ChatSession {
  return {
    id,
    userId,
    createdAt: at,
    updatedAt: at,
    language: null,
    tone: null,
    address: null,
    writing: emptyStats(),
    pastWriting: null,
    wanted: { excluded: emptyExcluded() },
    requested: null,
    asked: [],
    skipped: [],
    shown: [],
    focus: null,
    rejected: [],
    misunderstood: 0,
    flagged: null,
    pendingAgent: [],
    turns: [],
  };
}

export function emptyMemory(at: number): ChatMemory {
  return {
    updatedAt: at,
    lastSessionAt: null,
    lastTopic: null,
    budgets: {},
    likes: { brands: [], colours: [] },
    dislikes: { brands: [], colours: [], categories: [], tags: [] },
    language: null,
    tone: null,
    address: null,
    writing: emptyStats(),
  };
}

/** Sessions and long-term memory live in the store's documents, filed under the person (export, erasure). */
export class ChatStore {
  constructor(private readonly store: Pick<Store, 'getDoc' | 'putDocs' | 'listDocs' | 'deleteDoc'>) {}

  async session(ws: string, id: string): Promise<ChatSession | null> {
    const d = await this.store.getDoc(ws, SESSION_COLLECTION, id);
    return d ? (d.body as unknown as ChatSession) : null;
  }

  async saveSession(ws: string, s: ChatSession): Promise<void> {
    if (s.turns.length > MAX_TURNS) s.turns = s.turns.slice(-MAX_TURNS);
    await this.store.putDocs(ws, [
      { collection: SESSION_COLLECTION, id: s.id, subject: s.userId, createdAt: s.createdAt, body: s as unknown as Record<string, unknown> },
    ]);
  }

  async sessionsOf(ws: string, userId: string, limit = 20): Promise<ChatSession[]> {
    return (await this.store.listDocs(ws, SESSION_COLLECTION, { subject: userId, limit })).map((d) => d.body as unknown as ChatSession);
  }

  /** Sessions waiting for a human agent, newest first. */
  async flagged(ws: string, limit = 100): Promise<ChatSession[]> {
    return (await this.store.listDocs(ws, SESSION_COLLECTION, { limit: 1000 }))
      .map((d) => d.body as unknown as ChatSession)
      .filter((s) => s.flagged)
      .slice(0, limit);
  }

  async memory(ws: string, userId: string): Promise<ChatMemory | null> {
    const d = await this.store.getDoc(ws, MEMORY_COLLECTION, userId);
    return d ? (d.body as unknown as ChatMemory) : null;
  }

  /** A turn's session and, when kept, the person's memory, in one write (one commit instead of two). */
  async saveTurn(ws: string, s: ChatSession, m: ChatMemory | null): Promise<void> {
    if (s.turns.length > MAX_TURNS) s.turns = s.turns.slice(-MAX_TURNS);
    await this.store.putDocs(ws, [
      { collection: SESSION_COLLECTION, id: s.id, subject: s.userId, createdAt: s.createdAt, body: s as unknown as Record<string, unknown> },
      ...(m ? [{ collection: MEMORY_COLLECTION, id: s.userId, subject: s.userId, createdAt: m.updatedAt, body: m as unknown as Record<string, unknown> }] : []),
    ]);
  }

  async saveMemory(ws: string, userId: string, m: ChatMemory): Promise<void> {
    await this.store.putDocs(ws, [
      { collection: MEMORY_COLLECTION, id: userId, subject: userId, createdAt: m.updatedAt, body: m as unknown as Record<string, unknown> },
    ]);
  }

  /** Forgets everything that carries over between sessions, and the past sessions themselves. */
  async forget(ws: string, userId: string, keepSession?: string): Promise<void> {
    await this.store.deleteDoc(ws, MEMORY_COLLECTION, userId);
    for (const s of await this.sessionsOf(ws, userId, 1000)) if (s.id !== keepSession) await this.store.deleteDoc(ws, SESSION_COLLECTION, s.id);
  }
}
