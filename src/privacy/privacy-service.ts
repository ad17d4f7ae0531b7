import { DEFAULT_CONSENT_DEFAULTS, type RetentionConfig } from '../config.ts';
import { parseOr } from '../domain/errors.ts';
import { CONSENT_PURPOSES } from '../domain/schemas.ts';
import { ObjectionBody } from './schemas.ts';
import { anonSubject } from '../domain/subjects.ts';
import { viewProfile, type Profile } from '../profile/profile.ts';
import type { Store } from '../store/store.ts';
import { AuditLog, type AuditActor } from './audit.ts';
import { PURPOSE_DESCRIPTIONS, type ConsentRecord, type ConsentService } from './consent.ts';
import { Pseudonymizer } from './pseudonym.ts';
import { RetentionJob } from './retention.ts';
import { SuppressionList } from './suppression.ts';

export interface PrivacyOptions {
  retention?: RetentionConfig;
  /** After an erasure, retrain the workspace's models this long later (debounced); null: never. */
  retrainAfterErasureMs?: number | null;
  cacheMaxAgeMs?: number;
  /** Where background failures are reported (pino-shaped; default: stderr). */
  log?: PrivacyLog;
}

export interface PrivacyLog {
  warn(obj: object, msg: string): void;
}

const stderrLog: PrivacyLog = { warn: (obj, msg) => process.stderr.write(`afin: ${msg} ${JSON.stringify(obj)}\n`) };

export interface ErasureReport {
  events: number;
  documents: number;
  profiles: number;
  links: number;
  consent: number;
  user: boolean;
  auditEntries: number;
}

/** A log that buffers records about people in memory before they reach the store. */
export interface PersonLog {
  flush(): Promise<void>;
  forget(ws: string, subjects: readonly string[]): Promise<void>;
}

/** What the privacy slice needs from the rest of Afín (wired in `server/compose.ts`). */
export interface PrivacyDeps {
  store: Store;
  clock: () => number;
  consent: ConsentService;
  /** The recommendation log's in-memory buffer: flushed before an export, emptied of the person on erasure. */
  recommendationLog: PersonLog & { readonly maxPerWorkspace: number };
  /** Other buffered logs about people (experiment exposures), treated like the recommendation log. */
  otherLogs?: () => readonly PersonLog[];
  /** The catalogue's price terciles, for the profile's view in an export. */
  priceTerciles(ws: string): Promise<readonly [number, number] | null>;
  /** After an erasure: drop what this node (and others) cache for the workspace. */
  invalidate(ws: string): void;
  /** Retrains the workspace's models, so their aggregates forget an erased person. */
  retrain(ws: string): Promise<unknown>;
  /** What Afín predicts about the person now (null without profiling consent or a model): part of their export. */
  predictions?(ws: string, userId: string): Promise<object | null>;
}

const NO_RETENTION: RetentionConfig = { eventMaxAgeDays: null, auditMaxAgeDays: null, intervalMs: 3_600_000 };

/**
 * The privacy slice's service: consent changes and objection, export, erasure (with suppression of
 * late events), the audit log and retention. The chat ("forget me", "no quiero recomendaciones
 * personalizadas") and the SDK call the same functions as the HTTP routes.
 */
export class PrivacyService {
  readonly pseudonyms: Pseudonymizer;
  readonly suppression: SuppressionList;
  readonly audit: AuditLog;
  readonly retention: RetentionJob;
  private readonly retrainAfterMs: number | null;
  private readonly retrainTimers = new Map<string, NodeJS.Timeout>();
  private readonly log: PrivacyLog;

