/**
 * Offline evaluation datasets: MovieLens 100K (`u.data`) and 1M (`ratings.dat`), and generic CSV or
 * JSON-lines files of (user, item, [value], [timestamp]). Parsers are pure functions of the text;
 * `loadDataset` is the thin I/O shell around them.
 */
import { readFile, access, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A text document about one item (for content models). */
export interface ItemDoc {
  title: string;
  description?: string;
  categories?: string[];
  tags?: string[];
  language?: 'en' | 'es';
}

/** Interactions with string ids mapped to dense indices (first-seen order). */
export interface Dataset {
  name: string;
  userIds: string[];
  itemIds: string[];
  users: Int32Array;
  items: Int32Array;
  /** The file's value (a rating), or 1 when it has none. */
  values: Float32Array;
  /** Epoch milliseconds (0 when the file has none). */
  times: Float64Array;
  /** Optional item texts, indexed like itemIds. */
  docs?: ItemDoc[];
  /** Optional event type per row (Afín's names: view, add_to_cart, like, purchase…). */
  types?: string[];
}

export type DatasetKind = 'movielens-100k' | 'movielens-1m' | 'csv' | 'jsonl';
export const DATASET_KINDS: readonly DatasetKind[] = ['movielens-100k', 'movielens-1m', 'csv', 'jsonl'];

export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

/** Builds a Dataset from rows, interning ids. */
export class DatasetBuilder {
  private userIndex = new Map<string, number>();
  private itemIndex = new Map<string, number>();
  private u: number[] = [];
  private i: number[] = [];
  private v: number[] = [];
  private t: number[] = [];
  private types: string[] = [];
  private categories = new Map<number, string>();

  /** Notes the event type of the row just added (Afín's names; a file's own words are mapped first). */
  type(t: string): void {
    this.types[this.u.length - 1] = t;
  }

  /** Notes the category of the item of the row just added. */
  category(c: string): void {
    this.categories.set(this.i[this.i.length - 1], c);
  }

  add(user: string, item: string, value: number, time: number): void {
    let a = this.userIndex.get(user);
    if (a === undefined) this.userIndex.set(user, (a = this.userIndex.size));
    let b = this.itemIndex.get(item);
    if (b === undefined) this.itemIndex.set(item, (b = this.itemIndex.size));
    this.u.push(a);
    this.i.push(b);
    this.v.push(value);
    this.t.push(time);
  }

  build(name: string): Dataset {
    return {
      name,
      userIds: [...this.userIndex.keys()],
      itemIds: [...this.itemIndex.keys()],
      users: Int32Array.from(this.u),
      items: Int32Array.from(this.i),
      values: Float32Array.from(this.v),
      times: Float64Array.from(this.t),
      ...(this.types.length ? { types: Array.from({ length: this.u.length }, (_, k) => this.types[k] ?? 'view') } : {}),
      ...(this.categories.size
        ? { docs: Array.from(this.itemIndex.keys(), (id, i) => ({ title: id, ...(this.categories.has(i) ? { categories: [this.categories.get(i)!] } : {}) })) }
        : {}),
    };
  }
}

function num(s: string | undefined, what: string, line: number): number {
  const x = Number(s);
  if (s === undefined || s.trim() === '' || !Number.isFinite(x)) throw new DatasetError(`line ${line}: ${what} is not a number: ${JSON.stringify(s)}`);
  return x;
}

/** MovieLens 100K `u.data`: `user \t item \t rating \t unix-seconds`. */
export function parseMovieLens100k(text: string): Dataset {
  return parseDelimited(text, '\t', 'movielens-100k');
}

/** MovieLens 1M `ratings.dat`: `user::item::rating::unix-seconds`. */
export function parseMovieLens1m(text: string): Dataset {
  return parseDelimited(text, '::', 'movielens-1m');
}

function parseDelimited(text: string, sep: string, name: string): Dataset {
  const b = new DatasetBuilder();
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line) continue;
    const f = line.split(sep);
    if (f.length < 4) throw new DatasetError(`line ${n + 1}: expected user${sep}item${sep}rating${sep}timestamp, got ${JSON.stringify(line.slice(0, 80))}`);
    b.add(f[0], f[1], num(f[2], 'rating', n + 1), num(f[3], 'timestamp', n + 1) * 1000);
  }
  return b.build(name);
}

