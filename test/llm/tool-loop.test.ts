import { afterEach, describe, expect, it } from 'vitest';
import { LlmClient } from '../../src/llm/client.ts';
import { LlmError } from '../../src/llm/errors.ts';
import { runToolLoop, type LoopTool } from '../../src/llm/tool-loop.ts';
import type { ChatMessage } from '../../src/llm/types.ts';
import { startFakeOpenAi, type FakeOpenAi, type ScriptedResponse } from './fake-openai-server.ts';

let fake: FakeOpenAi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function clientFor(script: ScriptedResponse[]) {
  fake = await startFakeOpenAi(script, { apiKey: 'sk-loop' });
  return { fake, client: new LlmClient({ baseUrl: fake.url, model: 'm', apiKey: 'sk-loop' }) };
}

const HEADPHONES = [
  { id: 'p-0007', title: 'Auriculares deportivos Jabra Elite - Negro', price: 59.99 },
  { id: 'p-0012', title: 'Auriculares Sony Float Run - Azul', price: 49.5 },
];

function catalogTools(seen: unknown[]): Record<string, LoopTool> {
  return {
    search_catalog: {
      description: 'Search the catalog',
      parameters: { type: 'object', properties: { query: { type: 'string' }, maxPrice: { type: 'number' } }, required: ['query'] },
      run: async (args) => {
        seen.push(args);
        return { items: HEADPHONES };
      },
    },
    add_to_cart: {
      description: 'Add an item to the cart',
      parameters: { type: 'object', properties: { itemId: { type: 'string' } } },
      run: async (args) => {
        seen.push(args);
        return { added: true };
      },
    },
  };
}

const start: ChatMessage[] = [
  { role: 'system', content: 'You are the shop assistant.' },
  { role: 'user', content: 'auriculares para correr, menos de 60 €' },
];

