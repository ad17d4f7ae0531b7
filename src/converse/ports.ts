/**
 * What the chat needs from the rest of Afín, in the chat's own terms (wired in `server/compose.ts`).
 * The assistant sees a catalogue, a ranking, a way to record events and the person's consent, not the
 * services behind them, so it can be built (and tested) with anything that answers these.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { ConsentPolicy } from '../domain/consent.ts';
import type { Store } from '../store/store.ts';

/**
 * The stored data the chat reads and writes itself: the person's events, profile and traits, its
 * sessions, memory and FAQ (documents), and the question counters.
 */
export type ChatData = Pick<Store, 'eventsOf' | 'getProfile' | 'getUser' | 'readCounters' | 'bumpCounter' | 'getDoc' | 'putDocs' | 'listDocs' | 'deleteDoc'>;

/** The person's order of the whole catalogue, for the chat to filter on its own. */
export interface Ranking {
  /** Items the person already bought. */
  bought: string[];
  score(id: string): number;
  /** The history entry behind an item's score, if any. */
  because(id: string): { itemId: string; itemTitle: string; type: string } | null;
}

/** An item the recommender suggests, with its reasons. */
export interface SuggestedItem {
  id: string;
  title: string;
  price?: number;
  currency?: string;
  reasons: string[];
}

/** An event the chat records: the conversation itself, or an item put in the cart from it. */
export interface ChatEvent {
  type: 'chat' | 'add_to_cart';
  userId: string;
  itemId?: string;
  channel: string;
  timestamp?: number;
  query?: string;
  properties: Record<string, unknown>;
}

/** A purpose the person can withdraw in the chat ("stop personalising", "forget me"). */
export type ChatConsentPurpose = 'personalization' | 'chatMemory';

/**
 * The ports the assistant, its opener and its routes use. A plain object of functions and values:
 * the assistant spreads it into what its turn steps receive.
 */
export interface ChatPorts {
  store: ChatData;
  clock(): number;
  /** The catalogue of a workspace, as currently served. */
  catalog(ws: string): Promise<Catalog>;
  /** Rank the catalogue for this person (`personalize`: may their history be used). */
  rankFor(ws: string, userId: string, personalize: boolean): Promise<Ranking>;
  /** The recommendations for this person, as the recommendations route answers them. */
  recommend(ws: string, q: { userId: string; n: number; context: 'chat' }): Promise<{ items: SuggestedItem[] }>;
  /** Record these events, as the events route would (consent and erasure apply). */
  recordEvents(ws: string, events: ChatEvent[]): Promise<unknown>;
  /** This person's consent: what may be used, and whether they were erased. */
  consentOf(ws: string, userId: string): Promise<ConsentPolicy>;
  /** Withdraw a purpose of this person's consent, recorded as said in the chat. */
  withdrawConsent(ws: string, userId: string, purpose: ChatConsentPurpose): Promise<unknown>;
  /** The userId a user token was minted for, or null if it is not valid in this workspace. */
  verifyUserToken(ws: string, token: string): Promise<string | null>;
  /**
   * A proactive nudge waiting for this person's next conversation (its session already holds the
   * message), taken so it opens one conversation only; null when there is none.
   */
  takeChatNudge?(
    ws: string,
    userId: string,
  ): Promise<{ nudgeId: string; sessionId: string; message: string; trigger: string; items: SuggestedNudgeItem[] } | null>;
}

export interface SuggestedNudgeItem {
  id: string;
  title: string;
  price?: number;
  currency?: string;
}
