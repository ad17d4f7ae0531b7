import { parseOr } from '../domain/errors.ts';
import { CONSENT_PURPOSES, ConsentBody, type ConsentChange, type ConsentPurpose } from '../domain/schemas.ts';
import type { Store } from '../store/store.ts';

export type ConsentState = Record<ConsentPurpose, boolean>;

export interface ConsentRecord extends ConsentState {
  userId: string;
  /** When each purpose was last set explicitly (null: the configured default applies). */
  updatedAt: Record<ConsentPurpose, string | null>;
  policyVersion: string | null;
  history: Array<{ at: string; source: string; policyVersion: string | null; purposes: Partial<ConsentState> }>;
}

/** Opt-out by default: personalization works until a person says no. Configure for opt-in regimes. */
export const DEFAULT_CONSENT: ConsentState = { personalization: true, profiling: true, marketing: false, chatMemory: true };

/** Folds a consent history (oldest first) over the defaults. */
export function currentConsent(history: readonly ConsentChange[], defaults: ConsentState): ConsentState {
  const out = { ...defaults };
  for (const c of history) for (const p of CONSENT_PURPOSES) if (c.purposes[p] !== undefined) out[p] = c.purposes[p]!;
  return out;
}

/**
 * The one choke point every personalised path asks: what may be used for this person. The full
 * history of changes is kept as proof of consent.
 */
export class ConsentService {
  constructor(private readonly store: Store, private readonly defaults: ConsentState = DEFAULT_CONSENT, private readonly clock: () => number = Date.now) {}

  async state(ws: string, userId: string): Promise<ConsentState> {
    return currentConsent(await this.store.consentHistory(ws, userId), this.defaults);
  }

  async allows(ws: string, userId: string, purpose: ConsentPurpose): Promise<boolean> {
    return (await this.state(ws, userId))[purpose];
  }

  async record(ws: string, userId: string): Promise<ConsentRecord> {
    const history = await this.store.consentHistory(ws, userId);
    const state = currentConsent(history, this.defaults);
    const updatedAt = Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, null])) as Record<ConsentPurpose, string | null>;
    for (const c of history) for (const p of CONSENT_PURPOSES) if (c.purposes[p] !== undefined) updatedAt[p] = new Date(c.at).toISOString();
    return {
      userId,
      ...state,
      updatedAt,
      policyVersion: history.at(-1)?.policyVersion ?? null,
      history: history.map((c) => ({ at: new Date(c.at).toISOString(), source: c.source, policyVersion: c.policyVersion, purposes: c.purposes })),
    };
  }

  async update(ws: string, userId: string, body: unknown, source = 'api'): Promise<ConsentRecord> {
    const b = parseOr(ConsentBody, body, 'invalid_body');
    const purposes: Partial<ConsentState> = {};
    for (const p of CONSENT_PURPOSES) if (b[p] !== undefined) purposes[p] = b[p];
    await this.store.appendConsent(ws, userId, { purposes, source: b.source ?? source, policyVersion: b.policyVersion ?? null, at: this.clock() });
    return this.record(ws, userId);
  }
}
