import type { Catalog } from '../catalog/catalog.ts';
import type { Doc, Store } from '../store/store.ts';
import { basedOnReason, FEATURED_REASON, filterReason, interestReason, NEW_REASON, PRICE_BAND_REASON, RESTOCK_REASON, trendingReason } from './reasons.ts';

export const RECOMMENDATION_COLLECTION = 'recommendation';

/** At most this many recommendation logs per workspace by default (the oldest go first). */
export const DEFAULT_MAX_LOGS_PER_WORKSPACE = 100_000;

/** The evidence behind one item, as the recommend service builds it (the verbose form). */
interface VerboseEvidence {
  trendScore?: number;
  basedOn?: { itemId: string; title?: string | null; event?: { type: string; at: string | null } | null };
  profileMatch?: { category: string; affinity: number };
}

/** The log body as the recommend service writes it (before compaction). */
interface VerboseBody {
  model: string;
  personalized: boolean;
  context: string;
  query?: { category?: string; minPrice?: number; maxPrice?: number };
  historyUsed?: number;
  rules?: string[];
  items: Array<{ id: string; score: number; reasons: string[]; evidence?: VerboseEvidence }>;
}

/**
 * One logged item: id, score, trend score, its reasons as a string of one-letter codes (lower case:
 * rebuilt from the evidence; a digit or upper-case letter: an entry of the log's text table), then
 * the evidence by reference: an index into the log's source table (the item it was based on) and
 * into its interest table, or -1. Trailing empty fields are left out.
 */
type LoggedItem = [id: string, score: number, trend: number, reasons: string, source?: number, interest?: number];

/** A source an item was based on: item id, event type (`in_view`: the page's item), seconds before the answer. */
type LoggedSource = [itemId: string, type: string, agoS: number | null];

/**
 * What a recommendation log keeps (format 2): ids, scores, the model, and reasons and evidence by
 * reference into small per-log tables, about 500 bytes for ten items where the spelled-out form took
 * 4.8 KB. `/why` spells it out again against the current catalogue (titles as they are now).
 */
interface CompactBody {
  v: 2;
  m: string;
  p: 0 | 1;
  c: string;
  /** The page's filters, which some reasons and rules quote. */
  q?: { category?: string; minPrice?: number; maxPrice?: number };
  h: number;
  /** Rules in force: one-letter codes for the common ones, texts for the rest. */
  r: string[];
  i: LoggedItem[];
  /** Sources, interests (category, affinity) and reason texts that items refer to. */
  s?: LoggedSource[];
  k?: Array<[category: string, affinity: number]>;
  t?: string[];
}

const round6 = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : 0);
/** The trend share is evidence, not a ranking input: four decimals say enough. */
const round4 = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : 0);
/** Reason-text table references: 36 one-character indices. */
const TEXT_REFS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Rule lines that are rebuilt from the query or are constant. */
const RULE_CODES: Record<string, (q: NonNullable<CompactBody['q']>) => string> = {
  '.': () => 'only available items',
  C: (q) => `category: ${q.category}`,
  L: (q) => `price ≥ ${q.minPrice}`,
  H: (q) => `price ≤ ${q.maxPrice}`,
  P: () => 'personalization is off for this person (consent): non-personalised answer',
};

/** The coded rules' texts for one query, each mapped to its code (spelled once per log, not per rule). */
function ruleCoder(q: NonNullable<CompactBody['q']>): (rule: string) => string {
  const codes = new Map<string, string>();
  for (const [code, text] of Object.entries(RULE_CODES)) {
    const t = text(q);
    if (!codes.has(t)) codes.set(t, code); // the first code spelling a text wins, as in a scan
  }
  return (rule) => codes.get(rule) ?? rule;
}

/** Interns values into a table, returning each one's index; `keyOf` must tell rows apart exactly. */
class Table<T> {
  readonly rows: T[] = [];
  private readonly at = new Map<string, number>();
  constructor(private readonly keyOf: (row: T) => string = (row) => JSON.stringify(row)) {}
  ref(row: T): number {
    const key = this.keyOf(row);
    let i = this.at.get(key);
    if (i === undefined) {
      i = this.rows.length;
      this.rows.push(row);
      this.at.set(key, i);
    }
    return i;
  }
}

