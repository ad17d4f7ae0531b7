/**
 * The standard tools protocol, driven to its end: the model asks for tool calls, Afín runs them and
 * sends back the results, until the model answers in words. A model that asks for a tool that does not
 * exist, or writes arguments that are not JSON, is told so in a tool message and may correct itself:
 * small local models do this often, and crashing the turn would waste the rest of the answer.
 */
import type { LlmClient } from './client.ts';
import { LlmError } from './errors.ts';
import type { ChatMessage, JsonSchema, ToolCall, ToolSpec } from './types.ts';

export interface LoopTool {
  description: string;
  parameters: JsonSchema;
  run(args: unknown): Promise<unknown>;
}

export interface ToolLoopOptions {
  messages: ChatMessage[];
  tools: Record<string, LoopTool>;
  /** The most model calls in one turn; a model still asking for tools after that is cut off. */
  maxSteps?: number;
  stream?: boolean;
  /** Text fragments as they stream; `step` counts model calls from 0, so text before a tool call can be told apart. */
  onDelta?: (text: string, step: number) => void;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface ToolCallRecord {
  name: string;
  /** The parsed arguments, or the raw text when it was not valid JSON. */
  args: unknown;
  result: unknown;
  /** Set when the call could not be run (unknown tool, bad arguments, the tool threw). */
  error?: string;
}

export interface ToolLoopResult {
  reply: string;
  toolCalls: ToolCallRecord[];
  /** The whole exchange: the input messages, then every assistant and tool message, ending with the reply. */
  messages: ChatMessage[];
  finishReason: string | null;
}

export async function runToolLoop(client: Pick<LlmClient, 'complete'>, options: ToolLoopOptions): Promise<ToolLoopResult> {
  const { tools, maxSteps = 4, stream, onDelta, temperature, maxTokens, signal } = options;
  const specs: ToolSpec[] = Object.entries(tools).map(([name, t]) => ({
    type: 'function',
    function: { name, description: t.description, parameters: t.parameters },
  }));
  const messages: ChatMessage[] = [...options.messages];
  const toolCalls: ToolCallRecord[] = [];

  for (let step = 0; step < maxSteps; step++) {
    const { message, finishReason } = await client.complete({
      messages,
      tools: specs.length ? specs : undefined,
      toolChoice: specs.length ? 'auto' : undefined,
      temperature,
      maxTokens,
      stream,
      onDelta: onDelta && ((text) => onDelta(text, step)),
      signal,
    });
    messages.push(message);
    const calls = message.tool_calls ?? [];
    if (!calls.length) {
      if (!message.content?.trim()) throw new LlmError('protocol', 'LLM answered with neither text nor tool calls');
      return { reply: message.content, toolCalls, messages, finishReason };
    }
    // One after the other, in the model's order: tools such as add_to_cart have effects.
    for (const call of calls) {
      const record = await runOne(tools, call);
      toolCalls.push(record);
      const payload = record.error === undefined ? record.result : { error: record.error };
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(payload) ?? 'null' });
    }
  }
  throw new LlmError('protocol', `LLM was still calling tools after ${maxSteps} steps`);
}

async function runOne(tools: Record<string, LoopTool>, call: ToolCall): Promise<ToolCallRecord> {
  const name = call.function.name;
  const raw = call.function.arguments;
  const tool = Object.hasOwn(tools, name) ? tools[name] : undefined;
  if (!tool) {
    return { name, args: raw, result: undefined, error: `unknown tool "${name}"; the tools are: ${Object.keys(tools).join(', ')}` };
  }
  let args: unknown;
  try {
    // Servers send "" for a call without arguments.
    args = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    return { name, args: raw, result: undefined, error: `the arguments are not valid JSON: ${raw.slice(0, 200)}` };
  }
  try {
    return { name, args, result: await tool.run(args) };
  } catch (err) {
    return { name, args, result: undefined, error: err instanceof Error ? err.message : String(err) };
  }
}
