/**
 * Reading what OpenAI-compatible servers send back. They agree on the shape but not on the details
 * (a missing `index` or `id` on a tool call, `arguments` as an object, content as an array of parts,
 * `{error: "text"}` versus `{error: {message}}`), so everything is normalised here, once.
 */
import { LlmError } from './errors.ts';
import type { AssistantMessage, Completion, ToolCall, Usage } from './types.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Content as text: a string, or the text parts of a content array; null when there is none. */
function textOf(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content.filter(isObject).map((p) => str(p.text) ?? '');
    return parts.length ? parts.join('') : null;
  }
  return null;
}

function argumentsText(args: unknown): string {
  if (typeof args === 'string') return args;
  return args === undefined || args === null ? '' : JSON.stringify(args);
}

function usageOf(u: unknown): Usage | undefined {
  if (!isObject(u)) return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const promptTokens = n(u.prompt_tokens);
  const completionTokens = n(u.completion_tokens);
  return { promptTokens, completionTokens, totalTokens: n(u.total_tokens) || promptTokens + completionTokens };
}

function protocolError(message: string): LlmError {
  return new LlmError('protocol', `LLM endpoint answered in an unexpected shape: ${message}`);
}

/** A server may report a failure inside a 2xx body or stream chunk. */
function throwIfError(body: Json): void {
  if (body.error === undefined || body.error === null) return;
  const { message, code } = errorOf(body);
  throw new LlmError('protocol', `LLM endpoint reported an error: ${message ?? 'no message'}`, { code });
}

export function parseCompletion(body: unknown): Completion {
  if (!isObject(body)) throw protocolError('the body is not a JSON object');
  throwIfError(body);
  const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isObject(choice) || !isObject(choice.message)) throw protocolError('no choices[0].message');
  const raw = choice.message;
  const message: AssistantMessage = { role: 'assistant', content: textOf(raw.content) };
  const calls = Array.isArray(raw.tool_calls) ? raw.tool_calls.filter(isObject) : [];
  if (calls.length) {
    message.tool_calls = calls.map((c, i): ToolCall => {
      const fn = isObject(c.function) ? c.function : {};
      return { id: str(c.id) || fallbackId(i), type: 'function', function: { name: str(fn.name) ?? '', arguments: argumentsText(fn.arguments) } };
    });
  }
  return { message, finishReason: str(choice.finish_reason) ?? null, usage: usageOf(body.usage) };
}

/** Some local servers omit tool call ids; the tool result must still name the call it answers. */
function fallbackId(index: number): string {
  return `call_${index}`;
}

/**
 * Folds streamed chunks into one completion. Tool calls arrive in pieces keyed by `index`: the id and
 * name first, then fragments of the arguments text, possibly interleaved across several calls.
 */
export class StreamAssembler {
  private content = '';
  private sawContent = false;
  private readonly calls = new Map<number, { id: string; name: string; args: string }>();
  private finishReason: string | null = null;
  private usage: Usage | undefined;

  /** Takes one parsed `data:` payload; returns the text delta it carried ('' when none). */
  push(chunk: unknown): string {
    if (!isObject(chunk)) throw protocolError('a stream chunk is not a JSON object');
    throwIfError(chunk);
    // With `stream_options.include_usage` the last chunk holds usage and no choices.
    if (chunk.usage !== undefined && chunk.usage !== null) this.usage = usageOf(chunk.usage);
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (!isObject(choice)) return '';
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : {};
    const text = textOf(delta.content) ?? '';
    if (typeof delta.content === 'string' || text) this.sawContent = true;
    this.content += text;
    if (Array.isArray(delta.tool_calls)) {
      for (const [position, piece] of delta.tool_calls.filter(isObject).entries()) this.addToolPiece(piece, position);
    }
    return text;
  }

  private addToolPiece(piece: Json, position: number): void {
    const index = typeof piece.index === 'number' ? piece.index : position;
    const fn = isObject(piece.function) ? piece.function : {};
    let call = this.calls.get(index);
    if (!call) this.calls.set(index, (call = { id: '', name: '', args: '' }));
    // Some servers repeat the id and name on every fragment: the first one wins, never concatenated.
    if (!call.id && str(piece.id)) call.id = str(piece.id)!;
    if (!call.name && str(fn.name)) call.name = str(fn.name)!;
    call.args += argumentsText(fn.arguments);
  }

  get finished(): boolean {
    return this.finishReason !== null;
  }

  result(): Completion {
    const message: AssistantMessage = { role: 'assistant', content: this.sawContent ? this.content : null };
    if (this.calls.size) {
      message.tool_calls = [...this.calls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, c]): ToolCall => ({ id: c.id || fallbackId(index), type: 'function', function: { name: c.name, arguments: c.args } }));
    }
    return { message, finishReason: this.finishReason, usage: this.usage };
  }
}

/** The server's own error message and code from an error body, whichever dialect it speaks. */
export function errorOf(body: unknown): { message?: string; code?: string } {
  if (!isObject(body)) return {};
  const e = body.error ?? body;
  if (typeof e === 'string') return { message: e };
  if (!isObject(e)) return {};
  const code = str(e.code) ?? (typeof e.code === 'number' ? String(e.code) : undefined) ?? str(e.type);
  return { message: str(e.message) ?? str(e.detail), code };
}
