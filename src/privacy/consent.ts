import { DEFAULT_CONSENT_DEFAULTS } from '../config.ts';
import { parseOr } from '../domain/errors.ts';
import { CONSENT_PURPOSES, type ConsentChange, type ConsentPurpose } from '../domain/schemas.ts';
import { ConsentBody } from './schemas.ts';
import type { Store } from '../store/store.ts';
import type { ConsentPolicy, ConsentState } from '../domain/consent.ts';

export type { ConsentPolicy, ConsentState } from '../domain/consent.ts';

/** What each purpose covers, in words for the transparency report and the README. */
export const PURPOSE_DESCRIPTIONS: Record<ConsentPurpose, string> = {
  personalization: 'recommendations, ranking and content chosen for you from what you did',
  profiling: 'a derived profile of your interests, price range, funnel stage and segments',
  marketing: 'nudges, reminders and personalized emails sent to you',
  chatMemory: 'what the assistant remembers about you from one conversation to the next',
};

export interface ConsentRecord extends ConsentState {
  userId: string;
  /** When each purpose was last set explicitly (null: the configured default applies). */
  updatedAt: Record<ConsentPurpose, string | null>;
  /** Per purpose: `given`/`withdrawn` explicitly, or `default-on`/`default-off` (nothing recorded). */
  basis: Record<ConsentPurpose, 'given' | 'withdrawn' | 'default-on' | 'default-off'>;
  policyVersion: string | null;
  history: Array<{ at: string; source: string; policyVersion: string | null; purposes: Partial<ConsentState> }>;
}

/** Whether a subject (a user id or an `anon:` subject) belongs to an erased person. */
export type SuppressionCheck = (ws: string, subject: string) => Promise<boolean>;

const NOTHING: ConsentState = { personalization: false, profiling: false, marketing: false, chatMemory: false };

/** The built-in defaults (see `AFIN_CONSENT_DEFAULTS`). */
export const DEFAULT_CONSENT: ConsentState = DEFAULT_CONSENT_DEFAULTS;

/** Folds a consent history (oldest first) over the defaults. */
export function currentConsent(history: readonly ConsentChange[], defaults: ConsentState): ConsentState {
  const out = { ...defaults };
  for (const c of history) for (const p of CONSENT_PURPOSES) if (c.purposes[p] !== undefined) out[p] = c.purposes[p]!;
  return out;
}

/**
 * The one choke point every personalised path asks: what may be used for this person. The full
 * history of changes is kept as proof of consent (timestamp, source, policy version).
 */
export class ConsentService {
  constructor(
    private readonly store: Store,
    readonly defaults: ConsentState = DEFAULT_CONSENT,
    private readonly clock: () => number = Date.now,
    private readonly suppressed: SuppressionCheck = async () => false,
  ) {}

  private workspaceDefaults: ((ws: string) => Promise<ConsentState>) | null = null;

  /** Lets each workspace set its own defaults (`PUT /v1/settings/privacy`), read here on every check. */
  useWorkspaceDefaults(resolve: (ws: string) => Promise<ConsentState>): void {
    this.workspaceDefaults = resolve;
  }

  /** The defaults that apply in this workspace: its own, else the deployment's. */
  defaultsFor(ws: string): Promise<ConsentState> {
    return this.workspaceDefaults ? this.workspaceDefaults(ws) : Promise.resolve(this.defaults);
  }

  /** What may be used for this person: nothing at all for an erased person, whatever was recorded since. */
  async state(ws: string, userId: string): Promise<ConsentState> {
    if (await this.suppressed(ws, userId)) return { ...NOTHING };
    return currentConsent(await this.store.consentHistory(ws, userId), await this.defaultsFor(ws));
  }

  /**
   * The policy for a subject: a user id, or an anonymous subject (`anon:…`), which gets the
   * configured defaults unless consent was recorded for it.
   * @example if (!(await engine.consent.policy(ws, subject)).personalization) return nonPersonalized();
   */
  async policy(ws: string, subject: string): Promise<ConsentPolicy> {
    if (await this.suppressed(ws, subject)) return { subject, erased: true, ...NOTHING };
    return { subject, erased: false, ...currentConsent(await this.store.consentHistory(ws, subject), await this.defaultsFor(ws)) };
  }

  async allows(ws: string, userId: string, purpose: ConsentPurpose): Promise<boolean> {
    return (await this.state(ws, userId))[purpose];
  }

  /**
   * Which of several people allow a purpose, as `allows` answers for each: the workspace's defaults once
   * and every history in one store read (the ingest path asks this for a whole batch's people).
   */
  async allowing(ws: string, subjects: readonly string[], purpose: ConsentPurpose): Promise<Set<string>> {
    const [defaults, histories, erased] = await Promise.all([
      this.defaultsFor(ws),
      this.store.consentHistories(ws, subjects),
      Promise.all(subjects.map((s) => this.suppressed(ws, s))),
    ]);
    const out = new Set<string>();
    for (let i = 0; i < subjects.length; i++) {
      if (erased[i]) continue;
      const history = histories.get(subjects[i]);
      if (history ? currentConsent(history, defaults)[purpose] : defaults[purpose]) out.add(subjects[i]);
    }
    return out;
  }

  async record(ws: string, userId: string): Promise<ConsentRecord> {
    const history = await this.store.consentHistory(ws, userId);
    const defaults = await this.defaultsFor(ws);
    const state = currentConsent(history, defaults);
    const updatedAt = Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, null])) as Record<ConsentPurpose, string | null>;
    for (const c of history) for (const p of CONSENT_PURPOSES) if (c.purposes[p] !== undefined) updatedAt[p] = new Date(c.at).toISOString();
    const basis = Object.fromEntries(
      CONSENT_PURPOSES.map((p) => [p, updatedAt[p] === null ? (defaults[p] ? 'default-on' : 'default-off') : state[p] ? 'given' : 'withdrawn']),
    ) as ConsentRecord['basis'];
    return {
      userId,
      ...state,
      updatedAt,
      basis,
      policyVersion: history.at(-1)?.policyVersion ?? null,
      history: history.map((c) => ({ at: new Date(c.at).toISOString(), source: c.source, policyVersion: c.policyVersion, purposes: c.purposes })),
    };
  }

  /** Validates and appends a change; returns what changed and the new record. */
  async update(ws: string, userId: string, body: unknown, source = 'api'): Promise<ConsentRecord> {
    const b = parseOr(ConsentBody, body, 'invalid_body');
    const purposes: Partial<ConsentState> = {};
    for (const p of CONSENT_PURPOSES) if (b[p] !== undefined) purposes[p] = b[p];
    await this.store.appendConsent(ws, userId, { purposes, source: b.source ?? source, policyVersion: b.policyVersion ?? null, at: this.clock() });
    return this.record(ws, userId);
  }
}
