/**
 * The histories `afin eval predict` reads: the simulator's shoppers (generated, seeded), the Taobao
 * behaviour sample in ../shared/data (read by a path relative to the project root), or any CSV of
 * person, item, time, value (each row a purchase unless it has a type column; a category column is
 * used when present, otherwise each item is its own category).
 */
import { readFile } from 'node:fs/promises';
import { buildEventLog, type EventLog, kindOfType, KIND, type LogRow } from '../predict/event-log.ts';
import { generateDemo } from '../simulate/index.ts';
import { type Dataset, DatasetError, parseCsv } from './datasets.ts';

export const TAOBAO_PATH = '../shared/data/ecommerce-taobao-userbehavior-sample/UserBehavior_head.csv';
/** The official window of the Taobao data (SOURCE.md: 35 rows fall outside it, a quirk of the original). */
const TAOBAO_WINDOW = [Date.UTC(2017, 10, 25), Date.UTC(2017, 11, 4)] as const;

/** The simulator's world: shoppers with hidden tastes (some planted to stop visiting) shop for weeks. */
export function simulatorLog(opts: { seed: number; shoppers: number; weeks: number; now: number }): EventLog {
  const demo = generateDemo({ seed: opts.seed, now: opts.now, shoppers: opts.shoppers, weeks: opts.weeks, items: 300 });
  const leaf = new Map(demo.catalog.map((i) => [i.id, i.categories.at(-1) ?? null]));
  const known = new Map(demo.aliases.map((a) => [a.anonymousId, a.userId]));
  const rows: LogRow[] = [];
  for (const e of demo.events) {
    const kind = kindOfType(e.type);
    if (kind === null) continue;
    // A visitor who logged in later is one person, as the store makes them after POST /v1/alias.
    const person = e.userId ?? (e.anonymousId ? (known.get(e.anonymousId) ?? `anon:${e.anonymousId}`) : null);
    if (!person) continue;
    rows.push({
      person,
      category: e.itemId ? (leaf.get(e.itemId) ?? null) : null,
      kind,
      time: typeof e.timestamp === 'number' ? e.timestamp : Date.parse(String(e.timestamp)),
      value: (kind === KIND.purchase || kind === KIND.return) && typeof e.value === 'number' ? e.value : null,
    });
  }
  return buildEventLog(rows);
}

/** A parsed CSV as a log; rows without a type are purchases. */
export function datasetLog(ds: Dataset, window?: readonly [number, number]): EventLog {
  const rows: LogRow[] = [];
  for (let k = 0; k < ds.users.length; k++) {
    const t = ds.times[k];
    if (window && (t < window[0] || t >= window[1])) continue;
    const kind = ds.types ? kindOfType(ds.types[k]) : KIND.purchase;
    if (kind === null) continue;
    const item = ds.items[k];
    rows.push({
      person: ds.userIds[ds.users[k]],
      category: ds.docs?.[item]?.categories?.[0] ?? ds.itemIds[item],
      kind,
      time: t,
      value: kind === KIND.purchase ? ds.values[k] : null,
    });
  }
  return buildEventLog(rows);
}

/** Reads a CSV of person, item, time, value [, type] [, category]. */
export async function csvLog(path: string): Promise<EventLog> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new DatasetError(e.code === 'ENOENT' ? `no file at ${path}` : `cannot read ${path}: ${e.message}`);
  });
  // A transaction log says `person` where the recommender datasets say `user`.
  const nl = text.indexOf('\n');
  const head = nl < 0 ? text : text.slice(0, nl);
  const ds = parseCsv(head.replace(/(^|[,;\t])\s*"?person"?\s*(?=[,;\t]|\r?$)/i, '$1user') + (nl < 0 ? '' : text.slice(nl)), path);
  if (ds.times.every((t) => t === 0)) throw new DatasetError('the file has no time column: predictions need when each row happened');
  return datasetLog(ds);
}

/** The Taobao sample, kept to its official window. */
export async function taobaoLog(path = TAOBAO_PATH): Promise<EventLog> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new DatasetError(`the Taobao sample is not at ${path} (run from the project root, beside ../shared)`);
  });
  return datasetLog(parseCsv(text, 'taobao'), TAOBAO_WINDOW);
}
