/**
 * The Chat Completions wire types the adapter speaks. Messages keep the wire's snake_case
 * (`tool_calls`, `tool_call_id`) because the same objects are sent back to the endpoint on the next turn.
 */

export interface ToolCall {
  id: string;
  type: 'function';
  /** `arguments` is the model's raw JSON text: it may be invalid, so it is parsed by the caller. */
  function: { name: string; arguments: string };
}

export interface AssistantMessage {
  role: 'assistant';
  content: string | null;
  tool_calls?: ToolCall[];
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | AssistantMessage
  | { role: 'tool'; tool_call_id: string; content: string };

/** A JSON Schema object describing a tool's arguments. */
export type JsonSchema = Record<string, unknown>;

export interface ToolSpec {
  type: 'function';
  function: { name: string; description?: string; parameters: JsonSchema };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
  temperature?: number;
  maxTokens?: number;
  stream?: boolean;
  /** Called with each text fragment as it streams in (only when `stream` is true). */
  onDelta?: (text: string) => void;
  signal?: AbortSignal;
}

export interface Completion {
  message: AssistantMessage;
  /** `stop`, `length`, `tool_calls`, `content_filter`, … or null when the server did not say. */
  finishReason: string | null;
  usage?: Usage;
}
