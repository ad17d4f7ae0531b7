import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog, type CatalogItem } from '../../src/simulate/index.ts';
import { AUTH, makeTestApp, type TestApp } from '../helpers.ts';

/**
 * The embedded assistant through its HTTP API, on a small generated catalogue: each behaviour of the
 * conversational assistant issue, checked against the catalogue itself.
 */

/**
 * Water bottles written by hand, mostly pink and first by id, so that a negation that is not applied shows.
 */
const BOTTLES = [
  ['b-01', 'pink', 'Aqua'],
  ['b-02', 'pink', 'Aqua'],
  ['b-03', 'pink', 'Hydra'],
  ['b-04', 'pink', 'Hydra'],
  ['b-05', 'pink', 'Aqua'],
  ['b-06', 'blue', 'Hydra'],
  ['b-07', 'green', 'Aqua'],
  ['b-08', 'black', 'Hydra'],
  ['b-09', 'grey', 'Flow'],
].map(([id, colour, brand], k) => ({
  id,
  title: `${brand} Steel Water Bottle ${k + 1} - ${colour}`,
  description: 'A 750 ml insulated bottle.',
  categories: ['sport', 'water-bottles'] as [never, string],
  tags: ['water-bottles', colour],
  price: 10 + k,
  currency: 'EUR' as const,
  language: 'en' as const,
  available: true,
  attributes: { brand, productType: 'water-bottles', use: 'gym', uses: ['gym'], tier: 'mid', colour },
})) as unknown as CatalogItem[];

const CATALOG: CatalogItem[] = [...BOTTLES, ...generateCatalog({ seed: 17, size: 400 })];
const BY_ID = new Map(CATALOG.map((it) => [it.id, it]));
const ofType = (type: string) => CATALOG.filter((it) => it.attributes.productType === type && it.available).sort((a, b) => a.id.localeCompare(b.id));

interface Reply {
  sessionId: string;
  reply: string;
  language: 'en' | 'es';
  tone: string;
  address?: 'tu' | 'usted';
  intent: string;
  slots: Record<string, unknown>;
  items: Array<{ id: string; title: string; price?: number; currency?: string; reasons: string[] }>;
  suggestions: string[];
  flagged: boolean;
  personalized: boolean;
  agentMessages: Array<{ text: string; agent?: string }>;
}

let t: TestApp;

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  const r = await t.app.inject({ method, url, headers: AUTH, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: r.statusCode, body: r.body ? r.json() : null };
}

/** A conversation: each `say` continues the same session. */
function conversation(userId: string) {
  let sessionId: string | undefined;
  return {
    get sessionId() {
      return sessionId;
    },
    set sessionId(id: string | undefined) {
      sessionId = id;
    },
    async say(message: string): Promise<Reply> {
      const r = await call('POST', '/v1/chat', { userId, message, ...(sessionId ? { sessionId } : {}) });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      sessionId = r.body.sessionId;
      return r.body as Reply;
    },
  };
}

/** Every item shown is the catalogue's, with its own title and price, and every listed line names one. */
function expectGrounded(r: Reply) {
  for (const i of r.items) {
    const it = BY_ID.get(i.id);
    expect(it, `unknown item ${i.id}`).toBeDefined();
    expect(i.title).toBe(it!.title);
    if (i.price !== undefined) expect(i.price).toBe(it!.price);
  }
  for (const line of r.reply.split('\n')) {
    const m = /^\d+\.\s+(.+) — (.+)$/.exec(line);
    if (!m) continue;
    const it = CATALOG.find((x) => x.title === m[1]);
    expect(it, `listed "${m[1]}" is not in the catalogue`).toBeDefined();
    expect(m[2]).toMatch(priceText(it!.price, r.language));
  }
}

/**
 * How a catalogue price must read, built without the code under test: the exact amount, two decimals
 * unless whole, a comma in Spanish, then " €" (164.99 → "164.99 €" / "164,99 €", never "165 €").
 */
function priceText(price: number | undefined, lang: 'en' | 'es'): RegExp {
  expect(price, 'a listed item has a price').toBeTypeOf('number');
  const [whole, cents = ''] = String(price).split('.');
  const decimals = cents ? `${lang === 'es' ? ',' : '\\.'}${cents.padEnd(2, '0')}` : '';
  return new RegExp(`^${whole}${decimals} €$`);
}