  constructor(
    private readonly deps: PrivacyDeps,
    opts: PrivacyOptions = {},
  ) {
    const { store, clock } = deps;
    this.pseudonyms = new Pseudonymizer(store, clock);
    this.suppression = new SuppressionList(store, this.pseudonyms, opts.cacheMaxAgeMs ?? 1000, clock);
    this.audit = new AuditLog(store, this.pseudonyms, clock);
    this.retention = new RetentionJob(store, opts.retention ?? NO_RETENTION, this.audit, clock);
    this.retrainAfterMs = opts.retrainAfterErasureMs === undefined ? 60_000 : opts.retrainAfterErasureMs;
    this.log = opts.log ?? stderrLog;
  }

  private personLogs(): PersonLog[] {
    return [this.deps.recommendationLog, ...(this.deps.otherLogs?.() ?? [])];
  }

  /** The user's own subject and every anonymous subject linked to them. */
  private async subjects(ws: string, userId: string): Promise<{ subjects: string[]; anonymousIds: string[] }> {
    const anonymousIds = await this.deps.store.anonymousIdsOf(ws, userId);
    return { subjects: [userId, ...anonymousIds.map(anonSubject)], anonymousIds };
  }

  /** Deletes the derived profiles of a person (profiling withdrawn or objected to). */
  private async dropProfiles(ws: string, userId: string): Promise<number> {
    let n = 0;
    for (const s of (await this.subjects(ws, userId)).subjects) n += (await this.deps.store.deleteProfile(ws, s)) ? 1 : 0;
    return n;
  }

  /**
   * Gives or withdraws consent per purpose (`PUT /v1/users/:id/consent`, the chat, the SDK).
   * Withdrawing `profiling` deletes the derived profile at once.
   * @example await engine.privacy.setConsent(ws, userId, { personalization: false, source: 'chat' }, { source: 'chat' })
   */
  async setConsent(ws: string, userId: string, body: unknown, actor: AuditActor): Promise<ConsentRecord> {
    const record = await this.deps.consent.update(ws, userId, body, actor.source ?? 'api');
    const change = record.history.at(-1)!;
    const profilesDeleted = record.profiling ? 0 : await this.dropProfiles(ws, userId);
    const chatForgotten = change.purposes.chatMemory === false ? await this.forgetChats(ws, userId) : 0;
    await this.audit.record(ws, {
      actor,
      action: 'consent.update',
      userId,
      detail: { purposes: change.purposes, source: change.source, policyVersion: change.policyVersion, profilesDeleted, chatForgotten },
    });
    return record;
  }

  /**
   * Without `chatMemory` nothing of past conversations is kept: the long-term chat memory, the past
   * sessions' transcripts and the words in `chat` events go at once. Returns how many records went.
   */
  private async forgetChats(ws: string, userId: string): Promise<number> {
    const { store } = this.deps;
    let n = 0;
    for (const s of (await this.subjects(ws, userId)).subjects) {
      n += await store.deleteEventsOf(ws, s, ['chat']);
      for (const d of await store.listDocs(ws, 'chat_session', { subject: s, limit: 10_000 })) n += (await store.deleteDoc(ws, 'chat_session', d.id)) ? 1 : 0;
    }
    n += (await store.deleteDoc(ws, 'chat_memory', userId)) ? 1 : 0;
    return n;
  }

  /**
   * Objection to profiling (GDPR Art. 21) in one call: profiling, personalization and marketing are
   * turned off and the derived profile deleted; the person gets non-personalised answers from now on.
   */
  async object(ws: string, userId: string, body: unknown, actor: AuditActor): Promise<ConsentRecord> {
    const b = parseOr(ObjectionBody, body ?? {}, 'invalid_body');
    const record = await this.deps.consent.update(ws, userId, {
      personalization: false,
      profiling: false,
      marketing: false,
      source: b.source ?? actor.source ?? 'objection',
      ...(b.policyVersion ? { policyVersion: b.policyVersion } : {}),
    });
    const profilesDeleted = await this.dropProfiles(ws, userId);
    await this.audit.record(ws, { actor, action: 'consent.objection', userId, detail: { profilesDeleted, source: b.source ?? actor.source ?? 'objection' } });
    return record;
  }

