import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { detectDecimalComma, detectDelimiter, parseAmount } from '../../src/cli/commands/import-detect.ts';
import { PRESETS, htmlToText, mapRecord, parseMapping, type MapOptions } from '../../src/cli/commands/import-mapping.ts';
import { importFile, itemMerger, planImport } from '../../src/cli/commands/import.ts';
import { warehouseRowEvents } from '../../src/cli/commands/import-segment.ts';
import { items as catalogue, makeTestApp } from '../helpers.ts';
import { CLI_TIMEOUT, type Run, dataDirs, runAfin } from './harness.ts';

/** Issue 20: importers that take the files shops have, on small files generated here. */
const TIMEOUT = CLI_TIMEOUT;
const freshDir = dataDirs('import');
const afin = (dir: string, ...args: string[]): Promise<Run> => runAfin(dir, args);

async function storedItems(dir: string) {
  const store = new SqliteStore(join(dir, 'afin.db'));
  try {
    return (await store.listItems('default')).sort((a, b) => a.id.localeCompare(b.id));
  } finally {
    await store.close();
  }
}

const opts = (o: Partial<MapOptions> = {}): MapOptions => ({ kind: 'items', mapping: {}, constants: {}, decimalComma: false, ...o });

describe('reading a file as it is written', () => {
  it('guesses the delimiter from the header, outside quotes', () => {
    expect(detectDelimiter('X1;item_id;name;category;price')).toBe(';');
    expect(detectDelimiter('id\ttitle\tprice')).toBe('\t');
    expect(detectDelimiter('"a;b";"c;d",e,f,g')).toBe(',');
    expect(detectDelimiter('id|title|price')).toBe('|');
    expect(detectDelimiter('id')).toBe(',');
  });

  it('tells a decimal comma from a decimal point by the numbers, and reads amounts either way', () => {
    expect(detectDecimalComma(['265,0', '995,0', '12', '1.234,50'])).toBe(true);
    expect(detectDecimalComma(['19.99', '1,234.00', '5'])).toBe(false);
    expect(detectDecimalComma(['12', '30'])).toBe(false);
    expect(parseAmount('1.234,50', true)).toBe(1234.5);
    expect(parseAmount('1,234.50', false)).toBe(1234.5);
    expect(parseAmount('SR 265,0', true)).toBe(265);
    expect(parseAmount('12,50 €', true)).toBe(12.5);
    expect(parseAmount('No old price', true)).toBeUndefined();
    expect(parseAmount('1.2.3', false)).toBeUndefined();
  });
});

