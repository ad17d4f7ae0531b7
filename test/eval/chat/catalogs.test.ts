import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ikeaItems } from '../../../src/eval/chat/catalogs.ts';

/** A few rows in the IKEA scrape's own format: a byte-order mark, `;` separators, decimal commas, quoted fields. */
const HEADER = 'X1;item_id;name;category;price;old_price;sellable_online;link;other_colors;short_description;designer;depth;height;width';
const ROWS = [
  '0;90420332;FREKVENS;Bar furniture;265,0;No old price;TRUE;https://www.ikea.com/sa/en/p/frekvens-bar-table-in-outdoor-black-90420332/;No;Bar table, in/outdoor,          51x51 cm;Nicholai Wiig Hansen;;99;51',
  // A quoted designer column holding a `;` and the product's long text; an inches mark as a doubled quote.
  '1;20330599;UPPLEVA;TV & media furniture;199,5;No old price;FALSE;https://www.ikea.com/sa/en/p/uppleva-bracket-for-tv-swivel-light-grey-20330599/;No;"Bracket for TV, swivel,          37-55 """;"203.305.99 Angled for viewing; cables hidden.";NA;;',
  // The same product id again, under another category: the first one wins.
  '2;90420332;FREKVENS;Outdoor;999,0;No old price;TRUE;https://www.ikea.com/sa/en/p/frekvens-bar-table-in-outdoor-black-90420332/;No;Bar table;Someone Else;;;',
];

const dir = mkdtempSync(join(tmpdir(), 'afin-ikea-'));
writeFileSync(join(dir, 'ikea.csv'), `\uFEFF${HEADER}\r\n${ROWS.join('\r\n')}\r\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ikeaItems', () => {
  const items = ikeaItems(dir);

  it('reads one item per product id, the first row winning', () => {
    expect(items.map((it) => it.id)).toEqual(['ikea-90420332', 'ikea-20330599']);
    expect(items[0].categories).toEqual(['Bar furniture']);
  });

  it('reads decimal commas, availability, the colour from the link and the dimensions given', () => {
    expect(items[0]).toMatchObject({
      title: 'FREKVENS Bar table, in/outdoor, 51x51 cm',
      price: 265,
      currency: 'SAR',
      available: true,
      attributes: { brand: 'IKEA', colour: 'black', designer: 'Nicholai Wiig Hansen', height: 99, width: 51 },
    });
    expect(items[0].attributes).not.toHaveProperty('depth');
    expect(items[1].price).toBe(199.5);
    expect(items[1].available).toBe(false);
  });

  it('keeps a quoted field whole and drops the inches quote; long text spilled into the designer column becomes the description', () => {
    expect(items[1].title).toBe('UPPLEVA Bracket for TV, swivel, 37-55');
    expect(items[1].description).toBe('Bracket for TV, swivel, 37-55. Angled for viewing; cables hidden.');
    expect(items[1].attributes).toEqual({ brand: 'IKEA', colour: 'grey' });
  });
});