  /** Everything held about the person, machine-readable. */
  async export(ws: string, userId: string) {
    const { store } = this.deps;
    for (const log of this.personLogs()) await log.flush();
    const { subjects, anonymousIds } = await this.subjects(ws, userId);
    const events = (await Promise.all(subjects.map((s) => store.eventsOf(ws, s)))).flat().sort((a, b) => a.timestamp - b.timestamp);
    const docs = (await Promise.all(subjects.map((s) => store.docsOfSubject(ws, s)))).flat();
    const profile = (await store.getProfile(ws, userId)) as Profile | null;
    const collections: Record<string, number> = {};
    for (const d of docs) collections[d.collection] = (collections[d.collection] ?? 0) + 1;
    return {
      format: 'afin-export/1',
      userId,
      exportedAt: new Date(this.deps.clock()).toISOString(),
      user: await store.getUser(ws, userId),
      anonymousIds,
      consent: await this.deps.consent.record(ws, userId),
      profile: { raw: profile, view: profile ? viewProfile(profile, this.deps.clock(), { terciles: await this.deps.priceTerciles(ws) }) : null },
      events: events.map((e) => ({ ...e, timestamp: new Date(e.timestamp).toISOString(), receivedAt: new Date(e.receivedAt).toISOString() })),
      /** Chat transcripts, recommendation logs, nudges, experiment assignments: every document about the person. */
      documents: docs.map((d) => ({ collection: d.collection, id: d.id, createdAt: new Date(d.createdAt).toISOString(), body: d.body })),
      collections,
      audit: await this.audit.about(ws, userId),
      /** Computed on request from their events, never stored. */
      predictions: (await this.deps.predictions?.(ws, userId).catch(() => null)) ?? null,
    };
  }

  /**
   * Erases the person everywhere: events (anonymous ones too), profiles, identity links, documents
   * (chat, recommendation logs…), consent history, traits and their audit entries. A suppression
   * record (a keyed hash) makes late events for the ids be dropped; the erasure itself is audited
   * under the same pseudonym; models are retrained shortly after, so aggregates forget them too.
   */
  async erase(ws: string, userId: string, actor: AuditActor): Promise<ErasureReport> {
    const { store } = this.deps;
    const logs = this.personLogs();
    const { subjects, anonymousIds } = await this.subjects(ws, userId);
    // Suppress first: an event arriving while we delete is dropped rather than recreating the person.
    await this.suppression.add(ws, { userId, anonymousIds }, this.deps.clock());
    // What was logged about them in the last second never reaches the disk.
    for (const log of logs) await log.forget(ws, subjects);
    const out: ErasureReport = { events: 0, documents: 0, profiles: 0, links: 0, consent: 0, user: false, auditEntries: 0 };
    for (const s of subjects) {
      out.events += await store.deleteEventsOf(ws, s);
      out.documents += await store.deleteDocsOfSubject(ws, s);
      out.profiles += (await store.deleteProfile(ws, s)) ? 1 : 0;
    }
    out.links = await store.deleteIdentityLinks(ws, userId);
    out.consent = await store.deleteConsent(ws, userId);
    out.user = await store.deleteUser(ws, userId);
    out.auditEntries = await this.audit.forget(ws, userId);
    // A recommendation answered while we deleted may have been logged, or flushed, meanwhile.
    for (const log of logs) await log.forget(ws, subjects);
    for (const s of subjects) out.documents += await store.deleteDocsOfSubject(ws, s);
    await this.audit.record(ws, { actor, action: 'user.erase', userId, detail: { ...out, anonymousIds: anonymousIds.length } });
    // Before the 204: the deleted rows leave the files too (SQLite's WAL still held them as written).
    if (!(await store.scrubDeleted())) {
      this.log.warn({ workspace: ws }, 'erasure: the SQLite WAL could not be checkpointed (a long read held it); it will be at the next checkpoint');
    }
    this.deps.invalidate(ws);
    if (out.events > 0) this.scheduleRetrain(ws);
    return out;
  }

