/**
 * The history the predictors read: every person's events, grouped by person and sorted by time,
 * in columns. Built once from any source (the store, the simulator, a CSV), then sliced at cutoffs.
 */

/** What an event says about a person, for prediction (impressions say nothing: they are not the person's acts). */
export const KIND = { view: 0, cart: 1, purchase: 2, return: 3, dislike: 4, like: 5, chat: 6, other: 7 } as const;
export type Kind = (typeof KIND)[keyof typeof KIND];

/** One event as the predictors take it. */
export interface LogRow {
  person: string;
  /** The item's category (its leaf), or null when unknown. */
  category: string | null;
  kind: Kind;
  /** Epoch milliseconds. */
  time: number;
  /** The money of a purchase or return, when known. */
  value: number | null;
}

export interface EventLog {
  persons: string[];
  categories: string[];
  /** Person p's events are rows start[p] .. start[p+1]-1, oldest first. */
  start: Int32Array;
  /** Category index, or -1. */
  category: Int32Array;
  kind: Uint8Array;
  time: Float64Array;
  /** NaN where unknown. */
  value: Float64Array;
  /** The earliest and latest event times. */
  first: number;
  last: number;
}

/** The kind of an Afín event type, or null for those that are not a person's act (impressions). */
export function kindOfType(type: string): Kind | null {
  switch (type) {
    case 'view':
    case 'click':
      return KIND.view;
    case 'add_to_cart':
      return KIND.cart;
    case 'purchase':
      return KIND.purchase;
    case 'return':
      return KIND.return;
    case 'dislike':
      return KIND.dislike;
    case 'like':
    case 'rating':
      return KIND.like;
    case 'chat':
      return KIND.chat;
    case 'impression':
      return null;
    default:
      return KIND.other;
  }
}

/** Groups rows by person and sorts each person's by time (stable, so same-time rows keep their order). */
export function buildEventLog(rows: Iterable<LogRow>): EventLog {
  const personIndex = new Map<string, number>();
  const categoryIndex = new Map<string, number>();
  const persons: string[] = [];
  const categories: string[] = [];
  const byPerson: number[][] = [];
  const cat: number[] = [];
  const kind: number[] = [];
  const time: number[] = [];
  const value: number[] = [];
  for (const r of rows) {
    let p = personIndex.get(r.person);
    if (p === undefined) {
      personIndex.set(r.person, (p = persons.length));
      persons.push(r.person);
      byPerson.push([]);
    }
    let c = -1;
    if (r.category !== null) {
      c = categoryIndex.get(r.category) ?? -1;
      if (c < 0) {
        categoryIndex.set(r.category, (c = categories.length));
        categories.push(r.category);
      }
    }
    byPerson[p].push(time.length);
    cat.push(c);
    kind.push(r.kind);
    time.push(r.time);
    value.push(r.value ?? Number.NaN);
  }
  const n = time.length;
  const log: EventLog = {
    persons,
    categories,
    start: new Int32Array(persons.length + 1),
    category: new Int32Array(n),
    kind: new Uint8Array(n),
    time: new Float64Array(n),
    value: new Float64Array(n),
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
  };
  let k = 0;
  for (let p = 0; p < persons.length; p++) {
    log.start[p] = k;
    const rowsOf = byPerson[p].sort((a, b) => time[a] - time[b] || a - b);
    for (const i of rowsOf) {
      log.category[k] = cat[i];
      log.kind[k] = kind[i];
      log.time[k] = time[i];
      log.value[k] = value[i];
      if (time[i] < log.first) log.first = time[i];
      if (time[i] > log.last) log.last = time[i];
      k++;
    }
  }
  log.start[persons.length] = k;
  return log;
}

/** The time by which a share q of all events happened (robust start and end of a history). */
export function timeQuantile(log: EventLog, q: number): number {
  if (log.time.length === 0) return 0;
  const sorted = Float64Array.from(log.time).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))];
}

/** The same log with only the events before `cutoff` (the history as it stood then). */
export function truncateLog(log: EventLog, cutoff: number): EventLog {
  const rows: LogRow[] = [];
  for (let p = 0; p < log.persons.length; p++)
    for (let i = log.start[p]; i < log.start[p + 1] && log.time[i] < cutoff; i++)
      rows.push({
        person: log.persons[p],
        category: log.category[i] >= 0 ? log.categories[log.category[i]] : null,
        kind: log.kind[i] as Kind,
        time: log.time[i],
        value: Number.isNaN(log.value[i]) ? null : log.value[i],
      });
  return buildEventLog(rows);
}
