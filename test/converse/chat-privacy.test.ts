import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUTH, items, makeTestApp, type TestApp } from '../helpers.ts';

/**
 * Issue 8, item 3: with an ordinary public key (no requireUserToken) anyone could name a victim's
 * userId in the chat and hear their interests, withdraw their consent or wipe their chat memory.
 * Privacy disclosures and actions now need proof of the person: an Afin-User-Token for that userId,
 * or a server/admin key. Otherwise the assistant explains where to do it and changes nothing.
 */
let t: TestApp;
let publicKey: string;
let serverKey: string;

async function inject(method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: unknown) {
  const r = await t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: r.statusCode, body: r.body ? r.json() : null };
}

async function key(scope: 'public' | 'server'): Promise<string> {
  const r = await inject('POST', '/v1/keys', AUTH, { scope, name: `chat-privacy ${scope}` });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body.key as string;
}

async function token(userId: string): Promise<string> {
  const r = await inject('POST', `/v1/users/${userId}/token`, { authorization: `Bearer ${serverKey}` }, {});
  expect(r.status).toBe(200);
  return r.body.token as string;
}

function chat(headers: Record<string, string>, userId: string, message: string) {
  return inject('POST', '/v1/chat', headers, { userId, message });
}

const pub = () => ({ authorization: `Bearer ${publicKey}` });

/** A person with a history (interests, a purchase), remembered chats and a consent record. */
async function victim(userId: string) {
  const events = [...['i0', 'i2', 'i4', 'i6'].map((itemId) => ({ type: 'view', userId, itemId })), { type: 'purchase', userId, itemId: 'i8' }];
  expect((await inject('POST', '/v1/events', AUTH, events)).status).toBe(200);
  expect((await inject('PUT', `/v1/users/${userId}/consent`, AUTH, { personalization: true, chatMemory: true, source: 'banner' })).status).toBe(200);
  // The person's own conversation, through the server: the assistant remembers its topic.
  expect((await chat(AUTH, userId, 'I am looking for something from the even range')).status).toBe(200);
  expect(await t.engine.store.getDoc('default', 'chat_memory', userId)).not.toBeNull();
}

async function consentOf(userId: string) {
  return (await inject('GET', `/v1/users/${userId}/consent`, AUTH)).body;
}

beforeAll(async () => {
  t = await makeTestApp();
  expect(
    (
      await inject(
        'PUT',
        '/v1/items',
        AUTH,
        items(12, (i) => ({ title: `Lamp ${i}`, categories: [i % 2 ? 'odd' : 'even'] })),
      )
    ).status,
  ).toBe(200);
  publicKey = await key('public');
  serverKey = await key('server');
});
afterAll(async () => t?.close());

describe('the chat with a public key and no proof of the person', () => {
  const id = 'victim-1';
  beforeEach(async () => victim(id));

  it('does not recite what it knows, in English, and says where to look', async () => {
    const r = await chat(pub(), id, 'what do you know about me?');
    expect(r.status).toBe(200);
    expect(r.body.intent).toBe('privacy_what_you_know');
    expect(r.body.reply).not.toMatch(/even|viewed|bought|interested|\d/i);
    expect(r.body.reply).toMatch(/privacy settings/i);
    const exp = await chat(pub(), id, 'export my data');
    expect(exp.body.reply).not.toMatch(/even|viewed|bought|\d/i);
  });

  it('does not recite it in Spanish either, and answers in Spanish', async () => {
    const r = await chat(pub(), id, '¿qué sabes de mí?');
    expect(r.body.language).toBe('es');
    expect(r.body.reply).not.toMatch(/even|visto|comprado|interesa|\d/i);
    expect(r.body.reply).toMatch(/configuración de privacidad/);
  });

  it('changes no consent and forgets nothing, and says so', async () => {
    const before = await consentOf(id);
    const memory = await t.engine.store.getDoc('default', 'chat_memory', id);
    const off = await chat(pub(), id, "I don't want personalized recommendations");
    expect(off.body.intent).toBe('privacy_forget');
    expect(off.body.reply).toMatch(/nothing has changed|can't change/i);
    const forget = await chat(pub(), id, 'forget me');
    expect(forget.body.intent).toBe('privacy_forget');
    const olvida = await chat(pub(), id, 'olvida todo lo que sabes de mí');
    expect(olvida.body.language).toBe('es');
    expect(olvida.body.reply).toMatch(/no he cambiado nada/i);
    const after = await consentOf(id);
    expect(after.history).toEqual(before.history);
    expect(after).toMatchObject({ personalization: true, chatMemory: true });
    expect(after.history.some((h: { source: string }) => h.source === 'chat')).toBe(false);
    // Still there, with what it held (the turns themselves only touch its writing statistics and date).
    const kept = await t.engine.store.getDoc('default', 'chat_memory', id);
    expect(kept).not.toBeNull();
    const { lastTopic, likes, dislikes, budgets } = memory!.body as Record<string, unknown>;
    expect(kept!.body).toMatchObject({ lastTopic, likes, dislikes, budgets });
  });

  it('does not tell what the person bought', async () => {
    const r = await chat(pub(), id, 'where is my order?');
    expect(r.body.intent).toBe('order_status');
    expect(r.body.reply).not.toMatch(/Lamp 8|last order/i);
  });

  it('a token for someone else proves nothing', async () => {
    const r = await chat({ ...pub(), 'afin-user-token': await token('mallory') }, id, 'forget me');
    expect(r.body.reply).toMatch(/can't change/i);
    expect(await t.engine.store.getDoc('default', 'chat_memory', id)).not.toBeNull();
    const forged = await chat({ ...pub(), 'afin-user-token': 'ut1.x.y.z' }, id, 'what do you know about me?');
    expect(forged.body.reply).not.toMatch(/even|viewed/i);
  });
});

describe('the chat for a proven person works as before', () => {
  it('with a user token for that userId: tells, withdraws consent and forgets', async () => {
    const id = 'proven-1';
    await victim(id);
    const h = { ...pub(), 'afin-user-token': await token(id) };
    const know = await chat(h, id, 'what do you know about me?');
    expect(know.body.reply).toMatch(/even/);
    expect(know.body.reply).toMatch(/viewed 4 products and bought 1/);
    const order = await chat(h, id, 'where is my order?');
    expect(order.body.reply).toMatch(/Lamp 8/);
    await chat(h, id, "I don't want personalized recommendations");
    const c = await consentOf(id);
    expect(c.personalization).toBe(false);
    expect(c.history.at(-1).source).toBe('chat');
    await chat(h, id, 'forget me');
    expect(await t.engine.store.getDoc('default', 'chat_memory', id)).toBeNull();
    expect((await consentOf(id)).chatMemory).toBe(false);
  });

  it('with a server key', async () => {
    const id = 'proven-2';
    await victim(id);
    const h = { authorization: `Bearer ${serverKey}` };
    expect((await chat(h, id, 'what do you know about me?')).body.reply).toMatch(/even/);
    await chat(h, id, 'forget me');
    expect(await t.engine.store.getDoc('default', 'chat_memory', id)).toBeNull();
    expect((await consentOf(id)).chatMemory).toBe(false);
  });
});