describe('runToolLoop', () => {
  it('runs a streamed tool call, sends its result back, and returns the final answer', async () => {
    const final = 'Te propongo los Jabra Elite (59,99 €) y los Sony Float Run (49,50 €).';
    const { fake, client } = await clientFor([
      { toolCalls: [{ id: 'call_search_1', name: 'search_catalog', arguments: '{"query":"auriculares correr","maxPrice":60}' }] },
      { content: final },
    ]);
    const seen: unknown[] = [];
    const deltas: Array<[string, number]> = [];
    const out = await runToolLoop(client, { messages: start, tools: catalogTools(seen), stream: true, onDelta: (t, step) => deltas.push([t, step]) });

    expect(seen).toEqual([{ query: 'auriculares correr', maxPrice: 60 }]);
    expect(out.reply).toBe(final);
    expect(out.toolCalls).toEqual([{ name: 'search_catalog', args: { query: 'auriculares correr', maxPrice: 60 }, result: { items: HEADPHONES } }]);
    expect(deltas.map(([t]) => t).join('')).toBe(final);
    expect(new Set(deltas.map(([, step]) => step))).toEqual(new Set([1]));

    expect(fake.requests).toHaveLength(2);
    const first = fake.requests[0].body;
    expect(first.stream).toBe(true);
    expect(first.tool_choice).toBe('auto');
    expect(first.tools.map((t: any) => t.function.name)).toEqual(['search_catalog', 'add_to_cart']);
    expect(first.tools[0]).toEqual({
      type: 'function',
      function: { name: 'search_catalog', description: 'Search the catalog', parameters: catalogTools([]).search_catalog.parameters },
    });

    const second: ChatMessage[] = fake.requests[1].body.messages;
    expect(second.slice(0, 2)).toEqual(start);
    expect(second[2]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_search_1', type: 'function', function: { name: 'search_catalog', arguments: '{"query":"auriculares correr","maxPrice":60}' } }],
    });
    expect(second[3]).toEqual({ role: 'tool', tool_call_id: 'call_search_1', content: JSON.stringify({ items: HEADPHONES }) });

    expect(out.messages).toHaveLength(5);
    expect(out.messages[4]).toEqual({ role: 'assistant', content: final });
    expect(start).toHaveLength(2); // the caller's array is left alone
  });

  it('runs several calls of one step in order, each answered under its own id (non-streaming)', async () => {
    const { fake, client } = await clientFor([
      {
        toolCalls: [
          { id: 'c1', name: 'search_catalog', arguments: '{"query":"a"}' },
          { id: 'c2', name: 'add_to_cart', arguments: '{"itemId":"p-0007"}' },
        ],
      },
      { content: 'Done.' },
    ]);
    const seen: unknown[] = [];
    const out = await runToolLoop(client, { messages: start, tools: catalogTools(seen) });
    expect(seen).toEqual([{ query: 'a' }, { itemId: 'p-0007' }]);
    const tail = fake.requests[1].body.messages.slice(-2);
    expect(tail.map((m: any) => m.tool_call_id)).toEqual(['c1', 'c2']);
    expect(JSON.parse(tail[1].content)).toEqual({ added: true });
    expect(out.reply).toBe('Done.');
  });

  it('answers bad JSON arguments with an error tool message instead of crashing, and lets the model retry', async () => {
    const { fake, client } = await clientFor([
      { toolCalls: [{ id: 'bad_1', name: 'search_catalog', arguments: '{"query": "auriculares", maxPrice: 60' }] },
      { toolCalls: [{ id: 'good_2', name: 'search_catalog', arguments: '{"query":"auriculares"}' }] },
      { content: 'Aquí tienes dos opciones.' },
    ]);
    const seen: unknown[] = [];
    const out = await runToolLoop(client, { messages: start, tools: catalogTools(seen), stream: true });
    expect(seen).toEqual([{ query: 'auriculares' }]);
    expect(out.toolCalls[0]).toMatchObject({ name: 'search_catalog', args: '{"query": "auriculares", maxPrice: 60', result: undefined });
    expect(out.toolCalls[0].error).toMatch(/not valid JSON/);
    const toolMessage = fake.requests[1].body.messages.at(-1);
    expect(toolMessage.role).toBe('tool');
    expect(toolMessage.tool_call_id).toBe('bad_1');
    expect(JSON.parse(toolMessage.content).error).toMatch(/not valid JSON/);
    expect(out.reply).toBe('Aquí tienes dos opciones.');
  });

  it('answers an unknown tool, or a tool that throws, with an error tool message', async () => {
    const { fake, client } = await clientFor([
      {
        toolCalls: [
          { id: 'u1', name: 'delete_database', arguments: '{}' },
          { id: 'u2', name: 'explode', arguments: '' },
        ],
      },
      { content: 'Sorry, let me try something else.' },
    ]);
    const tools = {
      explode: {
        description: 'fails',
        parameters: { type: 'object' },
        run: async () => {
          throw new Error('store unavailable');
        },
      },
    };
    const out = await runToolLoop(client, { messages: start, tools });
    const [unknown, thrown] = fake.requests[1].body.messages.slice(-2).map((m: any) => JSON.parse(m.content));
    expect(unknown.error).toMatch(/unknown tool "delete_database"; the tools are: explode/);
    expect(thrown.error).toBe('store unavailable');
    expect(out.toolCalls.map((c) => c.error)).toEqual([expect.stringMatching(/unknown tool/), 'store unavailable']);
    expect(out.toolCalls[1].args).toEqual({}); // "" means no arguments
  });

  it('gives up with a protocol error when the model still calls tools after maxSteps', async () => {
    const call = { toolCalls: [{ name: 'search_catalog', arguments: '{"query":"again"}' }] };
    const { fake, client } = await clientFor([call, call, call, { content: 'never reached' }]);
    const seen: unknown[] = [];
    const err = await runToolLoop(client, { messages: start, tools: catalogTools(seen), maxSteps: 3, stream: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ kind: 'protocol' });
    expect((err as Error).message).toContain('3 steps');
    expect(fake.requests).toHaveLength(3);
    expect(seen).toHaveLength(3);
  });

  it('an empty answer with no tool calls is a protocol error (the caller falls back)', async () => {
    const { client } = await clientFor([{ content: '   ' }]);
    const err = await runToolLoop(client, { messages: start, tools: catalogTools([]) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'protocol' });
  });

  it('passes client errors through unchanged', async () => {
    const { client } = await clientFor([
      { toolCalls: [{ name: 'search_catalog', arguments: '{"query":"x"}' }] },
      { status: 503, error: { message: 'overloaded' } },
    ]);
    const err = await runToolLoop(client, { messages: start, tools: catalogTools([]) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'http', status: 503 });
  });
});