/** The compact form of a verbose log body (a compact one, or one it cannot code, is returned as it is). */
export function compactLog(body: unknown, createdAt: number): unknown {
  return logTemplate(body as Record<string, unknown>)(createdAt);
}

/**
 * A verbose log body compacted once, for logging the same answer at several times (a page served
 * again from the recommend memo): only the sources' ages depend on the answer's time.
 */
export function logTemplate(body: Record<string, unknown>): (createdAt: number) => Record<string, unknown> {
  const b = body as unknown as VerboseBody | CompactBody;
  if ((b as CompactBody).v === 2 || !Array.isArray((b as VerboseBody).items)) return () => body;
  let timeless: Timeless;
  try {
    timeless = compact(b as VerboseBody);
  } catch (err) {
    if (err instanceof RangeError) return () => body; // more than 36 distinct uncoded reasons: kept spelled out
    throw err;
  }
  const { out, sourceAt } = timeless;
  const rows = out.s;
  if (!rows) return () => out as unknown as Record<string, unknown>;
  const { v, m, p, c, h, r, i, q, k: interests, t } = out;
  // Once per served answer: indexed reads, no destructuring of each row (an iterator each), and the body
  // written out field by field in `out`'s order (compact's), as `{ ...out, s }` would give it: a spread
  // of pages' bodies of eight shapes took a microsecond an answer, this a fifth of that.
  return (createdAt) => {
    const s: LoggedSource[] = [];
    for (let k = 0; k < rows.length; k++) {
      const at = sourceAt[k];
      s.push([rows[k][0], rows[k][1], at === null ? null : Math.round((createdAt - at) / 1000)]);
    }
    const body: Record<string, unknown> = { v, m, p, c, h, r, i };
    if (q !== undefined) body.q = q;
    body.s = s;
    if (interests !== undefined) body.k = interests;
    if (t !== undefined) body.t = t;
    return body;
  };
}

/** A compact body whose sources' ages are still to be counted: `sourceAt` holds each source's time (ms). */
interface Timeless {
  out: CompactBody;
  sourceAt: Array<number | null>;
}

