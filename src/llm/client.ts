/**
 * A client for the OpenAI-compatible Chat Completions API, on Node's global `fetch` (the official SDKs
 * need Node 22). The same wire protocol is served by OpenAI, Ollama, vLLM and the llama.cpp server.
 *
 * `baseUrl` follows the OpenAI convention: it is the API root *including* the version segment, and the
 * client appends `/chat/completions`. For example:
 *   OpenAI      https://api.openai.com/v1
 *   Ollama      http://localhost:11434/v1
 *   vLLM        http://localhost:8000/v1
 *   llama.cpp   http://localhost:8080/v1
 * A baseUrl that already ends in `/chat/completions` is used as it is.
 */
import { LlmError } from './errors.ts';
import { sseData } from './sse.ts';
import type { Completion, CompletionRequest } from './types.ts';
import { StreamAssembler, errorOf, parseCompletion } from './wire.ts';

export interface LlmClientOptions {
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …`; local servers usually need none. Never logged nor put in errors. */
  apiKey?: string;
  /**
   * Without streaming: the longest wait for the whole answer. With streaming: the longest silence
   * (before the first byte, or between two chunks), so a long answer that keeps flowing is not cut.
   */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** The longest server error text kept in an LlmError message (bodies can be whole HTML pages). */
const MAX_ERROR_TEXT = 300;

export class LlmClient {
  readonly model: string;
  readonly url: string;
  // A true private field: it stays out of JSON.stringify and util.inspect, so logging the client is safe.
  readonly #apiKey?: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: LlmClientOptions) {
    if (!options.baseUrl) throw new TypeError('LlmClient: baseUrl is required (e.g. http://localhost:11434/v1)');
    if (!options.model) throw new TypeError('LlmClient: model is required');
    const base = options.baseUrl.replace(/\/+$/, '');
    this.url = /\/chat\/completions$/.test(base) ? base : `${base}/chat/completions`;
    this.model = options.model;
    this.#apiKey = options.apiKey || undefined;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const controller = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeoutMs);
    };
    const { signal } = request;
    const onCallerAbort = () => controller.abort();
    if (signal?.aborted) throw new LlmError('aborted', 'LLM request was aborted by the caller');
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    // Any failure while talking to the endpoint is named for its real cause, in one place.
    const fail = (err: unknown, during: string): never => {
      if (err instanceof LlmError) throw err;
      if (err instanceof CallbackError) throw err.error;
      if (timedOut) throw new LlmError('timeout', `LLM endpoint did not answer within ${this.timeoutMs} ms (${during})`);
      if (signal?.aborted) throw new LlmError('aborted', 'LLM request was aborted by the caller');
      throw new LlmError('network', `LLM endpoint ${this.url} could not be reached (${during}): ${this.redact(describe(err))}`, { cause: err });
    };

    arm();
    try {
      let response: Response;
      try {
        response = await this.fetchImpl(this.url, {
          method: 'POST',
          headers: this.headers(request.stream === true),
          body: JSON.stringify(this.body(request)),
          signal: controller.signal,
        });
      } catch (err) {
        return fail(err, 'waiting for a response');
      }
      if (!response.ok) {
        const text = await response.text().catch((err: unknown) => fail(err, 'reading the error'));
        throw this.httpError(response.status, text);
      }
      const isStream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
      if (request.stream && isStream && response.body) {
        return await this.readStream(response.body, request.onDelta, arm).catch((err: unknown) => fail(err, 'streaming'));
      }
      // A server may ignore `stream: true` and answer in one piece; the caller still gets its text.
      const text = await response.text().catch((err: unknown) => fail(err, 'reading the answer'));
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new LlmError('protocol', `LLM endpoint answered with something that is not JSON: ${this.redact(clip(text))}`);
      }
      const completion = parseCompletion(json);
      if (request.stream && completion.message.content) request.onDelta?.(completion.message.content);
      return completion;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private headers(stream: boolean): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    return headers;
  }

  private body(request: CompletionRequest): Record<string, unknown> {
    const body: Record<string, unknown> = { model: this.model, messages: request.messages };
    if (request.tools?.length) {
      body.tools = request.tools;
      if (request.toolChoice) body.tool_choice = request.toolChoice;
    }
    if (request.temperature !== undefined) body.temperature = request.temperature;
    // `max_tokens` rather than OpenAI's newer `max_completion_tokens`: every compatible server knows it.
    if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
    if (request.stream) body.stream = true;
    return body;
  }

  private async readStream(body: ReadableStream<Uint8Array>, onDelta: ((text: string) => void) | undefined, arm: () => void): Promise<Completion> {
    const assembler = new StreamAssembler();
    let done = false;
    for await (const data of sseData(body, arm)) {
      if (data.trim() === '[DONE]') {
        done = true;
        break;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        throw new LlmError('protocol', `LLM stream carried a chunk that is not JSON: ${this.redact(clip(data))}`);
      }
      const text = assembler.push(chunk);
      if (text && onDelta) {
        try {
          onDelta(text);
        } catch (err) {
          throw new CallbackError(err);
        }
      }
    }
    // A stream cut before `[DONE]` and before any finish_reason is a broken answer, not a short one.
    if (!done && !assembler.finished) throw new LlmError('network', 'LLM stream ended before the answer was complete');
    return assembler.result();
  }

  private httpError(status: number, text: string): LlmError {
    let parsed: { message?: string; code?: string } = {};
    try {
      parsed = errorOf(JSON.parse(text));
    } catch {
      parsed = { message: text.trim() || undefined };
    }
    const detail = parsed.message ? `: ${this.redact(clip(parsed.message))}` : '';
    return new LlmError('http', `LLM endpoint answered HTTP ${status}${detail}`, { status, code: parsed.code });
  }

  /** Some servers echo the key they rejected; it must not travel on in an error message. */
  private redact(text: string): string {
    return this.#apiKey ? text.split(this.#apiKey).join('***') : text;
  }
}

/** Carries the caller's own onDelta failure past the network-error mapping, unchanged. */
class CallbackError {
  constructor(readonly error: unknown) {}
}

function clip(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > MAX_ERROR_TEXT ? `${t.slice(0, MAX_ERROR_TEXT)}…` : t;
}

/** fetch hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause ? `${err.message}: ${cause}` : err.message;
}
