import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FACTS_MARKER } from '../../src/generate/llm-writer.ts';
import { buildApp } from '../../src/server/app.ts';
import { Engine } from '../../src/server/compose.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ROOT_KEY, testClock, type TestApp } from '../helpers.ts';
import { startFakeOpenAi, type FakeOpenAi, type ScriptedResponse } from '../llm/fake-openai-server.ts';
import { call, seedShop } from './fixtures.ts';

let fake: FakeOpenAi | null = null;
let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  await fake?.close();
  t = null;
  fake = null;
});

/** An Afín whose content is written by the stand-in LLM (a real HTTP server speaking the Chat Completions protocol). */
async function setup(script: ScriptedResponse[]): Promise<TestApp> {
  fake = await startFakeOpenAi(script, { apiKey: 'sk-test' });
  const dir = mkdtempSync(join(tmpdir(), 'afin-gen-llm-'));
  const clock = testClock();
  const store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
  const engine = new Engine(store, { adminKey: ROOT_KEY, llm: { url: fake.url, model: 'stand-in', apiKey: 'sk-test' } }, { clock, cacheMaxAgeMs: 0 });
  await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
  const app = await buildApp({ engine });
  t = {
    app,
    engine,
    dir,
    clock,
    restart: () => {
      throw new Error('not used');
    },
    async close() {
      await app.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await seedShop(t);
  return t;
}

const answer = (o: Record<string, string>): ScriptedResponse => ({ content: JSON.stringify(o) });
const email = async (app: TestApp) => (await call(app, 'POST', '/v1/content/email', { userId: 'ana', goal: 'win-back' })).json();

describe('content written by an LLM', () => {
  it('uses the LLM text when it states only facts, and sends it the facts and the reader', async () => {
    const app = await setup([answer({ subject: '¡Hola, Ana!', text: 'Hola Ana, mira lo que hemos elegido para ti.\n\n- Trail Runner 2: 89,90 €' })]);
    const r = await email(app);
    expect(r.by).toBe('llm');
    expect(r.subject).toBe('¡Hola, Ana!');
    expect(r.text).toContain('89,90 €');
    expect(r.html).toContain('<li>Trail Runner 2: 89,90 €</li>');
    expect(r.llm).toEqual({ attempts: 1, problems: [] });
    const sent = fake!.requests[0].body.messages;
    expect(sent[0].content).toContain('Spanish');
    const facts = JSON.parse(sent[1].content.slice(FACTS_MARKER.length));
    expect(facts.items.map((i: { id: string }) => i.id)).toEqual(r.items.map((i: { id: string }) => i.id));
  });

  it('rejects an invented price, asks once more naming it, and uses the corrected text', async () => {
    const app = await setup([
      answer({ subject: 'Oferta', text: 'Trail Runner 2 ahora por solo 79,90 €.' }),
      answer({ subject: 'Para ti', text: 'Trail Runner 2 por 89,90 €.' }),
    ]);
    const r = await email(app);
    expect(r.by).toBe('llm');
    expect(r.text).toBe('Trail Runner 2 por 89,90 €.');
    expect(r.llm.attempts).toBe(2);
    expect(r.llm.problems.join()).toContain('79,90 €');
    expect(fake!.requests[1].body.messages.at(-1).content).toContain('79,90 €');
  });

  it('falls back to the embedded writer when both attempts invent, or when the endpoint fails', async () => {
    let app = await setup([answer({ subject: 'Ahorra', text: 'Ahorra un 15 % hoy.' }), answer({ subject: 'Top', text: 'Valorado con 4,8 estrellas.' })]);
    let r = await email(app);
    expect(r.by).toBe('embedded');
    expect(r.text).toContain('Un abrazo');
    expect(r.llm.problems.join()).toMatch(/"15".*"4,8"/);
    await t!.close();
    await fake!.close();
    t = null;
    app = await setup([{ status: 500, error: { message: 'boom' } }]);
    r = await email(app);
    expect(r.by).toBe('embedded');
    expect(r.llm.attempts).toBe(1);
    expect(r.llm.problems[0]).toContain('http');
  });

  it('rejects a description that names another product of the shop', async () => {
    const app = await setup([
      answer({ text: 'Trail Runner 2: go well with the Merino Run Socks.' }),
      answer({ text: 'Trail Runner 2 weighs 260 and costs 89.90 €.' }),
    ]);
    const r = (await call(app, 'POST', '/v1/content/description', { userId: 'ben', itemId: 'shoe-1' })).json();
    expect(r.by).toBe('llm');
    expect(r.text).toBe('Trail Runner 2 weighs 260 and costs 89.90 €.');
    expect(r.llm.problems.join()).toContain('merino run socks');
  });

  it('rejects a text in the wrong form of address, asks again naming it, and uses the corrected one', async () => {
    const app = await setup([
      answer({ subject: 'Para usted', text: 'Hola Ana, hemos elegido esto para usted. Échele un vistazo: Trail Runner 2 por 89,90 €.' }),
      answer({ subject: 'Para ti', text: 'Hola Ana, hemos elegido esto para ti. Échale un vistazo: Trail Runner 2 por 89,90 €.' }),
    ]);
    const r = await email(app);
    expect(r.by).toBe('llm');
    expect(r.subject).toBe('Para ti');
    expect(r.llm.attempts).toBe(2);
    expect(r.llm.problems.join()).toMatch(/addressed as "usted"/);
    expect(fake!.requests[1].body.messages.at(-1).content).toContain('addressing the reader as "tú"');
  });

  it('falls back to the embedded writer when both attempts are in the wrong language or tone', async () => {
    let app = await setup([
      answer({ subject: 'Picked for you', text: 'Hi Ana, we picked these things for you and we think you will love them.' }),
      answer({ subject: 'For you', text: 'Hello Ana, here is what we saved for you, take a look whenever you like.' }),
    ]);
    let r = await email(app);
    expect(r.by).toBe('embedded');
    expect(r.language).toBe('es');
    expect(r.text).toContain('Un abrazo');
    expect(r.llm.problems.join()).toContain('in English, not Spanish');
    await t!.close();
    await fake!.close();
    t = null;
    // Ben reads technical English: emoji and slang are off his tone, twice.
    app = await setup([answer({ text: 'Trail Runner 2 is gonna rock 🔥' }), answer({ text: 'Hey! Trail Runner 2 weighs 260 🔥' })]);
    r = (await call(app, 'POST', '/v1/content/description', { userId: 'ben', itemId: 'shoe-1' })).json();
    expect(r.by).toBe('embedded');
    expect(r.llm.problems.join()).toMatch(/emoji .* in a technical text/);
  });
});