function compact(vb: VerboseBody): Timeless {
  const q: NonNullable<CompactBody['q']> = {};
  if (vb.query?.category !== undefined) q.category = vb.query.category;
  if (vb.query?.minPrice !== undefined) q.minPrice = vb.query.minPrice;
  if (vb.query?.maxPrice !== undefined) q.maxPrice = vb.query.maxPrice;
  // The filter note names the first item's currency: rebuilt from the catalogue at /why.
  const filterNote = vb.items[0]?.reasons.find((r) => r.startsWith('Matches: ')) ?? null;
  // Keys without JSON: the time (a number or null) and the event type hold no NUL, so the item id
  // may come last whatever it holds.
  const sources = new Table<[itemId: string, type: string, at: number | null]>(([itemId, type, at]) => `${at}\u0000${type}\u0000${itemId}`);
  const interests = new Table<[string, number]>(([category, affinity]) => `${affinity}\u0000${category}`);
  const texts = new Table<string>((text) => text);
  /** An item's own reason texts, spelled once per item rather than once per reason. */
  let spelledFor: VerboseEvidence | undefined;
  let basedOnText: string | null = null;
  let interestText: string | null = null;
  const reasonCode = (r: string, ev: VerboseEvidence | undefined): string => {
    if (spelledFor !== ev || ev === undefined) {
      spelledFor = ev;
      const bo = ev?.basedOn;
      basedOnText = bo ? basedOnReason(vb.context, bo.event?.type ?? 'in_view', bo.title, bo.itemId) : null;
      interestText = ev?.profileMatch ? interestReason(ev.profileMatch.category) : null;
    }
    if (basedOnText !== null && r === basedOnText) return 'b';
    if (interestText !== null && r === interestText) return 'i';
    if (r === RESTOCK_REASON) return 'r';
    if (r === FEATURED_REASON) return 'f';
    if (r === NEW_REASON) return 'n';
    if (r === PRICE_BAND_REASON) return 'p';
    if (r === 'Trending now' || r.startsWith('Trending in ')) return 't';
    if (filterNote !== null && r === filterNote) return 'm';
    // Any other reason (a newer kind, or a title changed since): kept as text, once per log.
    const k = texts.ref(r);
    if (k >= TEXT_REFS.length) throw new RangeError('too many distinct reasons');
    return TEXT_REFS[k];
  };
  const out: CompactBody = {
    v: 2,
    m: vb.model,
    p: vb.personalized ? 1 : 0,
    c: vb.context,
    h: vb.historyUsed ?? 0,
    r: (vb.rules ?? []).map(ruleCoder(q)),
    i: vb.items.map((it) => {
      const ev = it.evidence;
      const row: LoggedItem = [it.id, round6(it.score), round4(ev?.trendScore ?? 0), it.reasons.map((r) => reasonCode(r, ev)).join('')];
      const bo = ev?.basedOn;
      const at = bo?.event?.at ? Date.parse(bo.event.at) : null;
      const source = bo ? sources.ref([bo.itemId, bo.event?.type ?? 'in_view', at === null || Number.isNaN(at) ? null : at]) : -1;
      const interest = ev?.profileMatch ? interests.ref([ev.profileMatch.category, ev.profileMatch.affinity]) : -1;
      if (source >= 0 || interest >= 0) row.push(source);
      if (interest >= 0) row.push(interest);
      return row;
    }),
  };
  if (Object.keys(q).length) out.q = q;
  if (sources.rows.length) out.s = sources.rows.map(([itemId, type]) => [itemId, type, null]);
  if (interests.rows.length) out.k = interests.rows;
  if (texts.rows.length) out.t = texts.rows;
  return { out, sourceAt: sources.rows.map(([, , at]) => at) };
}

/** Whether a logged answer was personalised, in either log format (for figures that read the log in bulk). */
export function wasPersonalized(body: Record<string, unknown>): boolean {
  return body.v === 2 ? body.p === 1 : body.personalized === true;
}

/**
 * A logged answer spelled out for `GET /v1/recommendations/:id/why`: reasons and titles rebuilt from
 * the codes and the current catalogue. Logs written before format 2 are returned as they were stored.
 */
export function explainLog(doc: Doc, catalog: Catalog) {
  const head = { recommendationId: doc.id, userId: doc.subject, createdAt: new Date(doc.createdAt).toISOString() };
  const b = doc.body as CompactBody | (VerboseBody & Record<string, unknown>);
  if ((b as CompactBody).v !== 2) {
    const vb = b as VerboseBody;
    return {
      ...head,
      model: vb.model,
      personalized: vb.personalized,
      context: vb.context,
      historyUsed: vb.historyUsed ?? 0,
      rules: vb.rules ?? [],
      items: vb.items,
    };
  }
  const cb = b as CompactBody;
  const q = cb.q ?? {};
  const title = (id: string) => catalog.get(id)?.title ?? null;
  const filterNote = filterReason(q, catalog.get(cb.i[0]?.[0] ?? '')?.currency);
  return {
    ...head,
    model: cb.m,
    personalized: cb.p === 1,
    context: cb.c,
    historyUsed: cb.h,
    rules: cb.r.map((r) => (r.length === 1 && RULE_CODES[r] ? RULE_CODES[r](q) : r)),
    items: cb.i.map(([id, score, trend, codes, si = -1, ki = -1]) => {
      const src = si >= 0 ? cb.s?.[si] : undefined;
      const interest = ki >= 0 ? cb.k?.[ki] : undefined;
      const evidence: Record<string, unknown> = { id, score, personalScore: round6(Math.max(0, score - trend)), trendScore: trend };
      if (src) {
        const [itemId, type, agoS] = src;
        evidence.basedOn = { itemId, title: title(itemId), event: { type, at: agoS === null ? null : new Date(doc.createdAt - agoS * 1000).toISOString() } };
      }
      if (interest) evidence.profileMatch = { category: interest[0], affinity: interest[1] };
      const reasons = [...codes].map((c) => {
        switch (c) {
          case 'b':
            return src ? basedOnReason(cb.c, src[1], title(src[0]), src[0]) : '';
          case 'i':
            return interestReason(interest?.[0] ?? '');
          case 'r':
            return RESTOCK_REASON;
          case 'f':
            return FEATURED_REASON;
          case 'n':
            return NEW_REASON;
          case 'p':
            return PRICE_BAND_REASON;
          case 't':
            return trendingReason(catalog.get(id));
          case 'm':
            return filterNote ?? '';
          default:
            return cb.t?.[TEXT_REFS.indexOf(c)] ?? '';
        }
      });
      return { id, score, reasons, evidence };
    }),
  };
}

