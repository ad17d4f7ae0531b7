import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Assistant } from '../../../src/converse/assistant.ts';
import { Engine } from '../../../src/server/compose.ts';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts';
import { startFakeOpenAi, type FakeOpenAi, type ScriptedResponse } from '../../llm/fake-openai-server.ts';

const ITEMS = [
  {
    id: 'h1',
    title: 'Volt Runner Earbuds',
    categories: ['headphones'],
    price: 49.99,
    currency: 'EUR',
    attributes: { brand: 'Volt', use: 'running', colour: 'black' },
  },
  {
    id: 'h2',
    title: 'Studio Max Headphones',
    categories: ['headphones'],
    price: 129,
    currency: 'EUR',
    attributes: { brand: 'Studio', use: 'music', colour: 'white' },
  },
  {
    id: 'h3',
    title: 'Trail Buds Mini',
    categories: ['headphones'],
    price: 39.5,
    currency: 'EUR',
    attributes: { brand: 'Trail', use: 'running', colour: 'red' },
  },
  { id: 's1', title: 'Road Shoe 2', categories: ['running-shoes'], price: 89, currency: 'EUR', attributes: { brand: 'Road', use: 'running' } },
];

let fake: FakeOpenAi | null = null;
let dir = '';
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.close();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  engine = null;
  fake = null;
});

async function setup(script: ScriptedResponse[], timeoutMs = 3000) {
  fake = await startFakeOpenAi(script, { apiKey: 'sk-test' });
  dir = mkdtempSync(join(tmpdir(), 'afin-llm-'));
  const store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
  engine = new Engine(store, { adminKey: 'k', llm: { url: fake.url, model: 'test-model', apiKey: 'sk-test' } }, { cacheMaxAgeMs: 0 });
  await engine.ingest.putItems('default', ITEMS);
  const assistant = new Assistant(engine.chat, { url: fake.url, model: 'test-model', apiKey: 'sk-test', timeoutMs });
  return { assistant, fake };
}

describe('the assistant with an OpenAI-compatible LLM', () => {
  it('lets the LLM call search_catalog and write the reply, naming only what the tool returned', async () => {
    const { assistant, fake } = await setup([
      { toolCalls: [{ name: 'search_catalog', arguments: '{"productType":"headphones","maxPrice":60,"use":"running"}' }] },
      { content: 'For running under 60 €, I would pick the Volt Runner Earbuds at 49,99 €: light and secure.' },
    ]);
    const r = await assistant.reply('default', { userId: 'ana', message: 'I need running headphones under 60 euros' }, { proven: true }); // proven: the profile tool is offered
    expect(r.by).toBe('llm');
    expect(r.reply).toContain('Volt Runner Earbuds');
    expect(r.items.map((i) => i.id)).toEqual(['h1']);
    // The wire protocol: tools offered, the tool result sent back under its call id, the key sent.
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test');
    expect(fake.requests[0].body.tools.map((t: { function: { name: string } }) => t.function.name).sort()).toEqual([
      'add_to_cart',
      'get_profile',
      'recommend',
      'search_catalog',
    ]);
    const toolMsg = fake.requests[1].body.messages.find((m: { role: string }) => m.role === 'tool');
    const result = JSON.parse(toolMsg.content);
    expect(result.items.every((i: { price: number }) => i.price <= 60)).toBe(true);
    expect(result.items.map((i: { id: string }) => i.id)).not.toContain('h2');
  });

  it('regenerates a reply with an invented price, then falls back to the embedded answer', async () => {
    const { assistant, fake } = await setup([
      { content: 'The Volt Runner Earbuds are only 19,99 € today!' },
      { content: 'Try the "Quantum Pods Ultra" at 25 €.' },
    ]);
    const r = await assistant.reply('default', { userId: 'bo', message: 'running headphones under 60 euros' });
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1].body.messages.at(-1).content).toMatch(/System check/);
    expect(r.by).toBe('embedded');
    expect(r.reply).not.toContain('19,99');
    expect(r.reply).not.toContain('Quantum');
  });

  it('accepts a corrected second attempt', async () => {
    const { assistant } = await setup([
      { content: 'The Trail Buds Mini cost 9 €.' },
      { toolCalls: [{ name: 'search_catalog', arguments: '{"productType":"headphones","maxPrice":60}' }] },
      { content: 'The Trail Buds Mini cost 39,50 €.' },
    ]);
    const r = await assistant.reply('default', { userId: 'cy', message: 'cheap headphones under 60 euros' });
    expect(r.by).toBe('llm');
    expect(r.items.map((i) => i.id)).toEqual(['h3']);
  });

  it('falls back to the embedded assistant on an HTTP error and on a timeout', async () => {
    const { assistant } = await setup([{ status: 500, error: 'model crashed' }]);
    const r = await assistant.reply('default', { userId: 'di', message: 'Hello' });
    expect(r.by).toBe('embedded');
    expect(r.reply.length).toBeGreaterThan(0);
    await engine!.close();
    engine = null;
    await fake!.close();
    const slow = await setup([{ content: 'too late', delayMs: 2000 }], 300);
    const started = Date.now();
    const t = await slow.assistant.reply('default', { userId: 'ed', message: 'Hello' });
    expect(t.by).toBe('embedded');
    expect(Date.now() - started).toBeLessThan(1800);
  });

  it('add_to_cart from the LLM only works for items a tool returned, and records the event', async () => {
    const { assistant } = await setup([
      { toolCalls: [{ name: 'add_to_cart', arguments: '{"itemId":"h2"}' }] },
      { toolCalls: [{ name: 'search_catalog', arguments: '{"productType":"headphones","maxPrice":45}' }] },
      { toolCalls: [{ name: 'add_to_cart', arguments: '{"itemId":"h3"}' }] },
      { content: 'Done: Trail Buds Mini is in your cart.' },
    ]);
    const r = await assistant.reply('default', { userId: 'fa', message: 'add cheap headphones to my cart' });
    expect(r.by).toBe('llm');
    const carts = (await engine!.store.eventsOf('default', 'fa')).filter((e) => e.type === 'add_to_cart').map((e) => e.itemId);
    expect(carts).toEqual(['h3']);
  });
});
