// The dashboard's catalogue import: reads a file of items (a JSON array, JSON lines or CSV) and sends it
// to `PUT /v1/items` in batches, reporting progress and every rejected row with the field the server
// named. No DOM here, so the same module runs in Node for its tests.

/** Items per request: well under the API's 1,000, so progress moves and a cancel takes effect soon. */
export const BATCH_SIZE = 200;

/** Columns whose cells hold a list, `|`-separated (`Shoes|Running`). */
const LIST_COLUMNS = new Set(['categories', 'tags']);

/**
 * @typedef {{ row: number, line?: number, item: Record<string, unknown> }} ParsedRow
 * @typedef {{ row: number, line?: number, field: string, error: string }} RowError
 */

/**
 * Reads a catalogue file. The format comes from the name (`.csv`, `.ndjson`/`.jsonl`, `.json`), else
 * from the first character. `row` counts items from 1 in file order; `line` is where the row starts.
 * @returns {{ format: 'json' | 'ndjson' | 'csv', rows: ParsedRow[], errors: RowError[] }}
 */
export function parseCatalogue(text, name = '') {
  const body = text.replace(/^\uFEFF/, '');
  const lower = name.toLowerCase();
  const first = body.trimStart()[0];
  const format = lower.endsWith('.csv')
    ? 'csv'
    : lower.endsWith('.ndjson') || lower.endsWith('.jsonl')
      ? 'ndjson'
      : lower.endsWith('.json') || first === '['
        ? 'json'
        : first === '{'
          ? 'ndjson'
          : 'csv';
  if (format === 'json') return { format, ...parseJsonArray(body) };
  if (format === 'ndjson') return { format, ...parseJsonLines(body) };
  return { format, ...parseCsvItems(body) };
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function parseJsonArray(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { rows: [], errors: [{ row: 0, field: 'file', error: `not valid JSON: ${e.message}` }] };
  }
  if (!Array.isArray(data)) return { rows: [], errors: [{ row: 0, field: 'file', error: 'expected a JSON array of items' }] };
  const rows = [];
  const errors = [];
  data.forEach((item, i) => {
    if (isObject(item)) rows.push({ row: i + 1, item });
    else errors.push({ row: i + 1, field: 'row', error: 'expected an object' });
  });
  return { rows, errors };
}

function parseJsonLines(text) {
  const rows = [];
  const errors = [];
  let row = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    row++;
    try {
      const item = JSON.parse(raw);
      if (isObject(item)) rows.push({ row, line: i + 1, item });
      else errors.push({ row, line: i + 1, field: 'row', error: 'expected an object' });
    } catch (e) {
      errors.push({ row, line: i + 1, field: 'row', error: `not valid JSON: ${e.message}` });
    }
  });
  return { rows, errors };
}

/** RFC 4180 records: quoted cells may hold commas, doubled quotes and line breaks. */
export function parseCsv(text) {
  const records = [];
  let cells = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ line: start, cells });
  }
  return records.filter((r) => r.cells.some((x) => x.trim() !== ''));
}

/** A cell as the API's type for its column; what does not convert is sent as written, so the server names the field. */
function cellValue(column, raw) {
  const v = raw.trim();
  if (column === 'price' || column.startsWith('attributes.')) {
    const n = Number(v);
    return v !== '' && Number.isFinite(n) ? n : v;
  }
  if (column === 'available') {
    if (/^(true|yes|1)$/i.test(v)) return true;
    if (/^(false|no|0)$/i.test(v)) return false;
    return v;
  }
  if (LIST_COLUMNS.has(column))
    return v
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean);
  if (column === 'attributes') {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

/** A header row with the API's field names (`id,title,price,categories,attributes.brand,…`), then one item per row. */
function parseCsvItems(text) {
  const [head, ...records] = parseCsv(text);
  if (!head) return { rows: [], errors: [{ row: 0, field: 'file', error: 'the file is empty' }] };
  const columns = head.cells.map((c) => c.trim());
  const rows = [];
  const errors = [];
  records.forEach((r, i) => {
    if (r.cells.length > columns.length) {
      errors.push({ row: i + 1, line: r.line, field: 'row', error: `${r.cells.length} cells for ${columns.length} columns` });
      return;
    }
    const item = {};
    columns.forEach((col, k) => {
      const raw = r.cells[k] ?? '';
      if (raw.trim() === '' || col === '') return;
      if (col.startsWith('attributes.')) {
        item.attributes = isObject(item.attributes) ? item.attributes : {};
        item.attributes[col.slice('attributes.'.length)] = cellValue(col, raw);
      } else item[col] = cellValue(col, raw);
    });
    rows.push({ row: i + 1, line: r.line, item });
  });
  return { rows, errors };
}

/**
 * Sends batches with `fetch` to `PUT /v1/items` and reads the answer whether it accepted some rows
 * (200) or none (400 with the same `rejected` list); any other failure throws with the server's message.
 */
export function httpSender({ key, base = '', fetch: doFetch = globalThis.fetch }) {
  return async (items, signal) => {
    const res = await doFetch(`${base}/v1/items`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(items),
      signal,
    });
    const data = await res.json().catch(() => ({}));
    if (res.ok || (res.status === 400 && Array.isArray(data.rejected))) return { upserted: data.upserted ?? 0, rejected: data.rejected ?? [] };
    const err = new Error(data?.error?.message || `HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  };
}

/** `[3].price` → `price`; `[3].price: expected number` → `expected number`. */
function localField(field, message) {
  const f = String(field ?? '').replace(/^\[\d+\]\.?/, '') || 'row';
  const m = String(message ?? '').replace(/^\[\d+\][^:]*:\s*/, '');
  return { field: f, error: m };
}

/**
 * Imports parsed rows in batches, in file order. Stops between batches when `signal` aborts (and
 * aborts the batch in flight: upserts are idempotent, so importing the file again is safe), or at the
 * first batch that fails as a whole (the rows after it are not sent).
 * @param {ParsedRow[]} rows
 * @param {{ send: (items: object[], signal?: AbortSignal) => Promise<{ upserted: number, rejected: Array<{ index: number, field?: string, error: string }> }>, batchSize?: number, signal?: AbortSignal, onProgress?: (p: { sent: number, total: number, upserted: number, errors: RowError[] }) => void }} opts
 * @returns {Promise<{ total: number, sent: number, upserted: number, errors: RowError[], cancelled: boolean, failure: Error | null }>}
 */
export async function importRows(rows, { send, batchSize = BATCH_SIZE, signal, onProgress }) {
  const out = { total: rows.length, sent: 0, upserted: 0, errors: [], cancelled: false, failure: null };
  for (let i = 0; i < rows.length; i += batchSize) {
    if (signal?.aborted) {
      out.cancelled = true;
      break;
    }
    const batch = rows.slice(i, i + batchSize);
    let r;
    try {
      r = await send(
        batch.map((b) => b.item),
        signal,
      );
    } catch (e) {
      if (signal?.aborted) out.cancelled = true;
      else out.failure = e instanceof Error ? e : new Error(String(e));
      break;
    }
    out.sent += batch.length;
    out.upserted += r.upserted;
    for (const rej of r.rejected) {
      const src = batch[rej.index];
      if (src) out.errors.push({ row: src.row, ...(src.line ? { line: src.line } : {}), ...localField(rej.field, rej.error) });
    }
    onProgress?.({ sent: out.sent, total: out.total, upserted: out.upserted, errors: out.errors });
  }
  return out;
}