describe('mapping columns onto Afín fields', () => {
  it('maps, types and passes through Afín-named columns; leaves the rest out and says which', () => {
    const ignored = new Set<string>();
    const mapping = parseMapping('items', ['id=item_id,title=name', 'categories=category,attributes.designer=designer']);
    const rec = { X1: '0', item_id: '90', name: 'FREKVENS', category: 'Bar furniture', price: '265,5', designer: 'N. Hansen', available: 'FALSE' };
    expect(mapRecord(rec, opts({ mapping, constants: { currency: 'SAR' }, decimalComma: true }), ignored)).toEqual({
      id: '90',
      title: 'FREKVENS',
      categories: ['Bar furniture'],
      price: 265.5,
      available: false,
      currency: 'SAR',
      attributes: { designer: 'N. Hansen' },
    });
    expect([...ignored]).toEqual(['X1']);
    expect(() => parseMapping('items', ['name=title'])).toThrow(/"name" is not a field of items/);
    expect(() => parseMapping('items', ['id'])).toThrow(/not field=column/);
  });

  it('reads nested JSON by a dotted path and keeps numeric ids as text', () => {
    const mapping = parseMapping('events', ['type=kind,userId=user.id,itemId=product.id,value=amount']);
    expect(
      mapRecord({ kind: 'purchase', user: { id: 7 }, product: { id: 42 }, amount: '12,5' }, opts({ kind: 'events', mapping, decimalComma: true })),
    ).toEqual({
      type: 'purchase',
      userId: '7',
      itemId: '42',
      value: 12.5,
    });
  });

  it('Shopify: one item per Handle, HTML as text, category leaves and comma tags, status as availability', () => {
    const o = opts({ mapping: PRESETS.shopify.columns, preset: PRESETS.shopify });
    const row = {
      Handle: 'linen-shirt',
      Title: 'Linen shirt',
      'Body (HTML)': '<p>Cool &amp; <b>light</b></p>',
      Vendor: 'Acme',
      'Product Category': 'Apparel & Accessories > Clothing > Shirts',
      Type: 'Summer',
      Tags: 'linen, summer',
      'Variant Price': '39.90',
      'Image Src': 'https://cdn.example/shirt.jpg',
      Status: 'active',
    };
    expect(mapRecord(row, o)).toEqual({
      id: 'linen-shirt',
      title: 'Linen shirt',
      description: 'Cool & light',
      categories: ['Shirts', 'Summer'],
      tags: ['linen', 'summer'],
      price: 39.9,
      imageUrl: 'https://cdn.example/shirt.jpg',
      available: true,
      attributes: { vendor: 'Acme' },
    });
    expect(htmlToText('<ul><li>a</li><li>b</li></ul>')).toBe('a\nb');
  });

  it('WooCommerce: variations are left out, the sale price wins, the first image is the picture', () => {
    const o = opts({ mapping: PRESETS.woocommerce.columns, preset: PRESETS.woocommerce });
    expect(mapRecord({ ID: '11', Type: 'variation', Name: 'Hoodie - Blue' }, o)).toBeNull();
    expect(
      mapRecord(
        {
          ID: '10',
          Type: 'variable',
          SKU: 'woo-hoodie',
          Name: 'Hoodie',
          'In stock?': '1',
          'Sale price': '',
          'Regular price': '45',
          Categories: 'Clothing > Hoodies, Sale',
          Images: 'https://x.example/a.jpg, https://x.example/b.jpg',
        },
        o,
      ),
    ).toEqual({
      id: '10',
      title: 'Hoodie',
      categories: ['Hoodies', 'Sale'],
      price: 45,
      imageUrl: 'https://x.example/a.jpg',
      available: true,
      attributes: { sku: 'woo-hoodie' },
    });
  });

  it('merges an item listed again: its categories join, a row without a title adds nothing', () => {
    const m = itemMerger();
    expect(m.take({ id: 'a', title: 'A', categories: ['Chairs'] })).toEqual({ id: 'a', title: 'A', categories: ['Chairs'] });
    expect(m.take({ id: 'a', title: 'A', categories: ['Bar furniture'] })).toEqual({ id: 'a', title: 'A', categories: ['Chairs', 'Bar furniture'] });
    expect(m.take({ id: 'a', imageUrl: 'https://x.example/2.jpg' })).toBeNull();
    expect(m.take({ id: 'b', title: 'B' })).toEqual({ id: 'b', title: 'B' });
    expect([m.merged, m.distinct]).toEqual([2, 2]);
  });

  it('refuses an unknown preset, or one for the other kind', () => {
    const dir = freshDir();
    const file = join(dir, 'x.csv');
    writeFileSync(file, 'id,title\na,A\n');
    expect(() => planImport('items', file, { preset: 'magento' })).toThrow(/not one of shopify, woocommerce/);
    expect(() => planImport('events', file, { preset: 'shopify' })).toThrow(/is for items/);
  });
});

/** A `;`-delimited catalogue with decimal commas, a quoted field holding `;`, an item listed twice. */
const SEMICOLON_CSV = [
  'X1;item_id;name;category;price;old_price;short_description',
  '0;101;FREKVENS;Bar furniture;265,0;No old price;Bar table, in/outdoor,   51x51 cm',
  '1;102;"NORD; VIKEN";Bar furniture;1.995,50;SR 2.100;Bar table',
  '2;101;FREKVENS;Outdoor furniture;265,0;No old price;Bar table, in/outdoor,   51x51 cm',
  '3;103;;Chairs;10,0;;no name',
  '',
].join('\n');