function isQuestion(r: Reply) {
  return r.items.length === 0 && (r.reply.match(/\?/g) ?? []).length === 1 && r.suggestions.length >= 2;
}

async function eventsOf(userId: string) {
  return t.engine.store.eventsOf('default', userId, 10_000);
}

beforeAll(async () => {
  t = await makeTestApp();
  const put = await call('PUT', '/v1/items', CATALOG);
  expect(put.status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

describe('asking before recommending', () => {
  it('asks for the budget, then the use, one question at a time with quick replies, then recommends 3 items that meet the constraints', async () => {
    const c = conversation('ask-1');
    const q1 = await c.say("I'm looking for headphones");
    expect(isQuestion(q1)).toBe(true);
    expect(q1.reply).toMatch(/budget|spend/i);
    expect(q1.suggestions.filter((s) => /\d/.test(s)).length).toBeGreaterThanOrEqual(2);
    const q2 = await c.say('under 150 euros');
    expect(isQuestion(q2)).toBe(true);
    expect(q2.reply).toMatch(/use|for/i);
    const r = await c.say('for travel');
    expectGrounded(r);
    expect(r.items).toHaveLength(3);
    for (const i of r.items) {
      const it = BY_ID.get(i.id)!;
      expect(it.categories).toContain('headphones');
      expect(it.price).toBeLessThanOrEqual(150);
      expect(i.reasons).toHaveLength(1);
      expect(i.reasons[0]).not.toContain('\n');
      expect(i.reasons[0]).toMatch(/150/); // it cites what the person said
    }
    expect(r.slots).toMatchObject({ productType: 'headphones', budget: { max: 150 }, use: 'travel' });
  });

  it('asks at most two questions, then recommends even when the person does not say', async () => {
    const c = conversation('ask-2');
    expect(isQuestion(await c.say('show me jackets'))).toBe(true);
    expect(isQuestion(await c.say("doesn't matter"))).toBe(true);
    const r = await c.say('whatever');
    expect(r.items).toHaveLength(3);
    for (const i of r.items) expect(BY_ID.get(i.id)!.categories).toContain('jackets');
  });

  it('recommends at once when the message says enough, in Spanish, and respects a negation', async () => {
    const c = conversation('ask-3');
    const r = await c.say('busco zapatillas para correr de menos de 120 euros, nada de rosa');
    const shown = r.items.length ? r : await c.say('me da igual');
    expect(shown.language).toBe('es');
    expect(shown.items).toHaveLength(3);
    expectGrounded(shown);
    for (const i of shown.items) {
      const it = BY_ID.get(i.id)!;
      expect(it.categories).toContain('running-shoes');
      expect(it.price).toBeLessThanOrEqual(120);
      expect(it.attributes.colour).not.toBe('pink');
    }
  });

  it('leaves out what the person ruled out: a colour, a brand', async () => {
    const c = conversation('neg-1');
    let r = await c.say('I want a water bottle, not pink');
    while (!r.items.length) r = await c.say("doesn't matter");
    expect(r.items.length).toBe(3);
    for (const i of r.items) expect(BY_ID.get(i.id)!.attributes.colour).not.toBe('pink');
    const d = conversation('neg-2');
    let s2 = await d.say('enséñame botellas que no sean de Aqua');
    while (!s2.items.length) s2 = await d.say('me da igual');
    expect(s2.items.length).toBe(3);
    for (const i of s2.items) expect(BY_ID.get(i.id)!.attributes.brand).not.toBe('Aqua');
  });

  it('never names a product or a price that is not in the catalogue', async () => {
    const c = conversation('ground-1');
    for (const m of [
      'I want a speaker under 100',
      'for parties',
      'any colour',
      'something cheaper',
      'compare the first two',
      'the second one',
      'something more expensive',
    ]) {
      const r = await c.say(m);
      expectGrounded(r);
      for (const m2 of r.reply.matchAll(/(\d+(?:\.\d{1,2})?) €/g)) {
        const said = ['100'].includes(m2[1]);
        const diff = r.intent === 'compare';
        if (!said && !diff)
          expect(
            CATALOG.some((it) => priceText(it.price ?? 0, 'en').test(m2[0])),
            `${m2[0]} in "${r.reply}"`,
          ).toBe(true);
      }
    }
  });
});

describe('follow-ups on what was shown', () => {
  it('cheaper, the second one, compare the first two, add it to my cart (an add_to_cart event)', async () => {
    const c = conversation('follow-1');
    await c.say('I need a smartwatch under 300');
    let r = await c.say('for fitness');
    if (!r.items.length) r = await c.say("doesn't matter");
    expect(r.items).toHaveLength(3);
    const first = r.items;
    const cheaper = await c.say('something cheaper');
    expect(cheaper.items.length).toBeGreaterThan(0);
    const floor = Math.min(...first.map((i) => i.price!));
    for (const i of cheaper.items) {
      expect(i.price!).toBeLessThan(floor);
      expect(BY_ID.get(i.id)!.categories).toContain('smartwatches');
    }
    const list = cheaper.items;
    const second = await c.say('the second one');
    expect(second.items[0].id).toBe(list[1].id);
    expect(second.reply).toContain(list[1].title);
    // Pointing at an item is not buying it.
    expect((await eventsOf('follow-1')).filter((e) => e.type === 'add_to_cart')).toHaveLength(0);
    const cmp = await c.say('compare the first two');
    expect(cmp.items.map((i) => i.id).sort()).toEqual([list[0].id, list[1].id].sort());
    expect(cmp.reply).toContain(list[0].title);
    expect(cmp.reply).toContain(list[1].title);
    const before = (await eventsOf('follow-1')).filter((e) => e.type === 'add_to_cart').length;
    const added = await c.say('add the second one to my cart');
    expect(added.intent).toBe('add_to_cart');
    const carts = (await eventsOf('follow-1')).filter((e) => e.type === 'add_to_cart');
    expect(carts).toHaveLength(before + 1);
    expect(carts.at(-1)!.itemId).toBe(list[1].id);
  });

  it('Spanish follow-ups: más barato, el segundo, añádelo al carrito', async () => {
    const c = conversation('follow-2');
    await c.say('quiero unos auriculares de menos de 200 euros');
    let r = await c.say('para escuchar música');
    if (!r.items.length) r = await c.say('me da igual');
    expect(r.items).toHaveLength(3);
    const cheaper = await c.say('más barato');
    expect(cheaper.language).toBe('es');
    for (const i of cheaper.items) expect(i.price!).toBeLessThan(Math.min(...r.items.map((x) => x.price!)));
    const list = cheaper.items.length ? cheaper.items : r.items;
    const second = await c.say('el segundo');
    expect(second.items[0].id).toBe(list[1].id);
    await c.say('añádelo al carrito');
    const carts = (await eventsOf('follow-2')).filter((e) => e.type === 'add_to_cart');
    expect(carts.map((e) => e.itemId)).toContain(list[1].id);
  });

  it('keeps the request within a session and does not show again what was moved away from', async () => {
    const c = conversation('follow-3');
    await c.say('show me backpacks under 120');
    let r = await c.say('hiking');
    if (!r.items.length) r = await c.say('any');
    const seen = new Set(r.items.map((i) => i.id));
    const next = await c.say('cheaper');
    for (const i of next.items) {
      expect(seen.has(i.id)).toBe(false);
      expect(BY_ID.get(i.id)!.categories).toContain('backpacks');
    }
    expect(next.slots.productType).toBe('backpacks');
    expect(next.slots.budget).toMatchObject({ max: 120 });
  });
});

describe('what a message means in the conversation', () => {
  it('a greeting that names a product is a request; a negation narrows what is shown; "háblame del tercero" points at an item', async () => {
    const c = conversation('meaning-1');
    const q = await c.say('Buenas tardes, quisiera una mochila');
    expect(q.intent).toBe('recommend');
    expect(isQuestion(q)).toBe(true);
    let r = await c.say('me da igual');
    while (!r.items.length) r = await c.say('me da igual');
    const brand = BY_ID.get(r.items[0].id)!.attributes.brand;
    const narrowed = await c.say(`que no sean de ${brand}`);
    expect(narrowed.items.length).toBeGreaterThan(0);
    for (const i of narrowed.items) expect(BY_ID.get(i.id)!.attributes.brand).not.toBe(brand);
    const third = await c.say('háblame del tercero');
    expect(third.intent).toBe('item_question');
    expect(third.items[0].id).toBe(narrowed.items[2].id);
    expect(third.address ?? 'tu').toBe(narrowed.address ?? 'tu');
  });

  it('an answer it cannot map does not bring the same question back', async () => {
    const c = conversation('meaning-2');
    const q1 = await c.say('I need headphones');
    expect(q1.reply).toMatch(/budget|spend/i);
    const q2 = await c.say('under 200');
    expect(q2.reply).toMatch(/use|for/i);
    const q3 = await c.say('for my grandmother who likes birdwatching');
    // Either it recommends or it moves on to the next question (taste), never the use again.
    expect(q3.items.length > 0 || /colou?r/i.test(q3.reply)).toBe(true);
  });
});

describe('memory across sessions', () => {
  it('remembers "I don\'t like pink" in a later session, and greets with the last conversation', async () => {
    const a = conversation('mem-1');
    await a.say("I don't like pink");
    await a.say('I want a yoga mat under 80');
    t.clock.advance(2 * 24 * 3600_000);
    const b = conversation('mem-1');
    const hi = await b.say('hi');
    expect(hi.reply.toLowerCase()).toMatch(/yoga mat/);
    let r = await b.say('show me water bottles');
    while (!r.items.length) r = await b.say("doesn't matter");
    expect(r.items).toHaveLength(3);
    for (const i of r.items) expect(BY_ID.get(i.id)!.attributes.colour).not.toBe('pink');
  });

  it('remembers "nada de rosa" from a Spanish conversation', async () => {
    const a = conversation('mem-2');
    await a.say('nada de rosa, por favor');
    t.clock.advance(24 * 3600_000);
    const b = conversation('mem-2');
    let r = await b.say('quiero una botella para el gimnasio');
    while (!r.items.length) r = await b.say('me da igual');
    expect(r.items).toHaveLength(3);
    expect(r.language).toBe('es');
    for (const i of r.items) expect(BY_ID.get(i.id)!.attributes.colour).not.toBe('pink');
  });

  it('survives a restart (a new engine on the same data)', async () => {
    const a = conversation('mem-3');
    await a.say('I want a laptop for gaming under 1500');
    await a.say('I hate red');
    t = await t.restart();
    t.clock.advance(24 * 3600_000);
    const b = conversation('mem-3');
    const hi = await b.say('hello');
    expect(hi.reply.toLowerCase()).toMatch(/laptop/);
    const mem = await t.engine.store.getDoc('default', 'chat_memory', 'mem-3');
    expect(mem?.body).toMatchObject({ dislikes: { colours: ['red'] } });
  });

  it('disappears on erasure: no greeting from the past, no preference, no chat events', async () => {
    const a = conversation('mem-4');
    await a.say('I need a sofa under 1500');
    await a.say('no grey please');
    expect((await eventsOf('mem-4')).some((e) => e.type === 'chat')).toBe(true);
    expect((await call('DELETE', '/v1/users/mem-4')).status).toBe(204);
    expect(await eventsOf('mem-4')).toHaveLength(0);
    expect(await t.engine.store.getDoc('default', 'chat_memory', 'mem-4')).toBeNull();
    expect(await t.engine.store.getDoc('default', 'chat_session', a.sessionId!)).toBeNull();
    const b = conversation('mem-4');
    const hi = await b.say('hello');
    expect(hi.reply.toLowerCase()).not.toMatch(/sofa|last time/);
  });

  it('disappears when chatMemory consent is withdrawn, and the words are no longer kept', async () => {
    const a = conversation('mem-5');
    await a.say('I need a lamp for reading');
    await a.say('not yellow');
    expect((await call('PUT', '/v1/users/mem-5/consent', { chatMemory: false })).status).toBe(200);
    const b = conversation('mem-5');
    const hi = await b.say('hello');
    expect(hi.reply.toLowerCase()).not.toMatch(/lamp|last time/);
    expect(await t.engine.store.getDoc('default', 'chat_memory', 'mem-5')).toBeNull();
    await b.say('a secret message about lamps');
    const chats = (await eventsOf('mem-5')).filter((e) => e.type === 'chat');
    expect(chats.some((e) => e.query === 'a secret message about lamps')).toBe(false);
    // Consent given again: nothing of before comes back.
    await call('PUT', '/v1/users/mem-5/consent', { chatMemory: true });
    const c = conversation('mem-5');
    expect((await c.say('hi')).reply.toLowerCase()).not.toMatch(/lamp/);
  });

  it('stores the conversation as chat events', async () => {
    const c = conversation('events-1');
    await c.say('I want a keyboard under 60');
    await c.say('for the office');
    const chats = (await eventsOf('events-1')).filter((e) => e.type === 'chat');
    const user = chats.filter((e) => e.properties?.role === 'user');
    const bot = chats.filter((e) => e.properties?.role === 'assistant');
    expect(user.map((e) => e.query)).toEqual(['I want a keyboard under 60', 'for the office']);
    expect(bot).toHaveLength(2);
    expect(bot.every((e) => e.properties?.sessionId === c.sessionId)).toBe(true);
  });
});

describe('language and tone', () => {
  it('detects the language per message and keeps it for short ones', async () => {
    const c = conversation('lang-1');
    expect((await c.say('Hola, buenas')).language).toBe('es');
    expect((await c.say('ok')).language).toBe('es');
    expect((await c.say('Sony')).language).toBe('es');
    const en = await c.say('Actually, could you answer me in English? I am looking for a speaker');
    expect(en.language).toBe('en');
    expect(en.reply).not.toMatch(/¿/);
  });

  it('answers in the language of the profile when the user has one', async () => {
    expect((await call('PUT', '/v1/users/lang-2', { traits: { language: 'es' } })).status).toBe(200);
    const c = conversation('lang-2');
    const r = await c.say('I need headphones');
    expect(r.language).toBe('es');
    expect(r.intent).toBe('recommend');
    expect(r.reply).toMatch(/¿/);
  });

  it('switches tone at once on request: be brief, háblame de tú, trátame de usted', async () => {
    const c = conversation('tone-1');
    const q = await c.say('Hello! Could you help me find a dress please?');
    expect(q.tone).toBe('informal');
    const brief = await c.say('be brief');
    expect(brief.tone).toBe('direct');
    // The open question is asked again, briefly.
    expect(brief.suggestions.length).toBeGreaterThan(1);
    const next = await c.say('under 80');
    expect(next.tone).toBe('direct');
    expect(next.reply.split('\n')[0].split(/\s+/).length).toBeLessThanOrEqual(8);

    const es = conversation('tone-2');
    const formal = await es.say('Buenos días. Quisiera un portátil, ¿podría ayudarme?');
    expect(formal.address).toBe('usted');
    const tu = await es.say('háblame de tú');
    expect(tu.address).toBe('tu');
    const usted = await es.say('mejor trátame de usted');
    expect(usted.address).toBe('usted');
    const after = await es.say('menos de 1000 euros');
    expect(after.address).toBe('usted');
    expect(after.reply).not.toMatch(/\b(tienes|buscas|quieres|puedes|necesitas|prefieras)\b/);
  });

  it('learns a technical tone from how the person writes', async () => {
    const c = conversation('tone-3');
    const r = await c.say('I need a laptop with 32 GB RAM, at least 1 TB SSD and 120 Hz screen');
    expect(r.tone).toBe('technical');
  });
});

describe('out of scope and a human in the loop', () => {
  it('declines politely, flags the session after two misses, and the agent reply reaches the person', async () => {
    const c = conversation('human-1');
    const a = await c.say('what is the weather like in Paris tomorrow?');
    expect(a.intent).toBe('out_of_scope');
    expect(a.items).toHaveLength(0);
    expect(a.flagged).toBe(false);
    const b = await c.say('who won the football match yesterday?');
    expect(b.flagged).toBe(true);
    const flagged = await call('GET', '/v1/chat/flagged');
    expect(flagged.body.sessions.map((s: { sessionId: string }) => s.sessionId)).toContain(c.sessionId);
    const agent = await call('POST', `/v1/chat/${c.sessionId}/agent`, { message: 'Hi, Ana here. How can I help?', agent: 'Ana' });
    expect(agent.status).toBe(200);
    const next = await c.say('I need bedding');
    expect(next.agentMessages).toEqual([expect.objectContaining({ text: 'Hi, Ana here. How can I help?', agent: 'Ana' })]);
    const again = await c.say('thanks');
    expect(again.agentMessages).toHaveLength(0);
    const transcript = await call('GET', `/v1/chat/${c.sessionId}`);
    expect(transcript.status).toBe(200);
    expect(transcript.body.turns.map((x: { role: string }) => x.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'agent',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(transcript.body.turns[4]).toMatchObject({ role: 'agent', text: 'Hi, Ana here. How can I help?', agent: 'Ana' });
  });

  it('flags the session when the person asks for a person', async () => {
    const c = conversation('human-2');
    const r = await c.say('quiero hablar con una persona');
    expect(r.intent).toBe('human');
    expect(r.flagged).toBe(true);
  });
});

describe('proactive openers', () => {
  it('opens from an abandoned cart', async () => {
    const it = ofType('speakers')[0];
    await call('POST', '/v1/events', [{ type: 'add_to_cart', userId: 'open-1', itemId: it.id, timestamp: new Date(t.clock() - 3 * 3600_000).toISOString() }]);
    const r = await call('GET', '/v1/chat/opener?userId=open-1');
    expect(r.status).toBe(200);
    expect(r.body.signal).toMatchObject({ kind: 'abandoned_cart', itemId: it.id });
    expect(r.body.reply).toContain(it.title);
    // The conversation goes on from there.
    const c = conversation('open-1');
    c.sessionId = r.body.sessionId;
    await c.say('add it to my cart');
    expect((await eventsOf('open-1')).filter((e) => e.type === 'add_to_cart' && e.itemId === it.id)).toHaveLength(2);
  });

  it('opens from a price drop (the item PUT again with a lower price) and from an item back in stock', async () => {
    const drop = ofType('bikes')[1];
    await call('POST', '/v1/events', [{ type: 'view', userId: 'open-2', itemId: drop.id, timestamp: new Date(t.clock() - 600_000).toISOString() }]);
    await call('PUT', '/v1/items', [{ ...drop, price: Math.round(drop.price * 0.8) }]);
    const r = await call('GET', '/v1/chat/opener?userId=open-2');
    expect(r.body.signal).toMatchObject({ kind: 'price_drop', itemId: drop.id, oldPrice: drop.price, newPrice: Math.round(drop.price * 0.8) });
    expect(r.body.reply).toContain(drop.title);
    await call('PUT', '/v1/items', [drop]);

    const back = ofType('dresses')[2];
    await call('PUT', '/v1/items', [{ ...back, available: false }]);
    await call('POST', '/v1/events', [{ type: 'view', userId: 'open-3', itemId: back.id, timestamp: new Date(t.clock() - 60_000).toISOString() }]);
    t.clock.advance(60_000);
    await call('PUT', '/v1/items', [{ ...back, available: true }]);
    const s = await call('GET', '/v1/chat/opener?userId=open-3');
    expect(s.body.signal).toMatchObject({ kind: 'back_in_stock', itemId: back.id });
    expect(s.body.reply).toContain(back.title);
  });
});

describe('personal quick replies', () => {
  it('offers first what people at the same funnel stage asked most', async () => {
    const item = ofType('mugs')[0];
    for (const u of ['qr-1', 'qr-2', 'qr-3', 'qr-4']) {
      await call('POST', '/v1/events', [
        { type: 'purchase', userId: u, itemId: item.id, value: item.price, timestamp: new Date(t.clock() - 3600_000).toISOString() },
      ]);
      await conversation(u).say('where is my order?');
    }
    await call('POST', '/v1/events', [
      { type: 'purchase', userId: 'qr-5', itemId: item.id, value: item.price, timestamp: new Date(t.clock() - 3600_000).toISOString() },
    ]);
    const customer = await conversation('qr-5').say('hi');
    expect(customer.suggestions[0]).toBe('Where is my order?');
    const visitor = await conversation('qr-new').say('hi');
    expect(visitor.suggestions[0]).toBe('Show me some ideas');
  });
});

describe('orders, FAQ and transcripts', () => {
  it('answers "where is my order?" with the last purchase, and FAQ topics from the shop\'s own answers', async () => {
    const bought = ofType('lamps')[3];
    await call('POST', '/v1/events', [
      { type: 'purchase', userId: 'faq-1', itemId: bought.id, value: bought.price, timestamp: new Date(t.clock() - 86400_000).toISOString() },
    ]);
    const c = conversation('faq-1');
    const r = await c.say('where is my order?');
    expect(r.intent).toBe('order_status');
    expect(r.reply).toContain(bought.title);
    const ship = await c.say('how long does shipping take?');
    expect(ship.reply).toMatch(/working days/);
    const put = await call('PUT', '/v1/chat/faq', {
      return_policy: { en: 'Returns are free for 100 days at any post office.', es: 'Las devoluciones son gratis durante 100 días.' },
    });
    expect(put.status).toBe(200);
    expect((await c.say('what is your return policy?')).reply).toContain('Returns are free for 100 days');
    const es = conversation('faq-1');
    expect((await es.say('¿puedo devolver algo?')).reply).toContain('Las devoluciones son gratis durante 100 días.');
  });

  it('serves the transcript of a session', async () => {
    const c = conversation('tr-1');
    await c.say('hello');
    await c.say('I want a mug under 15');
    const r = await call('GET', `/v1/chat/${c.sessionId}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ sessionId: c.sessionId, userId: 'tr-1' });
    expect(r.body.turns.filter((x: { role: string }) => x.role === 'user').map((x: { text: string }) => x.text)).toEqual(['hello', 'I want a mug under 15']);
  });
});

describe('bad input gets a 4xx naming the field', () => {
  const cases: Array<[string, 'GET' | 'POST' | 'PUT', string, unknown, number, string]> = [
    ['no message', 'POST', '/v1/chat', { userId: 'bad-1' }, 400, 'message'],
    ['an empty message', 'POST', '/v1/chat', { userId: 'bad-1', message: '   ' }, 400, 'message'],
    ['no user', 'POST', '/v1/chat', { message: 'hi' }, 400, 'userId'],
    ['a malformed session id', 'POST', '/v1/chat', { userId: 'bad-1', message: 'hi', sessionId: 'no spaces allowed' }, 400, 'sessionId'],
    ['an unknown field', 'POST', '/v1/chat', { userId: 'bad-1', message: 'hi', mood: 'happy' }, 400, 'mood'],
    ['an over-long message', 'POST', '/v1/chat', { userId: 'bad-1', message: 'x'.repeat(4001) }, 400, 'message'],
    ['an opener without a user', 'GET', '/v1/chat/opener', undefined, 400, 'userId'],
    ['an unknown transcript', 'GET', '/v1/chat/ses_nothing', undefined, 404, 'sessionId'],
    ['an empty agent reply', 'POST', '/v1/chat/ses_nothing/agent', { message: '' }, 400, 'message'],
    ['an agent reply to an unknown session', 'POST', '/v1/chat/ses_nothing/agent', { message: 'hello' }, 404, 'sessionId'],
    ['an FAQ for an unknown topic', 'PUT', '/v1/chat/faq', { opening_hours: { en: 'nine to five' } }, 400, 'opening_hours'],
  ];
  for (const [name, method, url, body, status, field] of cases) {
    it(name, async () => {
      const r = await call(method, url, body);
      expect(r.status).toBe(status);
      expect(r.body.error.field).toBe(field);
    });
  }

  it('starts a session under an id the client chose', async () => {
    const r = await call('POST', '/v1/chat', { userId: 'client-ids', message: 'hi', sessionId: 'widget-42' });
    expect(r.status).toBe(200);
    expect(r.body.sessionId).toBe('widget-42');
    expect((await call('GET', '/v1/chat/widget-42')).body.userId).toBe('client-ids');
  });

  it("does not let one person continue another's session", async () => {
    const c = conversation('owner-1');
    await c.say('hi');
    const r = await call('POST', '/v1/chat', { userId: 'someone-else', message: 'hi', sessionId: c.sessionId });
    expect(r.status).toBe(404);
    expect(r.body.error.field).toBe('sessionId');
  });
});
