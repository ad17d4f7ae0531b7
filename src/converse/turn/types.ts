/**
 * The shapes a chat turn passes through: the request and the caller, the turn being answered (what
 * was loaded and understood), an action's outcome, and the reply the contract returns.
 */
import type { Profile } from '../../profile/profile.ts';
import type { Grounded } from '../grounding/merge.ts';
import type { Intent, Understanding } from '../nlu/index.ts';
import type { ChatPorts } from '../ports.ts';
import type { Lang } from '../../text/text.ts';
import type { QuickReplyKey } from '../quick-replies.ts';
import type { ChatMemory, ChatSession, ChatStore } from '../session.ts';
import type { Style } from '../templates.ts';

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

/** What the actions and turn steps work with: the chat's ports (store, catalogue, ranking, consent) and its own store. */
export interface Deps extends ChatPorts {
  chats: ChatStore;
}

export interface Turn {
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
  /** The session started with this message. */
  isNew: boolean;
}

export interface Outcome {
  reply: string;
  items?: ChatItem[];
  suggestions?: string[];
  quick?: QuickReplyKey[];
}
