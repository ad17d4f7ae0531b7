import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { LlmClient } from '../../src/llm/client.ts';
import { LlmError } from '../../src/llm/errors.ts';
import { startFakeOpenAi, type FakeOpenAi, type FakeOpenAiOptions, type ScriptedResponse } from './fake-openai-server.ts';

const KEY = 'sk-test-SECRET-0123456789';
let fake: FakeOpenAi | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(script: ScriptedResponse[], options: FakeOpenAiOptions & { timeoutMs?: number; clientKey?: string } = {}) {
  fake = await startFakeOpenAi(script, { apiKey: KEY, ...options });
  const client = new LlmClient({ baseUrl: fake.url, model: 'test-model', apiKey: options.clientKey ?? KEY, timeoutMs: options.timeoutMs });
  return { fake, client };
}

const ask = [{ role: 'user' as const, content: 'hola' }];

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

describe('LlmClient, non-streaming', () => {
  it('posts a Chat Completions request and returns the message, finish reason and usage', async () => {
    const { fake, client } = await setup([{ content: 'Hola, ¿qué buscas hoy?' }]);
    const out = await client.complete({ messages: ask, temperature: 0.2, maxTokens: 200 });
    expect(out.message).toEqual({ role: 'assistant', content: 'Hola, ¿qué buscas hoy?' });
    expect(out.finishReason).toBe('stop');
    expect(out.usage).toEqual({ promptTokens: 11, completionTokens: 7, totalTokens: 18 });

    const [req] = fake.requests;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual({ model: 'test-model', messages: ask, temperature: 0.2, max_tokens: 200 });
  });

  it('sends tools and tool_choice in the standard shape and returns tool_calls', async () => {
    const { fake, client } = await setup([{ toolCalls: [{ id: 'call_1', name: 'search_catalog', arguments: '{"query":"auriculares"}' }] }]);
    const tools = [{ type: 'function' as const, function: { name: 'search_catalog', description: 'Search', parameters: { type: 'object' } } }];
    const out = await client.complete({ messages: ask, tools, toolChoice: 'auto' });
    expect(out.finishReason).toBe('tool_calls');
    expect(out.message.content).toBeNull();
    expect(out.message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'search_catalog', arguments: '{"query":"auriculares"}' } }]);
    expect(fake.requests[0].body.tools).toEqual(tools);
    expect(fake.requests[0].body.tool_choice).toBe('auto');
  });

  it('keeps the key out of the client when it is logged or serialised', () => {
    const client = new LlmClient({ baseUrl: 'http://127.0.0.1:1/v1', model: 'm', apiKey: KEY });
    expect(JSON.stringify(client)).not.toContain(KEY);
    expect(inspect(client, { depth: 5, showHidden: true })).not.toContain(KEY);
  });

  it('accepts a baseUrl with a trailing slash, and sends no Authorization header without a key', async () => {
    fake = await startFakeOpenAi([{ content: 'ok' }]);
    const client = new LlmClient({ baseUrl: `${fake.url}/`, model: 'm' });
    expect((await client.complete({ messages: ask })).message.content).toBe('ok');
    expect(fake.requests[0].headers.authorization).toBeUndefined();
  });
});

