/**
 * What the content writer needs from the rest of Afín, in its own terms (wired in `server/compose.ts`):
 * a catalogue, a person as the profile route shows them, their consent, their recommendations, a place
 * for the workspace's brand voice, and (when the experiment slice is there) the exposure log.
 */
import type { ConsentPolicy } from '../domain/consent.ts';
import type { StoredItem } from '../domain/schemas.ts';
import type { Store } from '../store/store.ts';

/** The person as the writer reads them: declared traits and what their events say. */
export interface PersonView {
  traits: Record<string, unknown>;
  affinities: { categories: Array<{ name: string; score: number }>; tags: Array<{ name: string; score: number }> };
  features: {
    daysSinceLastSeen: number | null;
    purchases: number;
    lastPurchase: string | null;
    priceBand: 'budget' | 'mid' | 'premium' | null;
    cart: string[];
  };
  /** Items bought, the most recent first. */
  bought: string[];
  /** The language their events were mostly in. */
  language: string | null;
}

/** An item the recommender proposes, with the reasons it gives. */
export interface ProposedItem {
  id: string;
  reasons: string[];
}

export interface ProposalQuery {
  userId: string;
  n: number;
  /** `item`: things that go with `itemId` (after a purchase). */
  context: 'email' | 'item';
  itemId?: string;
  exclude?: string[];
  /** Keep items the person already bought (a replenishment email is about them). */
  includePurchased?: boolean;
}

/** One piece of content served to a person, for the exposure log (its effect is measured like any variant's). */
export interface ContentExposure {
  contentId: string;
  userId: string;
  /** `email:win-back`, `description`, … */
  kind: string;
  by: 'embedded' | 'llm';
  itemIds: string[];
  at: number;
  /** The option shown, when the piece was chosen among several (a headline variant, an onboarding order); else `by`. */
  variant?: string;
  /** The chance the policy gave that option (1 when nothing was drawn). */
  propensity?: number;
}

/** One choice among options by a decision point of the presentation slice (`POST /v1/decide`). */
export interface DecisionQuery {
  userId: string;
  point: string;
  options: Array<{ id: string; features?: Record<string, number | boolean | string> }>;
  context?: Record<string, number | boolean | string>;
}

export interface DecisionAnswer {
  decisionId: string;
  option: string;
  propensity: number;
  personalized: boolean;
}

export interface ContentPorts {
  clock(): number;
  /** The workspace's catalogue as served. */
  catalog(ws: string): Promise<{ items: readonly StoredItem[]; get(id: string): StoredItem | undefined }>;
  /** The person's traits and profile (read only when personalization is allowed). */
  person(ws: string, userId: string): Promise<PersonView>;
  consentOf(ws: string, userId: string): Promise<ConsentPolicy>;
  /** The person's recommendations, as the recommendations route answers them (consent applies there too). */
  recommend(ws: string, q: ProposalQuery): Promise<{ recommendationId: string; personalized: boolean; items: ProposedItem[] }>;
  /** Where the brand voice, the onboarding steps and each person's onboarding order are kept. */
  docs: Pick<Store, 'getDoc' | 'putDocs' | 'listDocs'>;
  /** Events and users, for what a person has done and which onboarding orders led others to activate. */
  records: Pick<Store, 'eventsOf' | 'scanEvents' | 'getUser'>;
  /** A decision point's choice, logged with its propensity and learnt from later events (when the presentation slice is wired). */
  decide?(ws: string, q: DecisionQuery): Promise<DecisionAnswer>;
  /**
   * Logs the piece as an exposure, when an exposure log is wired; resolves once it is written (a piece
   * is a rarer, costlier answer than a list, and its exposure should not land after the answer).
   */
  exposed?(ws: string, e: ContentExposure): Promise<void>;
  /** Records a review decision on a held piece in the workspace's audit log. */
  audit?(
    ws: string,
    e: { actor: { keyId?: string; scope?: string }; action: string; target?: string; userId?: string; detail?: Record<string, unknown> },
  ): Promise<unknown>;
}