export interface RecommendationLogOptions {
  intervalMs?: number;
  maxPending?: number;
  /** At most this many logs per workspace; the oldest are deleted as new ones arrive. */
  maxPerWorkspace?: number;
}

/**
 * Keeps what was recommended to whom, so later events can cite a `recommendationId` and an
 * explanation can be looked up. Writes are batched off the request path: losing the last second of
 * this log on a crash loses no user data, and it keeps a per-request disk sync out of the hot path.
 * Read traffic must not fill the disk: each log is compact (see `compactLog`), a workspace keeps at
 * most `maxPerWorkspace` of them, and the retention job deletes those older than 30 days.
 */
export class RecommendationLog {
  private pending: Array<{ ws: string; doc: Doc }> = [];
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly maxPending: number;
  readonly maxPerWorkspace: number;
  /** Logs written per workspace since its last trim. */
  private readonly sinceTrim = new Map<string, number>();

  constructor(
    private readonly store: Store,
    opts: RecommendationLogOptions = {},
  ) {
    this.maxPending = opts.maxPending ?? 500;
    this.maxPerWorkspace = Math.max(1, opts.maxPerWorkspace ?? DEFAULT_MAX_LOGS_PER_WORKSPACE);
    this.timer = setInterval(() => void this.flush(), opts.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Logs an answer; its body is compacted here unless it already is (see `logTemplate`). */
  add(ws: string, doc: Doc): void {
    this.pending.push({ ws, doc: { ...doc, body: compactLog(doc.body, doc.createdAt) as Record<string, unknown> } });
    if (this.pending.length >= this.maxPending) void this.flush();
  }

  flush(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return this.flushing;
    this.pending = [];
    const byWs = new Map<string, Doc[]>();
    for (const { ws, doc } of batch) {
      let l = byWs.get(ws);
      if (!l) byWs.set(ws, (l = []));
      l.push(doc);
    }
    this.flushing = this.flushing.then(async () => {
      for (const [ws, docs] of byWs) {
        await this.store.putDocs(ws, docs).catch(() => undefined);
        // Trim once a tenth of the cap arrived (at least every 1,000 logs), so the cost stays small.
        const n = (this.sinceTrim.get(ws) ?? 0) + docs.length;
        if (n >= Math.min(1000, Math.ceil(this.maxPerWorkspace / 10))) {
          this.sinceTrim.set(ws, 0);
          await this.store.trimDocs(ws, RECOMMENDATION_COLLECTION, this.maxPerWorkspace).catch(() => undefined);
        } else this.sinceTrim.set(ws, n);
      }
    });
    return this.flushing;
  }

  /**
   * On erasure: drops the unflushed entries about these subjects (they never reach the disk) and
   * waits for a flush in progress, so that nothing about them is written after the caller deletes.
   */
  async forget(ws: string, subjects: readonly string[]): Promise<void> {
    const gone = new Set(subjects);
    this.pending = this.pending.filter((p) => !(p.ws === ws && p.doc.subject !== null && gone.has(p.doc.subject)));
    await this.flushing;
  }

  /** A logged recommendation, looking at unflushed entries too. */
  async get(ws: string, id: string): Promise<Doc | null> {
    const hit = this.pending.find((p) => p.ws === ws && p.doc.id === id);
    return hit ? hit.doc : this.store.getDoc(ws, RECOMMENDATION_COLLECTION, id);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
