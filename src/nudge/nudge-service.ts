/**
 * Proactive nudges: the triggers a workspace turns on are evaluated (every minute by the scheduler, or
 * now by `POST /v1/nudges/run`) over the people active lately; each signal that passes the guards
 * (marketing consent, not erased, quiet hours, caps, the trigger's holdout) becomes one nudge, kept in
 * the store under the person (so export and erasure find it) and delivered on the trigger's channel,
 * or held for review first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ITEM_CHANGE_COLLECTION } from '../domain/collections.ts';
import { AfinError, parseOr } from '../domain/errors.ts';
import { ANON_PREFIX, type StoredEvent } from '../domain/schemas.ts';
import { ChatStore, newSession, type ChatSession } from '../converse/session.ts';
import { checkOutboundUrl, type OutboundPolicy } from '../http/outbound-url.ts';
import type { PredictionsReader, PredictionsView } from '../predict/index.ts';
import { isTimeZone } from '../present/send-time.ts';
import type { Doc, Store } from '../store/store.ts';
import { capReached, holdoutArm, inQuietHours } from './guards.ts';
import { styleOf, wordNudge } from './messages.ts';
import {
  NudgeSettingsBody,
  type NudgeChannel,
  type NudgeSettings,
  type NudgeStatus,
  ReviewDecision,
  ReviewQuery,
  TRIGGER_KINDS,
  type TriggerKind,
  UserNudgesQuery,
} from './schemas.ts';
import { type Candidate, DAY_MS, findSignals, type ItemChange, type NudgeItem, type Signal } from './signals.ts';
import { type Attempt, newWebhookSecret, postSigned, RETRY_DELAYS_MS } from './webhook.ts';

export const NUDGE_COLLECTION = 'nudge';
/** Webhook deliveries still to attempt, filed under the person so an erasure takes them too. */
export const NUDGE_OUTBOX_COLLECTION = 'nudge_outbox';
export const NUDGE_SETTINGS_COLLECTION = 'nudge_settings';
const SETTINGS_DOC = 'settings';
const SEEN_ITEMS_DOC = 'seen-items';
/** How far back the triggers look for people to nudge. */
const LOOKBACK_MS = 60 * DAY_MS;
const PERSON_EVENTS = 2000;

/** What the nudges need from the other slices (wired in `server/compose.ts`). */
export interface NudgeDeps {
  store: Store;
  clock: () => number;
  /** The person's consent now: `erased` for someone on the suppression list. */
  consentOf(ws: string, userId: string): Promise<{ marketing: boolean; erased: boolean }>;
  catalog(ws: string): Promise<{ get(id: string): NudgeItem | undefined; readonly items: readonly NudgeItem[] }>;
  predictions?: PredictionsReader;
  /** A few items recommended to the person (for the churn nudge, which has no item of its own). */
  recommend?(ws: string, userId: string, n: number): Promise<string[]>;
  /** A written email for the email channel (the content slice); a failure falls back to the nudge's own words. */
  email?(ws: string, userId: string, goal: string): Promise<{ subject: string; text: string; html: string }>;
  /** Called once per nudge that reached its channel (kept for the chat, ready for the mailer, or delivered to the webhook). */
  sent?(channel: NudgeChannel): void;
  /** Each nudge (or its holdout) as an exposure, so the experiment slice measures each trigger. */
  exposed?(
    ws: string,
    e: {
      nudgeId: string;
      trigger: TriggerKind;
      arm: 'holdout' | 'nudged';
      propensity: number;
      userId: string;
      items: string[];
      channel: NudgeChannel;
      at: number;
    },
  ): Promise<void>;
  audit(
    ws: string,
    e: { actor: { keyId?: string; scope?: string; source?: string }; action: string; target?: string; userId?: string; detail?: Record<string, unknown> },
  ): Promise<unknown>;
  outbound: OutboundPolicy;
  /**
   * Generated content held for review (the content slice, wired in compose): listed in the same queue
   * as `kind: "content"` and decided through the same route.
   */
  heldContent?: {
    pending(ws: string): Promise<Array<{ kind: 'content'; at: number; id: string } & Record<string, unknown>>>;
    decide(
      ws: string,
      id: string,
      d: { action: 'approve' | 'reject' | 'edit'; message?: string; reviewer?: string; note?: string },
      actor: { keyId?: string; scope?: string },
    ): Promise<unknown>;
  };
}

