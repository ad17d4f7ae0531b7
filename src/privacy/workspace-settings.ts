/**
 * A workspace's own consent defaults and retention limits, over the deployment's (`AFIN_CONSENT_DEFAULTS`,
 * `AFIN_RETENTION_DAYS`, `AFIN_AUDIT_RETENTION_DAYS`). Each shop is its own data controller: it chooses
 * whether a purpose is on until the person says no (`opt-out`) or off until they say yes (`opt-in`), and
 * may keep raw events and its audit log for less time than the deployment does, never for longer (the
 * operator's limit is the ceiling its storage and its own obligations were planned for).
 */
import { z } from 'zod';
import type { ConsentDefaults, RetentionConfig } from '../config.ts';
import { AfinError, parseOr } from '../domain/errors.ts';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../domain/schemas.ts';
import type { Store } from '../store/store.ts';

const DOC = { collection: 'settings', id: 'privacy' } as const;
const Regime = z.enum(['opt-in', 'opt-out']);
const Days = z.number().int().min(1).max(36_500);

/** `PUT /v1/settings/privacy`: the whole of a workspace's own privacy settings (a field left out: the deployment's applies). */
export const PrivacySettingsBody = z
  .object({
    consentDefaults: z
      .object({ personalization: Regime.optional(), profiling: Regime.optional(), marketing: Regime.optional(), chatMemory: Regime.optional() })
      .strict()
      .optional(),
    retention: z.object({ eventMaxAgeDays: Days.optional(), auditMaxAgeDays: Days.optional() }).strict().optional(),
  })
  .strict();
export type PrivacySettingsT = z.infer<typeof PrivacySettingsBody>;

/** The limits the retention job applies to one workspace (null: kept until erased). */
export interface RetentionLimits {
  eventMaxAgeDays: number | null;
  auditMaxAgeDays: number | null;
}

type Regimes = Record<ConsentPurpose, 'opt-in' | 'opt-out'>;

/** What `GET /v1/settings/privacy` answers: what applies, what the workspace set, and the deployment's. */
export interface PrivacySettingsView {
  consentDefaults: Regimes;
  retention: RetentionLimits;
  stored: PrivacySettingsT;
  deployment: { consentDefaults: Regimes; retention: RetentionLimits };
}

const regimes = (d: ConsentDefaults): Regimes => Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, d[p] ? 'opt-out' : 'opt-in'])) as Regimes;

export class WorkspacePrivacySettings {
  private readonly cache = new Map<string, { at: number; value: Promise<PrivacySettingsT> }>();

  constructor(
    private readonly store: Store,
    private readonly deployment: { consentDefaults: ConsentDefaults; retention: Pick<RetentionConfig, 'eventMaxAgeDays' | 'auditMaxAgeDays'> },
    private readonly clock: () => number = Date.now,
    /** Consent checks read this on every personalised answer: a short cache (another node's change shows within it). */
    private readonly maxAgeMs = 1000,
  ) {}

  /**
   * The stored settings (empty when never set). The read itself is cached, not only its answer: a
   * batch's consent checks arriving together when the cache is old share one read of the store.
   */
  stored(ws: string): Promise<PrivacySettingsT> {
    const hit = this.cache.get(ws);
    const now = this.clock();
    if (hit && now - hit.at < this.maxAgeMs) return hit.value;
    const value = this.store.getDoc(ws, DOC.collection, DOC.id).then((doc) => {
      const r = PrivacySettingsBody.safeParse(doc?.body ?? {});
      return r.success ? r.data : {};
    });
    if (this.maxAgeMs > 0) {
      const entry = { at: now, value };
      this.cache.set(ws, entry);
      value.catch(() => this.cache.get(ws) === entry && this.cache.delete(ws)); // a failed read is not kept
    }
    return value;
  }

  /** Per purpose, whether it is on for a person who said nothing, in this workspace. */
  async consentDefaults(ws: string): Promise<ConsentDefaults> {
    const own = (await this.stored(ws)).consentDefaults ?? {};
    const out = { ...this.deployment.consentDefaults };
    for (const p of CONSENT_PURPOSES) if (own[p]) out[p] = own[p] === 'opt-out';
    return out;
  }

  /** The retention limits in force for this workspace: its own where shorter, else the deployment's. */
  async retention(ws: string): Promise<RetentionLimits> {
    const own = (await this.stored(ws)).retention ?? {};
    const d = this.deployment.retention;
    return { eventMaxAgeDays: own.eventMaxAgeDays ?? d.eventMaxAgeDays, auditMaxAgeDays: own.auditMaxAgeDays ?? d.auditMaxAgeDays };
  }

  async view(ws: string): Promise<PrivacySettingsView> {
    const d = this.deployment;
    return {
      consentDefaults: regimes(await this.consentDefaults(ws)),
      retention: await this.retention(ws),
      stored: await this.stored(ws),
      deployment: {
        consentDefaults: regimes(d.consentDefaults),
        retention: { eventMaxAgeDays: d.retention.eventMaxAgeDays, auditMaxAgeDays: d.retention.auditMaxAgeDays },
      },
    };
  }

  /** Validates and replaces the workspace's settings; 400 names the field (a limit above the deployment's included). */
  async save(ws: string, body: unknown): Promise<PrivacySettingsT> {
    const s = parseOr(PrivacySettingsBody, body ?? {}, 'invalid_body');
    for (const k of ['eventMaxAgeDays', 'auditMaxAgeDays'] as const) {
      const ceiling = this.deployment.retention[k];
      const own = s.retention?.[k];
      if (own !== undefined && ceiling !== null && own > ceiling)
        throw new AfinError(
          'invalid_body',
          `retention.${k}: at most ${ceiling}, the deployment's limit (a workspace may keep data for less time, not longer)`,
          `retention.${k}`,
        );
    }
    await this.store.putDocs(ws, [{ ...DOC, subject: null, createdAt: this.clock(), body: s as Record<string, unknown> }]);
    this.cache.delete(ws);
    return s;
  }
}
