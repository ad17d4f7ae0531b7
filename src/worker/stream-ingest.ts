import type { StreamMessage, StreamVerdict } from '../bus/event-stream.ts';
import { AfinError } from '../domain/errors.ts';
import { MAX_BATCH, type EventsResult } from '../ingest/ingest-service.ts';

/** The ingest service's entry point, as the HTTP route calls it. */
export type PostEvents = (ws: string, body: unknown, opts: { link: boolean }) => Promise<EventsResult>;

const dec = new TextDecoder();

/** A message's events, or why it can never be stored. */
export type Decoded = { events: unknown[] } | { bad: string };

/**
 * One message's body: an event object or a JSON array of them, as `POST /v1/events` takes. An event
 * without a `messageId` gets one from the message itself (the producer's `Nats-Msg-Id`, else the
 * stream and sequence number), so a redelivery after a crash is a duplicate, never a second event.
 */
export function decodeMessage(m: StreamMessage, stream: string): Decoded {
  let body: unknown;
  try {
    body = JSON.parse(dec.decode(m.data));
  } catch {
    return { bad: 'body: not JSON' };
  }
  const list = Array.isArray(body) ? body : body !== null && typeof body === 'object' ? [body] : null;
  if (!list) return { bad: 'body: expected an event object or a JSON array of events' };
  if (list.length > MAX_BATCH) return { bad: `body: a message holds at most ${MAX_BATCH} events, got ${list.length}` };
  const base = m.msgId ?? `nats:${stream}:${m.seq}`;
  const events = list.map((e, i) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e) || (e as { messageId?: unknown }).messageId !== undefined) return e;
    return { ...e, messageId: Array.isArray(body) ? `${base}:${i}` : base };
  });
  return { events };
}

export interface StreamIngestTotals {
  messages: number;
  accepted: number;
  duplicates: number;
  suppressed: number;
  dead: number;
  retried: number;
}

/**
 * Turns batches of stream messages into `postEvents` calls with the HTTP route's rules (validation,
 * dedup by messageId, erased people's events dropped, visitors linked, as for a server key: whoever
 * may publish on the subject is a trusted producer). Messages are stored together, up to the route's
 * 1,000 events per call, and each gets its verdict: acknowledged once the store has its events; dead
 * (with the reasons) when some of its events can never be stored, after its good events were stored,
 * as the route does for a batch; retried when the store failed.
 */
export class StreamIngester {
  readonly totals: StreamIngestTotals = { messages: 0, accepted: 0, duplicates: 0, suppressed: 0, dead: 0, retried: 0 };

  constructor(
    private readonly post: PostEvents,
    private readonly ws: string,
    private readonly stream: string,
  ) {}

  async handle(batch: readonly StreamMessage[]): Promise<StreamVerdict[]> {
    const verdicts: StreamVerdict[] = new Array(batch.length);
    const decoded = batch.map((m) => decodeMessage(m, this.stream));
    let group: number[] = [];
    let size = 0;
    for (let i = 0; i < batch.length; i++) {
      const d = decoded[i];
      if ('bad' in d) {
        verdicts[i] = { kind: 'dead', reason: d.bad };
        continue;
      }
      if (size + d.events.length > MAX_BATCH) {
        await this.store(group, decoded, verdicts);
        group = [];
        size = 0;
      }
      group.push(i);
      size += d.events.length;
    }
    await this.store(group, decoded, verdicts);
    this.totals.messages += batch.length;
    for (const v of verdicts) {
      if (v.kind === 'dead') this.totals.dead++;
      else if (v.kind === 'retry') this.totals.retried++;
    }
    return verdicts;
  }

  /** Stores the events of messages `group` in one call and gives each message its verdict. */
  private async store(group: readonly number[], decoded: readonly Decoded[], verdicts: StreamVerdict[]): Promise<void> {
    if (group.length === 0) return;
    const events: unknown[] = [];
    const owner: number[] = []; // event index -> message index
    for (const i of group) {
      for (const e of (decoded[i] as { events: unknown[] }).events) {
        events.push(e);
        owner.push(i);
      }
    }
    if (events.length === 0) {
      for (const i of group) verdicts[i] = { kind: 'ack' };
      return;
    }
    let r: EventsResult;
    try {
      r = await this.post(this.ws, events, { link: true });
    } catch (err) {
      // A refusal of the whole call is about what was sent: alone, each message gets its own answer.
      if (err instanceof AfinError && group.length > 1) {
        for (const i of group) await this.store([i], decoded, verdicts);
        return;
      }
      for (const i of group) verdicts[i] = err instanceof AfinError ? { kind: 'dead', reason: err.message } : { kind: 'retry' };
      return;
    }
    this.totals.accepted += r.accepted;
    this.totals.duplicates += r.duplicates;
    this.totals.suppressed += r.suppressed ?? 0;
    const reasons = new Map<number, string[]>();
    const first = owner.indexOf(group[0]);
    for (const rej of r.rejected) {
      const i = owner[rej.index];
      // Reasons name the event's place in its own message, not in the combined call.
      const at = rej.index - owner.indexOf(i, first);
      const list = reasons.get(i) ?? [];
      list.push(rej.error.replace(`[${rej.index}]`, `[${at}]`));
      reasons.set(i, list);
    }
    for (const i of group) {
      const why = reasons.get(i);
      verdicts[i] = why ? { kind: 'dead', reason: why.join('; ') } : { kind: 'ack' };
    }
  }
}