interface NudgeBody {
  userId: string;
  trigger: TriggerKind;
  key: string;
  channel: NudgeChannel;
  status: NudgeStatus;
  signal: Signal;
  items: Array<{ id: string; title: string; price?: number; currency?: string }>;
  message: string;
  subject: string;
  language: string;
  holdout: { arm: 'holdout' | 'nudged'; propensity: number };
  updatedAt: number;
  deliveries: Attempt[];
  sessionId?: string;
  email?: { subject: string; text: string; html?: string; by: string };
  review?: { action: string; reviewer?: string; keyId?: string; at: number; note?: string; originalMessage?: string };
  error?: string;
}

export interface RunReport {
  workspace: string;
  at: string;
  people: number;
  fired: Array<{ id: string; userId: string; trigger: TriggerKind; channel: NudgeChannel; status: NudgeStatus }>;
  suppressed: { consent: number; erased: number; quietHours: number; cap: number };
  deliveries: { attempted: number; delivered: number; failed: number; retrying: number };
}

const GOALS: Partial<Record<TriggerKind, string>> = {
  abandoned_cart: 'cart-reminder',
  replenishment: 'replenishment',
  churn_risk: 'win-back',
  new_item_match: 'new-arrivals',
};
/** Statuses that used up a person's allowance: everything but a rejected draft or a failed delivery. */
const COUNTS: ReadonlySet<NudgeStatus> = new Set(['review', 'holdout', 'waiting', 'opened', 'delivering', 'delivered', 'ready']);

const nudgeId = (userId: string, key: string) => `ndg_${createHash('sha256').update(`${userId}\0${key}`).digest('base64url').slice(0, 24)}`;
const iso = (t: number) => new Date(t).toISOString();

export function nudgeView(d: Doc) {
  const b = d.body as unknown as NudgeBody;
  return {
    id: d.id,
    userId: b.userId,
    trigger: b.trigger,
    channel: b.channel,
    status: b.status,
    createdAt: iso(d.createdAt),
    updatedAt: iso(b.updatedAt),
    signal: b.signal,
    items: b.items,
    message: b.message,
    subject: b.subject,
    language: b.language,
    holdout: b.holdout,
    deliveries: b.deliveries,
    ...(b.sessionId ? { sessionId: b.sessionId } : {}),
    ...(b.email ? { email: b.email } : {}),
    ...(b.review ? { review: { ...b.review, at: iso(b.review.at) } } : {}),
    ...(b.error ? { error: b.error } : {}),
  };
}
export type NudgeView = ReturnType<typeof nudgeView>;