/** Splits one CSV line, honouring double quotes. */
function splitCsv(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (q) {
      if (c === '"' && line[k + 1] === '"') {
        cur += '"';
        k++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

const USER_COLS = ['user', 'userid', 'user_id', 'customer', 'customerid', 'customer_id', 'visitorid'];
const ITEM_COLS = ['item', 'itemid', 'item_id', 'product', 'productid', 'product_id', 'movieid', 'movie_id'];
const VALUE_COLS = ['value', 'rating', 'weight', 'score', 'count', 'quantity'];
const TIME_COLS = ['timestamp', 'time', 'ts', 'date', 'datetime', 'event_time'];
const TYPE_COLS = ['type', 'event', 'event_type', 'behavior_type', 'behaviour_type', 'action'];
const CATEGORY_COLS = ['category', 'category_id', 'categoryid'];

/** A file's word for what happened, in Afín's event types (Taobao's pv/cart/fav/buy, RetailRocket's, common synonyms). */
const TYPE_WORDS: Record<string, string> = {
  pv: 'view',
  view: 'view',
  views: 'view',
  click: 'click',
  cart: 'add_to_cart',
  addtocart: 'add_to_cart',
  add_to_cart: 'add_to_cart',
  fav: 'like',
  favorite: 'like',
  favourite: 'like',
  like: 'like',
  buy: 'purchase',
  purchase: 'purchase',
  transaction: 'purchase',
  order: 'purchase',
  rating: 'rating',
  dislike: 'dislike',
  return: 'return',
};

/** Parses a timestamp: epoch seconds or milliseconds, or ISO 8601 text. */
export function parseTime(s: string | number | undefined, line: number): number {
  if (s === undefined || s === '') return 0;
  if (typeof s === 'number' || /^-?\d+(\.\d+)?$/.test(s)) {
    const x = Number(s);
    return Math.abs(x) < 1e11 ? x * 1000 : x; // seconds before ~5138 AD, else milliseconds
  }
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new DatasetError(`line ${line}: timestamp is not a date: ${JSON.stringify(s)}`);
  return t;
}

/**
 * CSV (comma, semicolon or tab separated, sniffed from the first line). With a header, columns are
 * found by name (user/userId, item/itemId/product…, rating/value, timestamp/time); without one the
 * order is user, item, [value], [timestamp].
 */
export function parseCsv(text: string, name = 'csv'): Dataset {
  const lines = text.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && !lines[first].trim()) first++;
  if (first === lines.length) throw new DatasetError('the file is empty');
  const head = lines[first];
  const sep = [',', '\t', ';'].map((s) => [s, head.split(s).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const cells = splitCsv(head, sep).map((c) => c.toLowerCase().replace(/^\ufeff/, ''));
  const find = (names: string[]) => cells.findIndex((c) => names.includes(c));
  let cu = 0,
    ci = 1,
    cv = 2,
    ct = 3,
    cy = -1,
    cc = -1;
  let start = first;
  if (find(USER_COLS) >= 0 || find(ITEM_COLS) >= 0) {
    cu = find(USER_COLS);
    ci = find(ITEM_COLS);
    if (cu < 0) throw new DatasetError(`no user column in the header (one of ${USER_COLS.join(', ')})`);
    if (ci < 0) throw new DatasetError(`no item column in the header (one of ${ITEM_COLS.join(', ')})`);
    cv = find(VALUE_COLS);
    ct = find(TIME_COLS);
    cy = find(TYPE_COLS);
    cc = find(CATEGORY_COLS);
    start = first + 1;
  }
  const b = new DatasetBuilder();
  for (let n = start; n < lines.length; n++) {
    if (!lines[n].trim()) continue;
    const f = splitCsv(lines[n], sep);
    const user = f[cu];
    const item = f[ci];
    if (!user || !item) throw new DatasetError(`line ${n + 1}: missing user or item`);
    const value = cv >= 0 && f[cv] !== undefined && f[cv] !== '' ? num(f[cv], 'value', n + 1) : 1;
    b.add(user, item, value, ct >= 0 ? parseTime(f[ct], n + 1) : 0);
    if (cy >= 0) {
      const word = (f[cy] ?? '').toLowerCase();
      const t = TYPE_WORDS[word];
      if (!t) throw new DatasetError(`line ${n + 1}: unknown event type ${JSON.stringify(word)} (known: ${Object.keys(TYPE_WORDS).join(', ')})`);
      b.type(t);
    }
    if (cc >= 0 && f[cc]) b.category(f[cc]);
  }
  return b.build(name);
}

/** JSON lines: `{"user": …, "item": …, "value"?: …, "timestamp"?: …}` (also userId/itemId/rating/time). */
export function parseJsonl(text: string, name = 'jsonl'): Dataset {
  const b = new DatasetBuilder();
  const lines = text.split(/\r?\n/);
  const pick = (o: Record<string, unknown>, keys: string[]) => {
    for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
    return undefined;
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line);
    } catch (e) {
      throw new DatasetError(`line ${n + 1}: not JSON (${(e as Error).message})`);
    }
    const user = pick(o, ['user', 'userId', 'user_id']);
    const item = pick(o, ['item', 'itemId', 'item_id']);
    if (user === undefined || item === undefined) throw new DatasetError(`line ${n + 1}: needs "user" and "item"`);
    const v = pick(o, ['value', 'rating', 'weight']);
    const t = pick(o, ['timestamp', 'time', 'ts']);
    b.add(String(user), String(item), v === undefined ? 1 : num(String(v), 'value', n + 1), parseTime(t as string | number | undefined, n + 1));
  }
  return b.build(name);
}

/**
 * MovieLens 100K `u.item` (pipe-separated, Latin-1): id|title|release|video|url|19 genre flags.
 * Returns a doc per item id.
 */
export function parseMovieLensItems(text: string): Map<string, ItemDoc> {
  const GENRES = [
    'unknown',
    'Action',
    'Adventure',
    'Animation',
    "Children's",
    'Comedy',
    'Crime',
    'Documentary',
    'Drama',
    'Fantasy',
    'Film-Noir',
    'Horror',
    'Musical',
    'Mystery',
    'Romance',
    'Sci-Fi',
    'Thriller',
    'War',
    'Western',
  ];
  const out = new Map<string, ItemDoc>();
  for (const line of text.split('\n')) {
    const f = line.split('|');
    if (f.length < 5) continue;
    const flags = f.slice(5);
    const categories = GENRES.filter((_, g) => flags[g] === '1' && g > 0);
    out.set(f[0], { title: f[1].replace(/\s*\(\d{4}\)\s*$/, ''), categories, language: 'en' });
  }
  return out;
}

/** MovieLens 1M `movies.dat`: id::title::genre|genre. */
export function parseMovieLens1mItems(text: string): Map<string, ItemDoc> {
  const out = new Map<string, ItemDoc>();
  for (const line of text.split('\n')) {
    const f = line.trim().split('::');
    if (f.length < 3) continue;
    out.set(f[0], { title: f[1].replace(/\s*\(\d{4}\)\s*$/, ''), categories: f[2].split('|'), language: 'en' });
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** Reads a dataset from disk. MovieLens item texts are picked up from the same folder when present. */
export async function loadDataset(kind: DatasetKind, path: string): Promise<Dataset> {
  // A MovieLens folder names its ratings file by convention.
  const inFolder: Partial<Record<DatasetKind, string>> = { 'movielens-100k': 'u.data', 'movielens-1m': 'ratings.dat' };
  if (
    inFolder[kind] &&
    (await stat(path).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    path = join(path, inFolder[kind]!);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DatasetError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let ds: Dataset;
  let docs: Map<string, ItemDoc> | undefined;
  switch (kind) {
    case 'movielens-100k': {
      ds = parseMovieLens100k(text);
      const p = join(dirname(path), 'u.item');
      if (await exists(p)) docs = parseMovieLensItems((await readFile(p)).toString('latin1'));
      break;
    }
    case 'movielens-1m': {
      ds = parseMovieLens1m(text);
      const p = join(dirname(path), 'movies.dat');
      if (await exists(p)) docs = parseMovieLens1mItems((await readFile(p)).toString('latin1'));
      break;
    }
    case 'csv':
      ds = parseCsv(text);
      break;
    case 'jsonl':
      ds = parseJsonl(text);
      break;
  }
  if (ds.users.length === 0) throw new DatasetError(`${path} holds no interactions`);
  if (docs) ds.docs = ds.itemIds.map((id) => docs!.get(id) ?? { title: id });
  return ds;
}
