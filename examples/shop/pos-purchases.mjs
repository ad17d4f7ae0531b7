#!/usr/bin/env node
// In-store (point-of-sale) purchases into Afín, as a shop's till system would send them: purchase
// events with `channel: "store"` for a known customer (a loyalty card), through the client with a
// server key. Afterwards the assistant on the web knows what was bought in the shop ("Where is my
// order?" names it; recommendations count it).
//
//   node examples/shop/pos-purchases.mjs --url http://127.0.0.1:7070 --key <admin or server key> --user u-001 [--items 2] [--item ID]
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createClient } from '../../src/client/index.js';

/**
 * Posts one till receipt: a purchase event per item, at `store`, now. With no `itemIds`, the first
 * `count` items recommended to the person stand in for what they picked up in the shop.
 */
export async function postStorePurchases({ baseUrl, key, userId, itemIds, count = 1, store = 'Madrid — Gran Vía' }) {
  const afin = createClient({ baseUrl, key, autoFlush: false });
  const ids = itemIds?.length ? itemIds : (await afin.recommendations({ userId, n: count })).items.map((i) => i.id);
  const receipt = `pos-${Date.now().toString(36)}`;
  const bought = [];
  for (const id of ids) {
    const item = await afin.getItem(id);
    bought.push({ id, title: item.title, price: item.price, currency: item.currency });
  }
  const result = await afin.sendEvents(
    bought.map((b, i) => ({
      messageId: `${receipt}-${i}`,
      type: 'purchase',
      userId,
      itemId: b.id,
      ...(typeof b.price === 'number' ? { value: b.price } : {}),
      channel: 'store',
      properties: { store, receipt, till: 3 },
    })),
  );
  return { receipt, store, bought, result };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.AFIN_URL ?? 'http://127.0.0.1:7070' },
      key: { type: 'string', default: process.env.AFIN_ADMIN_KEY },
      user: { type: 'string', default: 'u-001' },
      items: { type: 'string', default: '1' },
      item: { type: 'string', multiple: true },
    },
  });
  if (!values.key) {
    console.error('pos-purchases: --key is required (the demo prints its dev key), or set AFIN_ADMIN_KEY');
    process.exit(1);
  }
  const out = await postStorePurchases({ baseUrl: values.url, key: values.key, userId: values.user, itemIds: values.item, count: Number(values.items) });
  for (const b of out.bought) console.log(`${values.user} bought "${b.title}" at ${out.store} (receipt ${out.receipt})`);
  console.log(`accepted ${out.result.accepted}, duplicates ${out.result.duplicates}, rejected ${out.result.rejected.length}`);
}