describe('afin import with real-world files', () => {
  it('a ;-delimited, decimal-comma catalogue imports with one command and a mapping', { timeout: TIMEOUT }, async () => {
    const dir = freshDir();
    const file = join(dir, 'catalogue.csv');
    writeFileSync(file, SEMICOLON_CSV);
    const args = ['import', 'items', file, '--map', 'id=item_id,title=name,categories=category,description=short_description', '--set', 'currency=SAR'];

    const dry = await afin(dir, ...args, '--dry-run', '2');
    expect(dry.code).toBe(0);
    const lines = dry.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/CSV, delimiter ";", decimal comma/);
    expect(lines[0]).toMatch(/ignored columns: X1, old_price/);
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2].replace(/^line 3: /, ''))).toEqual({
      id: '102',
      title: 'NORD; VIKEN',
      description: 'Bar table',
      categories: ['Bar furniture'],
      price: 1995.5,
      currency: 'SAR',
      available: true,
    });
    expect(existsSync(join(dir, 'afin.db')), 'a dry run stores nothing').toBe(false);

    const r = await afin(dir, ...args);
    // 101 twice in one batch is one upsert, with both its categories.
    expect(r.stdout).toMatch(/^4 rows read, 2 stored, 0 duplicates, 1 rejected/m);
    expect(r.stdout).toMatch(/1 rows repeated an id already read \(3 distinct ids\)/);
    expect(r.stdout).toMatch(/line 5: title/);
    const items = await storedItems(dir);
    expect(items.map((i) => [i.id, i.price, i.categories])).toEqual([
      ['101', 265, ['Bar furniture', 'Outdoor furniture']],
      ['102', 1995.5, ['Bar furniture']],
    ]);
    expect(items[0].description).toBe('Bar table, in/outdoor, 51x51 cm');
  });

  it('a Shopify export imports with --preset shopify: variant rows add nothing', { timeout: TIMEOUT }, async () => {
    const dir = freshDir();
    const file = join(dir, 'products_export.csv');
    writeFileSync(
      file,
      [
        'Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src,Status',
        'linen-shirt,Linen shirt,"<p>Cool, <b>light</b></p>",Acme,Shirts,"linen, summer",true,Size,S,LS-S,39.90,https://cdn.example/s.jpg,active',
        'linen-shirt,,,,,,,,M,LS-M,39.90,https://cdn.example/s2.jpg,',
        'wool-cap,Wool cap,,Acme,Hats,winter,true,Title,Default Title,WC,15.00,,draft',
        '',
      ].join('\n'),
    );
    const r = await afin(dir, 'import', 'items', file, '--preset', 'shopify');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const items = await storedItems(dir);
    expect(items.map((i) => [i.id, i.title, i.price, i.available, i.categories, i.tags])).toEqual([
      ['linen-shirt', 'Linen shirt', 39.9, true, ['Shirts'], ['linen', 'summer']],
      ['wool-cap', 'Wool cap', 15, false, ['Hats'], ['winter']],
    ]);
    expect(items[0].description).toBe('Cool, light');
  });

  it('JSON lines take a mapping too; a bad mapping exits 2 naming the field', { timeout: TIMEOUT }, async () => {
    const dir = freshDir();
    const file = join(dir, 'events.jsonl');
    writeFileSync(
      file,
      [
        '{"id":"e1","event":"purchase","customer":{"id":7},"sku":"101","amount":"265,5","at":1700000000000}',
        '{"id":"e2","event":"view","customer":{"id":8},"sku":"102","at":1700000001000}',
        '',
      ].join('\n'),
    );
    const map = 'messageId=id,type=event,userId=customer.id,itemId=sku,value=amount,timestamp=at';
    const r = await afin(dir, 'import', 'events', file, '--map', map, '--decimal', 'comma');
    expect(r.stdout, r.stderr).toMatch(/^2 rows read, 2 stored, 0 duplicates, 0 rejected/m);
    const store = new SqliteStore(join(dir, 'afin.db'));
    try {
      expect((await store.eventsOf('default', '7')).map((e) => [e.messageId, e.type, e.itemId, e.value, e.timestamp])).toEqual([
        ['e1', 'purchase', '101', 265.5, 1700000000000],
      ]);
    } finally {
      await store.close();
    }
    const bad = await afin(dir, 'import', 'events', file, '--map', 'user=customer.id');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"user" is not a field of events/);
  });
});

