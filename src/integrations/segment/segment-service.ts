import { AfinError, describeIssue } from '../../domain/errors.ts';
import { eventTime, mapMessage, sourceField, type MappedEvent } from './mapping.ts';
import { SegmentMessage, missingField, type MessageType } from './schemas.ts';

/** The most Afín events one request may turn into (an order becomes one event per product). */
export const MAX_EVENTS = 1000;

/** What this slice needs from ingest: Afín's own event, user and alias writes (validation, dedup, consent, suppression). */
export interface SegmentIngest {
  postEvents(
    ws: string,
    events: unknown[],
    opts: { link: boolean },
  ): Promise<{ accepted: number; duplicates: number; rejected: Array<{ index: number; field?: string; error: string }>; suppressed?: number }>;
  putUser(ws: string, id: string, body: unknown): Promise<unknown>;
  alias(ws: string, body: unknown): Promise<{ merged: number }>;
}

/** Per request, a test of whether ids belong to an erased person (whose late identify calls are dropped). */
export type ErasedCheck = (ws: string) => Promise<(ids: { userId?: string | null; anonymousId?: string | null }) => boolean>;

export interface SegmentResult {
  /** Segment's own answer field, which its libraries read. */
  success: true;
  /** Afín events stored (an order counts one per product). */
  accepted: number;
  duplicates: number;
  /** Identify and alias calls applied. */
  identified: number;
  /** Valid messages Afín does not record (page views, unmapped events, …). */
  ignored: number;
  rejected: Array<{ index: number; field: string; error: string }>;
  suppressed?: number;
}

export interface ReceiveOptions {
  /** A server or admin key: may identify, alias and link ids. A public key sends events only. */
  trusted: boolean;
  /** The route's type (`/v1/track`); in a batch each message names its own. */
  type?: MessageType;
  /** The batch's `sentAt`, for messages without their own. */
  sentAt?: string | number;
  /** `batch[i]` in a batch's answers; empty for a single call. */
  prefix: (index: number) => string;
}

/** Receives Segment / RudderStack calls and hands them to ingest as Afín's events, users and aliases. */
export class SegmentService {
  constructor(
    private readonly ingest: SegmentIngest,
    private readonly erased: ErasedCheck,
    private readonly clock: () => number = Date.now,
  ) {}

  async receive(ws: string, messages: readonly unknown[], o: ReceiveOptions): Promise<SegmentResult> {
    const receivedAt = this.clock();
    const out: SegmentResult = { success: true, accepted: 0, duplicates: 0, identified: 0, ignored: 0, rejected: [] };
    const reject = (index: number, field: string, error: string) => {
      const at = o.prefix(index);
      const f = at && field ? `${at}.${field}` : at || field || 'body';
      out.rejected.push({ index, field: f, error: `${f}: ${error}` });
    };
    const events: Array<MappedEvent & { index: number }> = [];
    const isErased = await this.erased(ws);
    for (let index = 0; index < messages.length; index++) {
      const r = SegmentMessage.safeParse(messages[index]);
      if (!r.success) {
        const { field, message } = describeIssue(r.error);
        reject(index, field === 'body' ? '' : field, message.replace(/^[^:]*: /, ''));
        continue;
      }
      const m = r.data;
      const type = o.type ?? m.type;
      if (!type) {
        reject(index, 'type', 'required in a batch: track, identify, page, screen, alias or group');
        continue;
      }
      if (o.type && m.type && m.type !== o.type) {
        reject(index, 'type', `this route takes ${o.type} calls, got ${m.type}`);
        continue;
      }
      const missing = missingField(m, type);
      if (missing) {
        reject(index, missing.field, missing.message);
        continue;
      }
      const mapped = mapMessage(m, type, eventTime(m, o.sentAt, receivedAt));
      if (mapped.kind === 'ignored') out.ignored++;
      else if (mapped.kind === 'events') for (const e of mapped.events) events.push({ ...e, index });
      else if (!o.trusted) reject(index, 'type', `${type} calls need a server key: a public key sends events only`);
      else await this.identify(ws, mapped, index, isErased, out, reject);
    }
    if (events.length > MAX_EVENTS)
      throw new AfinError('batch_too_large', `batch: its messages make ${events.length} Afín events; at most ${MAX_EVENTS} per request`, 'batch');
    if (events.length > 0) {
      const r = await this.ingest.postEvents(
        ws,
        events.map((e) => e.event),
        { link: o.trusted },
      );
      out.accepted += r.accepted;
      out.duplicates += r.duplicates;
      if (r.suppressed) out.suppressed = (out.suppressed ?? 0) + r.suppressed;
      // An order's products are rejected one by one; its message is reported once, for the first.
      const reported = new Set<number>();
      for (const x of r.rejected) {
        const e = events[x.index];
        if (reported.has(e.index)) continue;
        reported.add(e.index);
        const field = sourceField(x.field, e.from);
        reject(e.index, field, x.error.replace(/^[^:]*: /, ''));
      }
    }
    out.rejected.sort((a, b) => a.index - b.index);
    return out;
  }

  /** An identify (traits, and the visitor's link when both ids are known) or an alias, through ingest. */
  private async identify(
    ws: string,
    m: { kind: 'identify'; userId?: string; anonymousId?: string; traits: Record<string, unknown> } | { kind: 'alias'; anonymousId: string; userId: string },
    index: number,
    isErased: (ids: { userId?: string; anonymousId?: string }) => boolean,
    out: SegmentResult,
    reject: (index: number, field: string, error: string) => void,
  ): Promise<void> {
    // A late call about an erased person brings nothing of theirs back.
    if (isErased({ userId: m.userId }) || (m.anonymousId && isErased({ anonymousId: m.anonymousId }))) {
      out.suppressed = (out.suppressed ?? 0) + 1;
      return;
    }
    try {
      if (m.anonymousId && m.userId) await this.ingest.alias(ws, { anonymousId: m.anonymousId, userId: m.userId });
      if (m.kind === 'identify' && m.userId && Object.keys(m.traits).length > 0) await this.ingest.putUser(ws, m.userId, { traits: m.traits });
      out.identified++;
    } catch (e) {
      if (!(e instanceof AfinError) || e.status >= 500) throw e;
      const field = m.kind === 'alias' && e.field === 'anonymousId' ? 'previousId' : (e.field ?? '');
      reject(index, field, e.message.replace(/^[^:]*: /, ''));
    }
  }
}