describe('LlmClient, streaming', () => {
  it('assembles text from several deltas, calling onDelta for each', async () => {
    const text = 'Te recomiendo tres auriculares para correr, todos por menos de 60 €.';
    const { fake, client } = await setup([{ content: text }]);
    const deltas: string[] = [];
    const out = await client.complete({ messages: ask, stream: true, onDelta: (d) => deltas.push(d) });
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(text);
    expect(out.message).toEqual({ role: 'assistant', content: text });
    expect(out.finishReason).toBe('stop');
    expect(fake.requests[0].body.stream).toBe(true);
    expect(fake.requests[0].headers.accept).toBe('text/event-stream');
  });

  it("lets an error thrown by the caller's onDelta through unchanged", async () => {
    const { client } = await setup([{ content: 'some streamed text' }]);
    const boom = new Error('the browser went away');
    const err = await client
      .complete({
        messages: ask,
        stream: true,
        onDelta: () => {
          throw boom;
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBe(boom);
  });

  it('copes with events and UTF-8 characters cut across network writes', async () => {
    const text = 'Añade “Zapatillas Ñandú” por 59,99 € — ¡buena elección! 👟';
    const { client } = await setup([{ content: text }], { sliceBytes: 7 });
    const deltas: string[] = [];
    const out = await client.complete({ messages: ask, stream: true, onDelta: (d) => deltas.push(d) });
    expect(out.message.content).toBe(text);
    expect(deltas.join('')).toBe(text);
  });

  it('assembles tool calls whose arguments arrive in fragments', async () => {
    const args = '{"query":"running headphones","maxPrice":60}';
    const { client } = await setup([
      {
        toolCalls: [
          { id: 'call_a', name: 'search_catalog', arguments: args },
          { id: 'call_b', name: 'get_profile', arguments: '{}' },
        ],
      },
    ]);
    const deltas: string[] = [];
    const out = await client.complete({ messages: ask, stream: true, onDelta: (d) => deltas.push(d) });
    expect(deltas).toEqual([]);
    expect(out.finishReason).toBe('tool_calls');
    expect(out.message.content).toBeNull();
    expect(out.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'search_catalog', arguments: args } },
      { id: 'call_b', type: 'function', function: { name: 'get_profile', arguments: '{}' } },
    ]);
  });

  it('still answers when the server ignores stream: true and replies with JSON', async () => {
    const body = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'in one piece' }, finish_reason: 'stop' }] });
    const { client } = await setup([{ raw: body }]);
    const deltas: string[] = [];
    const out = await client.complete({ messages: ask, stream: true, onDelta: (d) => deltas.push(d) });
    expect(out.message.content).toBe('in one piece');
    expect(deltas).toEqual(['in one piece']);
  });

  it('treats a stream cut before [DONE] as a network error, not a short answer', async () => {
    const { client } = await setup([{ content: 'this answer will never finish', cutAfterChunks: 3 }]);
    const err = await failure(client.complete({ messages: ask, stream: true }));
    expect(err.kind).toBe('network');
  });

  it('times out on silence, not on length: a slow but steady stream completes', async () => {
    const { client } = await setup([{ content: 'a'.repeat(100), chunkDelayMs: 20 }], { timeoutMs: 250 });
    const started = Date.now();
    const out = await client.complete({ messages: ask, stream: true });
    expect(out.message.content).toBe('a'.repeat(100));
    expect(Date.now() - started).toBeGreaterThan(250);
  });

  it('times out when a stream goes silent', async () => {
    const { client } = await setup([{ content: 'stalls between chunks', chunkDelayMs: 1000 }], { timeoutMs: 150 });
    const started = Date.now();
    const err = await failure(client.complete({ messages: ask, stream: true }));
    expect(err.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(900);
  });
});

describe('LlmClient errors', () => {
  it('HTTP 500 becomes kind "http" with the status and the server message', async () => {
    const { client } = await setup([{ status: 500, error: { message: 'The server had an error while processing your request.', type: 'server_error' } }]);
    const err = await failure(client.complete({ messages: ask }));
    expect(err.kind).toBe('http');
    expect(err.status).toBe(500);
    expect(err.message).toContain('500');
    expect(err.message).toContain('The server had an error while processing your request.');
    expect(err.retryable).toBe(true);
  });

  it('HTTP 401 becomes kind "http" with the status, and the key appears nowhere in the error', async () => {
    const { client } = await setup([{ content: 'never sent' }], { clientKey: 'sk-wrong-KEY-987654321' });
    const err = await failure(client.complete({ messages: ask }));
    expect(err.kind).toBe('http');
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_api_key');
    expect(err.message).toContain('Incorrect API key provided');
    expect(err.retryable).toBe(false);
    const everything = JSON.stringify({ message: err.message, stack: err.stack, code: err.code, cause: String(err.cause) });
    expect(everything).not.toContain('sk-wrong-KEY-987654321');
    expect(everything).not.toContain(KEY);
  });

  it('reads Ollama-style string errors', async () => {
    const { client } = await setup([{ status: 404, error: 'model "llama9" not found, try pulling it first' }]);
    const err = await failure(client.complete({ messages: ask }));
    expect(err).toMatchObject({ kind: 'http', status: 404 });
    expect(err.message).toContain('model "llama9" not found');
  });

  it('times out within the configured time when the server does not answer', async () => {
    const { client } = await setup([{ content: 'too late', delayMs: 2000 }], { timeoutMs: 200 });
    const started = Date.now();
    const err = await failure(client.complete({ messages: ask }));
    const elapsed = Date.now() - started;
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain('200 ms');
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1000);
  });

  it('an unreachable endpoint is kind "network"', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const client = new LlmClient({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', apiKey: KEY });
    const err = await failure(client.complete({ messages: ask }));
    expect(err.kind).toBe('network');
    expect(err.retryable).toBe(true);
    expect(err.message).not.toContain(KEY);
  });

  it('a 200 that is not a Chat Completion is kind "protocol"', async () => {
    const { client } = await setup([{ raw: '<html>proxy login</html>', contentType: 'text/html' }, { raw: '{"choices":[]}' }]);
    expect((await failure(client.complete({ messages: ask }))).kind).toBe('protocol');
    expect((await failure(client.complete({ messages: ask }))).kind).toBe('protocol');
  });

  it('the caller\'s own abort is kind "aborted", not a timeout', async () => {
    const { client } = await setup([{ content: 'slow', delayMs: 2000 }], { timeoutMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await failure(client.complete({ messages: ask, signal: controller.signal }));
    expect(err.kind).toBe('aborted');
  });
});
