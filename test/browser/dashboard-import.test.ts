// The dashboard's catalogue import without a browser: the file formats it reads, and the batches it
// sends to a real server through the public API (progress, rejected rows with their field, cancel).
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain browser module without types (web/dashboard has no build step)
import { BATCH_SIZE, httpSender, importRows, parseCatalogue, parseCsv } from '../../web/dashboard/catalogue-import.js';
import { AUTH, makeTestApp, ROOT_KEY, type TestApp } from '../helpers.ts';

interface Row {
  row: number;
  line?: number;
  item: Record<string, unknown>;
}
interface RowError {
  row: number;
  line?: number;
  field: string;
  error: string;
}
interface Progress {
  sent: number;
  total: number;
  upserted: number;
  errors: RowError[];
}

describe('reading a catalogue file', () => {
  it('reads a JSON array, JSON lines and CSV into the same items', () => {
    const items = [
      { id: 'a', title: 'Trail shoe, waterproof', price: 89.9, categories: ['Shoes', 'Running'], available: true, attributes: { brand: 'Vento' } },
      { id: 'b', title: 'Sock "merino"', price: 14, categories: ['Socks'], available: false, attributes: { brand: 'Urbo' } },
    ];
    const json = parseCatalogue(JSON.stringify(items), 'items.json');
    const ndjson = parseCatalogue(items.map((i) => JSON.stringify(i)).join('\n'), 'items.ndjson');
    const csv = parseCatalogue(
      '\uFEFFid,title,price,categories,available,attributes.brand\r\na,"Trail shoe, waterproof",89.9,Shoes|Running,true,Vento\r\nb,"Sock ""merino""",14,Socks,no,Urbo\r\n',
      'items.csv',
    );
    for (const r of [json, ndjson, csv]) {
      expect(r.errors).toEqual([]);
      expect(r.rows.map((x: Row) => x.item)).toEqual(items);
      expect(r.rows.map((x: Row) => x.row)).toEqual([1, 2]);
    }
    expect([json.format, ndjson.format, csv.format]).toEqual(['json', 'ndjson', 'csv']);
    // Without a telling name, the first character decides.
    expect(parseCatalogue('[{"id":"x","title":"X"}]').format).toBe('json');
    expect(parseCatalogue('{"id":"x","title":"X"}\n').format).toBe('ndjson');
    expect(parseCatalogue('id,title\nx,X\n').format).toBe('csv');
  });

  it('keeps a quoted line break inside its cell and says on which line each row starts', () => {
    expect(parseCsv('id,description\na,"two\nlines"\nb,one\n').map((r: { line: number; cells: string[] }) => [r.line, r.cells])).toEqual([
      [1, ['id', 'description']],
      [2, ['a', 'two\nlines']],
      [4, ['b', 'one']],
    ]);
  });

  it('names the bad rows it cannot read, and sends cells it cannot convert as written (the server names the field)', () => {
    const nd = parseCatalogue('{"id":"a","title":"A"}\n\nnot json\n[1]\n', 'x.jsonl');
    expect(nd.rows).toEqual([{ row: 1, line: 1, item: { id: 'a', title: 'A' } }]);
    expect(nd.errors.map((e: RowError) => [e.row, e.line, e.field])).toEqual([
      [2, 3, 'row'],
      [3, 4, 'row'],
    ]);
    const csv = parseCatalogue('id,title,price\na,A,cheap\nb,B,1,extra\n', 'x.csv');
    expect(csv.rows).toEqual([{ row: 1, line: 2, item: { id: 'a', title: 'A', price: 'cheap' } }]);
    expect(csv.errors).toEqual([{ row: 2, line: 3, field: 'row', error: '4 cells for 3 columns' }]);
    expect(parseCatalogue('{"id":1}', 'x.json').errors[0]).toMatchObject({ field: 'file' });
  });
});

describe('importing through PUT /v1/items', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await makeTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => t?.close());

  const catalogue = async () => (await t.app.inject({ method: 'GET', url: '/v1/insights/items?limit=1&period=30d', headers: AUTH })).json().total as number;
  const rowsOf = (n: number, prefix: string, bad: Record<number, Record<string, unknown>> = {}): Row[] =>
    Array.from({ length: n }, (_, i) => ({ row: i + 1, item: { id: `${prefix}${i}`, title: `Item ${i}`, price: 10 + i, ...(bad[i + 1] ?? {}) } }));

  it('sends every row in batches with progress, and lists each rejected row with its field', async () => {
    const rows = rowsOf(450, 'p', { 7: { price: 'cheap' }, 301: { title: '' }, 449: { colour: 'red' } });
    const progress: Progress[] = [];
    const r = await importRows(rows, {
      send: httpSender({ key: ROOT_KEY, base }),
      onProgress: (p: Progress) => progress.push({ ...p, errors: [...p.errors] }),
    });
    expect(BATCH_SIZE).toBe(200);
    expect(progress.map((p) => p.sent)).toEqual([200, 400, 450]);
    expect(progress.every((p) => p.total === 450)).toBe(true);
    expect(r).toMatchObject({ total: 450, sent: 450, upserted: 447, cancelled: false, failure: null });
    expect(r.errors.map((e: RowError) => [e.row, e.field])).toEqual([
      [7, 'price'],
      [301, 'title'],
      [449, 'colour'],
    ]);
    // The server's message, without the batch-relative prefix.
    expect(r.errors[0].error).not.toMatch(/^\[/);
    expect(await catalogue()).toBe(447);
  });

  it('stops between batches when cancelled, having stored what it sent', async () => {
    const before = await catalogue();
    const stop = new AbortController();
    const r = await importRows(rowsOf(500, 'c'), {
      send: httpSender({ key: ROOT_KEY, base }),
      batchSize: 100,
      signal: stop.signal,
      onProgress: (p: Progress) => p.sent >= 200 && stop.abort(),
    });
    expect(r).toMatchObject({ total: 500, sent: 200, upserted: 200, cancelled: true, failure: null });
    expect((await catalogue()) - before).toBe(200);
  });

  it('goes on past a batch whose every row was rejected (400), and stops at one refused as a whole', async () => {
    const all = rowsOf(4, 'z').map((r) => ({ ...r, item: { ...r.item, price: -1 } }));
    const r = await importRows([...all, ...rowsOf(2, 'y')], { send: httpSender({ key: ROOT_KEY, base }), batchSize: 4 });
    expect(r).toMatchObject({ sent: 6, upserted: 2, failure: null });
    expect(r.errors.map((e: RowError) => [e.row, e.field])).toEqual([1, 2, 3, 4].map((n) => [n, 'price']));

    const pub = (await t.app.inject({ method: 'POST', url: '/v1/keys', headers: AUTH, payload: { scope: 'public' } })).json().key as string;
    const refused = await importRows(rowsOf(3, 'q'), { send: httpSender({ key: pub, base }) });
    expect(refused).toMatchObject({ sent: 0, upserted: 0 });
    expect(refused.failure?.status).toBe(403);
  });
});
