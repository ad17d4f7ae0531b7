import { describe, expect, it } from 'vitest';
import { sseData } from '../../src/llm/sse.ts';
import { StreamAssembler, errorOf, parseCompletion } from '../../src/llm/wire.ts';

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const bytes = parts.map((p) => new TextEncoder().encode(p));
  return new ReadableStream({
    start(controller) {
      for (const b of bytes) controller.enqueue(b);
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of sseData(body)) out.push(d);
  return out;
}

describe('sseData', () => {
  it('handles CRLF, comments, event lines, multi-line data and a missing final blank line', async () => {
    const events = await collect(streamOf(': ping\r\n\r\nevent: message\r\ndata: {"a":1}\r\n\r\ndata: line one\ndata: line two\n\nda', 'ta:[DONE]'));
    expect(events).toEqual(['{"a":1}', 'line one\nline two', '[DONE]']);
  });
});

describe('server dialects', () => {
  it('tool call fragments without index or with repeated ids and names still assemble', () => {
    const a = new StreamAssembler();
    a.push({ choices: [{ delta: { role: 'assistant' } }] });
    a.push({ choices: [{ delta: { tool_calls: [{ id: 'x1', function: { name: 'recommend', arguments: '{"n":' } }] } }] });
    a.push({ choices: [{ delta: { tool_calls: [{ id: 'x1', function: { name: 'recommend', arguments: '3}' } }] } }] });
    a.push({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] });
    a.push({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } });
    expect(a.result()).toEqual({
      message: { role: 'assistant', content: null, tool_calls: [{ id: 'x1', type: 'function', function: { name: 'recommend', arguments: '{"n":3}' } }] },
      finishReason: 'tool_calls',
      usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 },
    });
  });

  it('a whole tool call in one chunk, with object arguments and no id, gets a stable id', () => {
    const a = new StreamAssembler();
    a.push({
      choices: [
        { delta: { content: '', tool_calls: [{ index: 0, function: { name: 'get_profile', arguments: { userId: 'u-1' } } }] }, finish_reason: 'tool_calls' },
      ],
    });
    expect(a.result().message.tool_calls).toEqual([{ id: 'call_0', type: 'function', function: { name: 'get_profile', arguments: '{"userId":"u-1"}' } }]);
  });

  it('an error object inside a 2xx answer or stream chunk is a protocol error', () => {
    expect(() => parseCompletion({ error: { message: 'context length exceeded' } })).toThrow(/context length exceeded/);
    expect(() => new StreamAssembler().push({ error: 'model crashed' })).toThrow(/model crashed/);
  });

  it('content given as an array of parts is read as text', () => {
    const out = parseCompletion({
      choices: [
        {
          message: {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Hola ' },
              { type: 'text', text: 'de nuevo' },
            ],
          },
          finish_reason: 'stop',
        },
      ],
    });
    expect(out.message.content).toBe('Hola de nuevo');
  });

  it('reads the error message of OpenAI, Ollama and vLLM bodies', () => {
    expect(errorOf({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } })).toEqual({
      message: 'Rate limit reached',
      code: 'rate_limit_exceeded',
    });
    expect(errorOf({ error: 'model not found' })).toEqual({ message: 'model not found' });
    expect(errorOf({ object: 'error', message: 'max_tokens is too large', type: 'BadRequestError', code: 400 })).toEqual({
      message: 'max_tokens is too large',
      code: '400',
    });
  });
});