describe('Segment / RudderStack warehouse exports of events (--preset segment)', () => {
  it('reads a row as the call it was: an order table row is one purchase per product, at the warehouse time', () => {
    const row = {
      id: 'ajs-1',
      user_id: 'ana',
      event_text: 'Order Completed',
      timestamp: '2024-03-01 10:00:00.123 UTC',
      received_at: '2024-03-01 10:00:01 UTC',
      order_id: 'o-9',
      currency: 'EUR',
      products: '[{"product_id":"i1","price":"12.5","quantity":2},{"product_id":"i2","price":3}]',
    };
    expect(warehouseRowEvents(row)).toEqual({
      events: [
        {
          messageId: 'ajs-1:0',
          type: 'purchase',
          userId: 'ana',
          itemId: 'i1',
          value: 25,
          timestamp: Date.UTC(2024, 2, 1, 10, 0, 0, 123),
          properties: { orderId: 'o-9', quantity: 2, currency: 'EUR' },
        },
        {
          messageId: 'ajs-1:1',
          type: 'purchase',
          userId: 'ana',
          itemId: 'i2',
          value: 3,
          timestamp: Date.UTC(2024, 2, 1, 10, 0, 0, 123),
          properties: { orderId: 'o-9', currency: 'EUR' },
        },
      ],
    });
    expect(warehouseRowEvents({ id: 'p1', type: 'page', user_id: 'ana' })).toEqual({ ignored: 'page rows are not events' });
    expect(warehouseRowEvents({ id: 't1', user_id: 'ana', event: 'Coupon Applied' })).toHaveProperty('ignored');
    expect(warehouseRowEvents({ id: 't2', user_id: 'ana' })).toEqual({ error: 'event: a track call names its event' });
  });

  it('imports a tracks export in JSON lines through the API validation, counting rows, not events', async () => {
    const t = await makeTestApp();
    const dir = freshDir();
    const file = join(dir, 'tracks.jsonl');
    writeFileSync(
      file,
      [
        { id: 'a1', anonymous_id: 'v1', event: 'Product Viewed', timestamp: '2024-03-01T09:00:00.000Z', properties: { product_id: 'i1' } },
        {
          id: 'a2',
          user_id: 'bo',
          event: 'Order Completed',
          timestamp: '2024-03-01T09:05:00.000Z',
          properties: { products: [{ product_id: 'i2' }, { product_id: 'i3' }] },
        },
        { id: 'a3', user_id: 'bo', type: 'identify' },
        { id: 'a4', user_id: 'bo', event: 'Product Viewed', timestamp: '2024-03-01T09:06:00.000Z', properties: {} },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    try {
      await t.engine.ingest.putItems('default', catalogue(4));
      const s = await importFile(t.engine, 'default', planImport('events', file, { preset: 'segment' }), file, true);
      expect(s).toMatchObject({ read: 3, stored: 3, skipped: 1, rejected: [{ line: 4, error: expect.stringMatching(/itemId/) }] });
      expect((await t.engine.store.eventsOf('default', 'bo')).map((e) => [e.messageId, e.itemId, e.timestamp])).toEqual([
        ['a2:0', 'i2', Date.UTC(2024, 2, 1, 9, 5)],
        ['a2:1', 'i3', Date.UTC(2024, 2, 1, 9, 5)],
      ]);
    } finally {
      await t.close();
    }
  });
});