  private scheduleRetrain(ws: string): void {
    if (this.retrainAfterMs === null || this.retrainTimers.has(ws)) return;
    const t = setTimeout(() => {
      this.retrainTimers.delete(ws);
      this.retrainPending = this.retrainAfterErasure(ws);
    }, this.retrainAfterMs);
    t.unref();
    this.retrainTimers.set(ws, t);
  }

  /** The last retrain started after an erasure (tests wait for it). */
  retrainPending: Promise<void> = Promise.resolve();

  /**
   * Retrains so that the models' aggregates forget the erased person. A failure is never silent: it
   * is logged and audited (the failed models keep their previous version, which may still hold the
   * person in its aggregates, until a training succeeds; `GET /v1/models` shows which).
   */
  private async retrainAfterErasure(ws: string): Promise<void> {
    try {
      if ((await this.deps.store.listBlobs(ws, 'model:')).length === 0) return;
      await this.deps.retrain(ws);
      await this.audit.record(ws, { actor: { source: 'erasure' }, action: 'models.retrain', detail: { reason: 'erasure' } });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      // Per-model failures (a TrainingFailedError from the recommend slice) name the models.
      const failed = (err as { failed?: unknown }).failed;
      this.log.warn({ workspace: ws, err: error }, 'retrain after an erasure failed: the failed models keep their previous version until a training succeeds');
      await this.audit
        .record(ws, {
          actor: { source: 'erasure' },
          action: 'models.retrain.failed',
          detail: { reason: 'erasure', error: error.slice(0, 500), ...(Array.isArray(failed) ? { failed } : {}) },
        })
        .catch((e) => this.log.warn({ workspace: ws, err: String(e) }, 'could not audit the failed retrain'));
    }
  }

  /** The deployment's privacy settings, for the transparency report and `GET /v1/privacy`. */
  settings() {
    const defaults = this.deps.consent.defaults ?? DEFAULT_CONSENT_DEFAULTS;
    const r = this.retention.config;
    return {
      purposes: CONSENT_PURPOSES.map((p) => ({ purpose: p, description: PURPOSE_DESCRIPTIONS[p], default: defaults[p] ? 'opt-out' : 'opt-in' })),
      retention: {
        eventMaxAgeDays: r.eventMaxAgeDays,
        auditMaxAgeDays: r.auditMaxAgeDays,
        recommendationLogMaxAgeDays: Math.min(this.retention.recommendationLogMaxAgeDays, r.eventMaxAgeDays ?? Infinity),
        recommendationLogMaxPerWorkspace: this.deps.recommendationLog.maxPerWorkspace,
        exposureMaxAgeDays: this.retention.exposureMaxAgeDays,
        lastRun: this.retention.last,
      },
    };
  }

  /** The settings in force in one workspace: its own consent defaults and retention over the deployment's. */
  async settingsFor(ws: string): Promise<ReturnType<PrivacyService['settings']>> {
    const base = this.settings();
    const defaults = await this.deps.consent.defaultsFor(ws);
    const limits = await this.retention.limitsFor(ws);
    return {
      purposes: base.purposes.map((p) => ({ ...p, default: defaults[p.purpose] ? 'opt-out' : 'opt-in' })),
      retention: {
        ...base.retention,
        eventMaxAgeDays: limits.eventMaxAgeDays,
        auditMaxAgeDays: limits.auditMaxAgeDays,
        recommendationLogMaxAgeDays: Math.min(this.retention.recommendationLogMaxAgeDays, limits.eventMaxAgeDays ?? Infinity),
      },
    };
  }

  /** Stops timers (retention, pending retrains). */
  stop(): void {
    this.retention.stop();
    for (const t of this.retrainTimers.values()) clearTimeout(t);
    this.retrainTimers.clear();
  }
}