export class NudgeService {
  private readonly chats: ChatStore;
  /** One evaluation per workspace at a time on this node (the scheduler and `POST /v1/nudges/run`). */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: NudgeDeps) {
    this.chats = new ChatStore(deps.store);
  }

  // ---- settings ----

  async settings(ws: string): Promise<NudgeSettings> {
    const d = await this.deps.store.getDoc(ws, NUDGE_SETTINGS_COLLECTION, SETTINGS_DOC);
    const parsed = NudgeSettingsBody.safeParse(d?.body ?? {});
    const s = parsed.success ? parsed.data : NudgeSettingsBody.parse({});
    return s as NudgeSettings;
  }

  /** The settings as the API shows them: the webhook's secret never leaves, only whether one is set. */
  settingsView(s: NudgeSettings, secretShown?: string) {
    return {
      ...s,
      webhook: s.webhook ? { url: s.webhook.url, secretSet: true, ...(secretShown ? { secret: secretShown } : {}) } : null,
    };
  }

  /** Replaces the settings; a webhook without a secret keeps the stored one, or gets a new one (shown once). */
  async putSettings(ws: string, raw: unknown) {
    const b = parseOr(NudgeSettingsBody, raw ?? {}, 'invalid_body');
    let shown: string | undefined;
    let webhook: NudgeSettings['webhook'] = null;
    if (b.webhook) {
      const bad = checkOutboundUrl(b.webhook.url, this.deps.outbound);
      if (bad) throw new AfinError('invalid_body', `webhook.url: ${bad}`, 'webhook.url');
      const old = (await this.settings(ws)).webhook?.secret;
      const secret = b.webhook.secret ?? old ?? (shown = newWebhookSecret());
      webhook = { url: b.webhook.url, secret };
    }
    const s: NudgeSettings = { ...b, webhook };
    await this.deps.store.putDocs(ws, [
      { collection: NUDGE_SETTINGS_COLLECTION, id: SETTINGS_DOC, subject: null, createdAt: this.deps.clock(), body: s as unknown as Record<string, unknown> },
    ]);
    return this.settingsView(s, shown);
  }

  // ---- evaluation ----

  /** Evaluates the workspace's triggers now (everyone active in the last 60 days, or one person) and sends what is due. */
  run(ws: string, opts: { userId?: string } = {}): Promise<RunReport> {
    const prev = this.running.get(ws) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => this.evaluate(ws, opts));
    this.running.set(ws, next);
    void next.finally(() => this.running.get(ws) === next && this.running.delete(ws)).catch(() => undefined);
    return next;
  }

  private async evaluate(ws: string, opts: { userId?: string }): Promise<RunReport> {
    const { store, clock } = this.deps;
    const now = clock();
    const s = await this.settings(ws);
    const report: RunReport = {
      workspace: ws,
      at: iso(now),
      people: 0,
      fired: [],
      suppressed: { consent: 0, erased: 0, quietHours: 0, cap: 0 },
      deliveries: { attempted: 0, delivered: 0, failed: 0, retrying: 0 },
    };
    const catalog = await this.deps.catalog(ws);
    const newItems = await this.trackNewItems(ws, catalog.items, now);
    const enabled = TRIGGER_KINDS.filter((k) => s.triggers[k].enabled);
    if (enabled.length) {
      const changes: ItemChange[] = (await store.listDocs(ws, ITEM_CHANGE_COLLECTION, { limit: 500 })).map((d) => ({
        id: d.id,
        itemId: String(d.body.itemId),
        kind: d.body.kind === 'price_drop' ? 'price_drop' : 'back_in_stock',
        oldPrice: d.body.oldPrice === undefined ? undefined : Number(d.body.oldPrice),
        newPrice: d.body.newPrice === undefined ? undefined : Number(d.body.newPrice),
        at: d.createdAt,
      }));
      for (const [userId, events] of await this.people(ws, now, opts.userId)) {
        report.people++;
        await this.evaluatePerson(ws, s, { userId, events, now, catalog, changes, newItems }, report);
      }
    }
    await this.deliverDue(ws, s, report);
    return report;
  }

  /** The people to look at, with their events (oldest first): users only, since a visitor cannot be reached. */
  private async people(ws: string, now: number, only?: string): Promise<Map<string, StoredEvent[]>> {
    const out = new Map<string, StoredEvent[]>();
    if (only !== undefined) {
      out.set(only, await this.deps.store.eventsOf(ws, only, PERSON_EVENTS));
      return out;
    }
    for await (const page of this.deps.store.scanEvents(ws, { since: now - LOOKBACK_MS, pageSize: 20_000 }))
      for (const e of page) {
        if (e.subject.startsWith(ANON_PREFIX)) continue;
        let list = out.get(e.subject);
        if (!list) out.set(e.subject, (list = []));
        list.push(e);
      }
    for (const list of out.values()) list.sort((a, b) => a.timestamp - b.timestamp);
    return out;
  }

  private async evaluatePerson(
    ws: string,
    s: NudgeSettings,
    p: {
      userId: string;
      events: StoredEvent[];
      now: number;
      catalog: Awaited<ReturnType<NudgeDeps['catalog']>>;
      changes: ItemChange[];
      newItems: Array<{ itemId: string; firstSeenAt: number }>;
    },
    report: RunReport,
  ): Promise<void> {
    const { store } = this.deps;
    const { userId, now } = p;
    // Checked first, so nothing at all is computed about someone who said no (or was erased).
    const consent = await this.deps.consentOf(ws, userId);
    if (consent.erased) {
      report.suppressed.erased++;
      return;
    }
    if (!consent.marketing) {
      report.suppressed.consent++;
      return;
    }
    const pastDocs = await store.listDocs(ws, NUDGE_COLLECTION, { subject: userId, limit: 500 });
    const past = pastDocs.map((d) => {
      const b = d.body as unknown as NudgeBody;
      return { id: d.id, trigger: b.trigger, channel: b.channel, createdAt: d.createdAt, counts: COUNTS.has(b.status) };
    });
    const user = await store.getUser(ws, userId);
    const tzTrait = user?.traits.timeZone;
    const timeZone = typeof tzTrait === 'string' && isTimeZone(tzTrait) ? tzTrait : (s.quietHours?.timeZone ?? 'UTC');
    const wantsPredictions = s.triggers.replenishment.enabled || s.triggers.churn_risk.enabled;
    let predictions: PredictionsView | null = null;
    if (wantsPredictions && this.deps.predictions) predictions = await this.deps.predictions.peek(ws, userId).catch(() => null);
    const candidates = findSignals(
      { userId, now, events: p.events, item: (id) => p.catalog.get(id), changes: p.changes, predictions, newItems: p.newItems, past, timeZone },
      s,
    );
    const seen = new Set(past.map((x) => x.id));
    for (const c of candidates) {
      const id = nudgeId(userId, c.key);
      if (seen.has(id)) continue;
      const cfg = s.triggers[c.trigger];
      // Deferred, not dropped: the signal is still there at the next run after the quiet hours.
      if (inQuietHours(now, s.quietHours, timeZone)) {
        report.suppressed.quietHours++;
        return;
      }
      // Held-out people count against the cap too, so both arms would be nudged on the same schedule.
      if (capReached(past, cfg.channel, s.caps, now)) {
        report.suppressed.cap++;
        continue;
      }
      const arm = holdoutArm(ws, c.trigger, userId, cfg.holdout);
      const doc = await this.create(ws, id, c, { userId, now, channel: cfg.channel, arm, review: cfg.review, traits: user?.traits, catalog: p.catalog });
      past.push({ id, trigger: c.trigger, channel: cfg.channel, createdAt: now, counts: true });
      const b = doc.body as unknown as NudgeBody;
      report.fired.push({ id, userId, trigger: c.trigger, channel: cfg.channel, status: b.status });
    }
  }

  private async create(
    ws: string,
    id: string,
    c: Candidate,
    o: {
      userId: string;
      now: number;
      channel: NudgeChannel;
      arm: { arm: 'holdout' | 'nudged'; propensity: number };
      review: boolean;
      traits?: Record<string, unknown>;
      catalog: Awaited<ReturnType<NudgeDeps['catalog']>>;
    },
  ): Promise<Doc> {
    let itemIds = c.items;
    if (!itemIds.length && c.trigger === 'churn_risk' && this.deps.recommend) itemIds = await this.deps.recommend(ws, o.userId, 3).catch(() => []);
    const items = itemIds
      .map((i) => o.catalog.get(i))
      .filter((x): x is NudgeItem => x !== undefined)
      .slice(0, 3);
    const style = styleOf(o.traits);
    const { message, subject } = wordNudge(c, items, style, id);
    const body: NudgeBody = {
      userId: o.userId,
      trigger: c.trigger,
      key: c.key,
      channel: o.channel,
      status: o.arm.arm === 'holdout' ? 'holdout' : o.review ? 'review' : 'delivering',
      signal: c.signal,
      items: items.map((it) => ({
        id: it.id,
        title: it.title,
        ...(it.price !== undefined ? { price: it.price } : {}),
        ...(it.currency ? { currency: it.currency } : {}),
      })),
      message,
      subject,
      language: style.lang,
      holdout: o.arm,
      updatedAt: o.now,
      deliveries: [],
    };
    const doc: Doc = { collection: NUDGE_COLLECTION, id, subject: o.userId, createdAt: o.now, body: body as unknown as Record<string, unknown> };
    await this.deps.store.putDocs(ws, [doc]);
    await this.deps.exposed?.(ws, {
      nudgeId: id,
      trigger: c.trigger,
      arm: o.arm.arm,
      propensity: o.arm.propensity,
      userId: o.userId,
      items: body.items.map((i) => i.id),
      channel: o.channel,
      at: o.now,
    });
    if (body.status === 'delivering') await this.dispatch(ws, doc);
    return doc;
  }

  /** Sends a nudge on its channel: the chat keeps it for the person's next conversation; webhooks and emails go out through the outbox. */
  private async dispatch(ws: string, doc: Doc): Promise<void> {
    const b = doc.body as unknown as NudgeBody;
    const now = this.deps.clock();
    b.updatedAt = now;
    if (b.channel === 'chat') {
      const session: ChatSession = newSession(`ses_${randomBytes(12).toString('base64url')}`, b.userId, now);
      session.language = b.language === 'es' ? 'es' : 'en';
      session.shown = b.items.map(({ id, title, price, currency }) => ({ id, title, price, currency }));
      session.focus = b.items[0]?.id ?? null;
      session.turns.push({ role: 'assistant', text: b.message, at: now, intent: `nudge:${b.trigger}`, items: session.shown });
      await this.chats.saveSession(ws, session);
      b.sessionId = session.id;
      b.status = 'waiting';
      await this.deps.store.putDocs(ws, [doc]);
      this.deps.sent?.('chat');
      return;
    }
    if (b.channel === 'email') b.email = await this.writeEmail(ws, b);
    const s = await this.settings(ws);
    if (!s.webhook) {
      // An email with no webhook waits for the shop's mailer to fetch it; a webhook nudge cannot go anywhere.
      if (b.channel === 'email') b.status = 'ready';
      else {
        b.status = 'failed';
        b.error = 'no webhook is configured (PUT /v1/nudges/triggers with webhook.url)';
      }
      await this.deps.store.putDocs(ws, [doc]);
      if (b.status === 'ready') this.deps.sent?.('email');
      return;
    }
    b.status = 'delivering';
    await this.deps.store.putDocs(ws, [
      doc,
      { collection: NUDGE_OUTBOX_COLLECTION, id: doc.id, subject: b.userId, createdAt: now, body: { nextAttemptAt: now } },
    ]);
  }

  private async writeEmail(ws: string, b: NudgeBody): Promise<NonNullable<NudgeBody['email']>> {
    const goal = GOALS[b.trigger];
    if (goal && this.deps.email) {
      const e = await this.deps.email(ws, b.userId, goal).catch(() => null);
      if (e) return { subject: e.subject, text: e.text, html: e.html, by: 'content' };
    }
    const lines = [b.message, ...b.items.map((i) => `- ${i.title}`)];
    return { subject: b.subject, text: `${lines.join('\n')}\n`, by: 'nudge' };
  }

  /** Attempts every webhook delivery that is due (first attempts and retries with backoff). */
  private async deliverDue(ws: string, s: NudgeSettings, report: RunReport, only?: string): Promise<void> {
    const { store } = this.deps;
    const now = this.deps.clock();
    const due = (await store.listDocs(ws, NUDGE_OUTBOX_COLLECTION, { limit: 1000 })).filter(
      (d) => Number(d.body.nextAttemptAt) <= now && (only === undefined || d.id === only),
    );
    for (const o of due) {
      const doc = await store.getDoc(ws, NUDGE_COLLECTION, o.id);
      if (!doc || (doc.body as unknown as NudgeBody).status !== 'delivering') {
        await store.deleteDoc(ws, NUDGE_OUTBOX_COLLECTION, o.id);
        continue;
      }
      const b = doc.body as unknown as NudgeBody;
      const consent = await this.deps.consentOf(ws, b.userId);
      if (!s.webhook || consent.erased || !consent.marketing) {
        b.status = 'failed';
        b.error = !s.webhook ? 'the webhook was removed before delivery' : 'marketing consent was withdrawn before delivery';
        b.updatedAt = now;
        await store.putDocs(ws, [doc]);
        await store.deleteDoc(ws, NUDGE_OUTBOX_COLLECTION, o.id);
        report.deliveries.failed++;
        continue;
      }
      const attempt = b.deliveries.length + 1;
      const payload = JSON.stringify({ type: `nudge.${b.channel}`, ...nudgeView(doc), deliveries: undefined });
      const a = await postSigned(s.webhook.url, s.webhook.secret, payload, { now, attempt, policy: this.deps.outbound, nudgeId: doc.id });
      report.deliveries.attempted++;
      b.deliveries.push(a);
      b.updatedAt = now;
      if (a.ok) {
        b.status = 'delivered';
        report.deliveries.delivered++;
        this.deps.sent?.(b.channel);
      } else if (attempt > RETRY_DELAYS_MS.length) {
        b.status = 'failed';
        b.error = `gave up after ${attempt} attempts: ${a.error}`;
        report.deliveries.failed++;
      } else report.deliveries.retrying++;
      await store.putDocs(ws, [doc]);
      if (b.status === 'delivering') await store.putDocs(ws, [{ ...o, body: { nextAttemptAt: now + RETRY_DELAYS_MS[attempt - 1] } }]);
      else await store.deleteDoc(ws, NUDGE_OUTBOX_COLLECTION, o.id);
    }
  }

  /**
   * Items the catalogue did not have at the previous evaluation, with when they were first seen (the
   * catalogue keeps no creation time). The first evaluation learns the catalogue as it is: nothing is new.
   */
  private async trackNewItems(ws: string, items: readonly NudgeItem[], now: number): Promise<Array<{ itemId: string; firstSeenAt: number }>> {
    const d = await this.deps.store.getDoc(ws, NUDGE_SETTINGS_COLLECTION, SEEN_ITEMS_DOC);
    const known = new Set<string>((d?.body.ids as string[] | undefined) ?? []);
    const fresh: Record<string, number> = { ...((d?.body.fresh as Record<string, number> | undefined) ?? {}) };
    let changed = !d;
    for (const it of items)
      if (!known.has(it.id)) {
        known.add(it.id);
        if (d) fresh[it.id] = now;
        changed = true;
      }
    for (const [id, at] of Object.entries(fresh))
      if (now - at > 90 * DAY_MS) {
        delete fresh[id];
        changed = true;
      }
    if (changed)
      await this.deps.store.putDocs(ws, [
        { collection: NUDGE_SETTINGS_COLLECTION, id: SEEN_ITEMS_DOC, subject: null, createdAt: now, body: { ids: [...known], fresh } },
      ]);
    return Object.entries(fresh)
      .map(([itemId, firstSeenAt]) => ({ itemId, firstSeenAt }))
      .sort((a, b) => b.firstSeenAt - a.firstSeenAt);
  }

  /**
   * The chat nudge waiting for the person's next conversation (the newest), marked `opened` so it is
   * shown once: what `GET /v1/chat/opener` can open with. Null when there is none, or when the person
   * no longer allows marketing or was erased.
   */
  async takeChatNudge(
    ws: string,
    userId: string,
  ): Promise<{ nudgeId: string; sessionId: string; message: string; trigger: TriggerKind; items: NudgeBody['items'] } | null> {
    const doc = (await this.deps.store.listDocs(ws, NUDGE_COLLECTION, { subject: userId, limit: 500 })).find((d) => {
      const b = d.body as unknown as NudgeBody;
      return b.channel === 'chat' && b.status === 'waiting' && b.sessionId;
    });
    if (!doc) return null;
    const consent = await this.deps.consentOf(ws, userId);
    if (consent.erased || !consent.marketing) return null;
    const b = doc.body as unknown as NudgeBody;
    b.status = 'opened';
    b.updatedAt = this.deps.clock();
    await this.deps.store.putDocs(ws, [doc]);
    return { nudgeId: doc.id, sessionId: b.sessionId!, message: b.message, trigger: b.trigger, items: b.items };
  }

  // ---- reading ----

  async forUser(ws: string, userId: string, raw: unknown) {
    const q = parseOr(UserNudgesQuery, raw ?? {}, 'invalid_query');
    const docs = await this.deps.store.listDocs(ws, NUDGE_COLLECTION, { subject: userId, limit: 500 });
    const list = docs
      .map(nudgeView)
      .filter((n) => (q.channel === undefined || n.channel === q.channel) && (q.status === undefined || n.status === q.status))
      .slice(0, q.limit ?? 100);
    return { userId, nudges: list };
  }

  // ---- review ----

  /**
   * One queue for the people who supervise: nudges and generated content waiting for review, and chat sessions waiting for a
   * human agent (read from the chat's own store, answered through `POST /v1/chat/:sessionId/agent`). Oldest first.
   */
  async reviewQueue(ws: string, raw: unknown) {
    const q = parseOr(ReviewQuery, raw ?? {}, 'invalid_query');
    const nudges = (await this.deps.store.listDocs(ws, NUDGE_COLLECTION, { limit: 5000 }))
      .filter((d) => (d.body as unknown as NudgeBody).status === 'review')
      .map((d) => ({ kind: 'nudge' as const, at: d.createdAt, ...nudgeView(d), decide: `POST /v1/review/${d.id}` }));
    const chats = (await this.chats.flagged(ws, 500)).map((s) => ({
      kind: 'chat_handoff' as const,
      at: s.flagged!.at,
      id: `chat:${s.id}`,
      sessionId: s.id,
      userId: s.userId,
      createdAt: iso(s.flagged!.at),
      reason: s.flagged!.reason,
      lastTurns: s.turns.slice(-4).map((t) => ({ role: t.role, text: t.text, at: iso(t.at) })),
      answer: `POST /v1/chat/${s.id}/agent`,
    }));
    const content = (await this.deps.heldContent?.pending(ws)) ?? [];
    const items = [...nudges, ...chats, ...content]
      .sort((a, b) => a.at - b.at)
      .slice(0, q.limit ?? 100)
      .map(({ at: _at, ...rest }) => rest);
    return { items, counts: { nudges: nudges.length, chats: chats.length, ...(content.length ? { content: content.length } : {}) } };
  }

  /** Approves, rejects or edits (and so approves) a nudge (or held content) under review; who and when go to the audit log. */
  async decide(ws: string, id: string, raw: unknown, actor: { keyId?: string; scope?: string }) {
    const b = parseOr(ReviewDecision, raw ?? {}, 'invalid_body');
    if (id.startsWith('chat:'))
      throw new AfinError('conflict', `id: ${id} is a chat waiting for a person: answer it with POST /v1/chat/${id.slice(5)}/agent`, 'id');
    if (id.startsWith('cnt_')) {
      if (!this.deps.heldContent) throw new AfinError('not_found', `content "${id}" not found`, 'id');
      return this.deps.heldContent.decide(ws, id, b, actor);
    }
    const doc = await this.deps.store.getDoc(ws, NUDGE_COLLECTION, id);
    if (!doc) throw new AfinError('not_found', `nudge "${id}" not found`, 'id');
    const n = doc.body as unknown as NudgeBody;
    if (n.status !== 'review') throw new AfinError('conflict', `id: nudge "${id}" is not waiting for review (status ${n.status})`, 'id');
    const now = this.deps.clock();
    if (b.action !== 'reject') {
      const consent = await this.deps.consentOf(ws, n.userId);
      if (consent.erased || !consent.marketing)
        throw new AfinError('conflict', `user ${n.userId} no longer allows marketing (or was erased): the nudge cannot be sent`, 'consent.marketing');
    }
    n.review = {
      action: b.action,
      at: now,
      ...(b.reviewer ? { reviewer: b.reviewer } : {}),
      ...(actor.keyId ? { keyId: actor.keyId } : {}),
      ...(b.note ? { note: b.note } : {}),
      ...(b.action === 'edit' ? { originalMessage: n.message } : {}),
    };
    if (b.action === 'edit') n.message = b.message!;
    n.status = b.action === 'reject' ? 'rejected' : 'delivering';
    n.updatedAt = now;
    await this.deps.store.putDocs(ws, [doc]);
    await this.deps.audit(ws, {
      actor,
      action: `nudge.review.${b.action}`,
      target: id,
      userId: n.userId,
      detail: { trigger: n.trigger, channel: n.channel, ...(b.reviewer ? { reviewer: b.reviewer } : {}) },
    });
    if (n.status === 'delivering') {
      await this.dispatch(ws, doc);
      const report: RunReport = {
        workspace: ws,
        at: iso(now),
        people: 0,
        fired: [],
        suppressed: { consent: 0, erased: 0, quietHours: 0, cap: 0 },
        deliveries: { attempted: 0, delivered: 0, failed: 0, retrying: 0 },
      };
      await this.deliverDue(ws, await this.settings(ws), report, id);
    }
    return nudgeView((await this.deps.store.getDoc(ws, NUDGE_COLLECTION, id)) ?? doc);
  }
}
