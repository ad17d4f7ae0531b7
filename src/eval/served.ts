/**
 * The served evaluation: what a shop gets through the HTTP API, not what the model alone scores.
 *
 * A fresh Afín (embedded store in a temp folder, default settings, the real wall clock) is given the
 * dataset's items with `PUT /v1/items`, the training rows as events with `POST /v1/events` (their
 * original types, values and timestamps), trained with `POST /v1/train`; held-out people's histories
 * arrive afterwards, as new visitors' would; then each test person's `GET /v1/recommendations` answer
 * is scored exactly as the model-only evaluation scores a model's list (`scoreLists`).
 */
import type { EventType } from '../domain/schemas.ts';
import { eventWeight } from '../domain/weights.ts';
import type { WorkspaceState } from '../recommend/workspace-state.ts';
import type { Store } from '../store/store.ts';
import type { Dataset } from './datasets.ts';
import { depthOf, scoreLists, type Metrics } from './evaluate.ts';
import type { Rows, Task } from './splits.ts';

const BATCH = 1000;

/** A fresh Afín an evaluation talks to (the CLI passes `server/fresh.ts`'s in-process one). */
export interface EvalServer {
  /** One request with a root key; a 4xx or 5xx throws, naming the route and the answer. */
  call(method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown): Promise<unknown>;
  /** For the model-alone rows: the trained model, the catalogue and a person's events, read directly. */
  internals: { clock: () => number; state: Pick<WorkspaceState, 'model' | 'catalog'>; store: Pick<Store, 'eventsOf'> };
  close(): Promise<void>;
}

/** Starts a fresh server: default settings, the real clock unless `clock` is given. */
export type OpenServer = (opts?: {
  clock?: () => number;
  cacheMaxAgeMs?: number;
  /** An OpenAI-compatible endpoint for the slices that write text (`afin eval content` passes its stand-in). */
  llm?: { url: string; model: string; apiKey?: string };
}) => Promise<EvalServer>;

export interface ServedOptions {
  /** Starts the server each served run measures. */
  open: OpenServer;
  /** Ranking settings to `PUT /v1/settings/ranking` before training (an ablation turns stages off here). */
  settings?: Record<string, unknown>;
  /** Event type for rows whose file names none: `auto` is `rating` when the values look like ratings, else `view`. */
  eventType?: string;
  onProgress?: (stage: string, fraction: number) => void;
}

/** `--settings JSON` of the eval commands: the ranking settings object, or an error message. */
export function parseSettingsArg(text: string): Record<string, unknown> | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return `--settings is not JSON: ${(e as Error).message}`;
  }
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : '--settings must be a JSON object';
}

/** The event type a row is replayed as. */
export function eventTypeOf(rows: Rows, fallback = 'auto'): (k: number) => string {
  if (rows.types) return (k) => rows.types![k];
  if (fallback !== 'auto') return () => fallback;
  let ratings = rows.values.length > 0;
  let varied = false;
  for (let k = 0; k < rows.values.length && ratings; k++) {
    const v = rows.values[k];
    if (!(v >= 1 && v <= 5)) ratings = false;
    if (v !== rows.values[0]) varied = true;
  }
  return ratings && varied ? () => 'rating' : () => 'view';
}

/** The weight the server gives each row replayed as its event (default event weights, ratings as strength). */
export function eventWeights(rows: Rows, fallback = 'auto'): Float32Array {
  const typeOf = eventTypeOf(rows, fallback);
  return Float32Array.from(rows.values, (v, k) => eventWeight(typeOf(k) as EventType, v));
}

function eventOf(ds: Dataset, rows: Rows, k: number, type: string): Record<string, unknown> {
  const e: Record<string, unknown> = {
    messageId: `row-${k}`,
    type,
    userId: ds.userIds[rows.users[k]],
    itemId: ds.itemIds[rows.items[k]],
  };
  if (rows.times[k] > 0) e.timestamp = rows.times[k];
  if (type === 'rating') e.value = rows.values[k];
  return e;
}

async function sendEvents(server: EvalServer, ds: Dataset, rows: Rows, idx: ArrayLike<number>, typeOf: (k: number) => string, progress?: (f: number) => void) {
  for (let s = 0; s < idx.length; s += BATCH) {
    const batch = [];
    for (let k = s; k < Math.min(idx.length, s + BATCH); k++) batch.push(eventOf(ds, rows, idx[k], typeOf(idx[k])));
    const r = (await server.call('POST', '/v1/events', batch)) as { rejected: Array<{ index: number; error: string }> };
    if (r.rejected.length) throw new Error(`events rejected, first: ${r.rejected[0].error}`);
    progress?.(Math.min(1, (s + BATCH) / idx.length));
  }
}

/** One task served: the protocol's metrics over what the API answered. */
export async function evaluateServed(ds: Dataset, task: Task, opts: ServedOptions): Promise<Metrics> {
  const server = await opts.open();
  try {
    const rows = task.rows;
    const typeOf = eventTypeOf(rows, opts.eventType);
    const progress = opts.onProgress ?? (() => {});

    const items = ds.itemIds.map((id, i) => {
      const doc = ds.docs?.[i];
      const it: Record<string, unknown> = { id, title: doc?.title || id };
      if (doc?.categories?.length) it.categories = doc.categories;
      if (doc?.tags?.length) it.tags = doc.tags;
      if (doc?.description) it.description = doc.description.slice(0, 20_000);
      if (doc?.language) it.language = doc.language;
      return it;
    });
    for (let s = 0; s < items.length; s += BATCH) await server.call('PUT', '/v1/items', items.slice(s, s + BATCH));
    if (opts.settings) await server.call('PUT', '/v1/settings/ranking', opts.settings);

    await sendEvents(server, ds, rows, task.train, typeOf, (f) => progress('sending training events', f));
    progress('training', 0);
    await server.call('POST', '/v1/train', {});
    progress('training', 1);

    // People the model was not trained on (strong generalisation) arrive now, as new visitors would.
    const trained = new Set<number>();
    for (const k of task.train) trained.add(rows.users[k]);
    const rowOf = new Map<number, number>();
    for (let k = 0; k < rows.users.length; k++) rowOf.set(rows.users[k] * rows.nItems + rows.items[k], k);
    const late: number[] = [];
    for (const c of task.cases) {
      if (trained.has(c.user)) continue;
      for (const h of c.history) {
        const k = rowOf.get(c.user * rows.nItems + h.item);
        if (k !== undefined) late.push(k);
      }
    }
    if (late.length) await sendEvents(server, ds, rows, late, typeOf, (f) => progress("sending new visitors' events", f));

    const depth = depthOf(task.protocol);
    const itemIndex = new Map(ds.itemIds.map((id, i) => [id, i]));
    const ranked: Int32Array[] = [];
    for (let c = 0; c < task.cases.length; c++) {
      const userId = encodeURIComponent(ds.userIds[task.cases[c].user]);
      const r = (await server.call('GET', `/v1/recommendations?userId=${userId}&n=${depth}&excludeSeen=true`)) as { items: Array<{ id: string }> };
      ranked.push(Int32Array.from(r.items.map((it) => itemIndex.get(it.id) ?? -1)));
      if ((c & 31) === 0) progress('asking for recommendations', c / task.cases.length);
    }
    progress('asking for recommendations', 1);
    return scoreLists(task, ranked);
  } finally {
    await server.close();
  }
}
