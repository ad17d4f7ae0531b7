/** The optional LLM adapter: an OpenAI-compatible client, the tool-calling loop, and the grounding guard. */
export { LlmClient, type LlmClientOptions } from './client.ts';
export { LlmError, type LlmErrorKind, type LlmErrorDetails } from './errors.ts';
export { runToolLoop, type LoopTool, type ToolLoopOptions, type ToolLoopResult, type ToolCallRecord } from './tool-loop.ts';
export { checkGrounding, type GroundingItem, type GroundingOptions, type GroundingResult } from './grounding.ts';
export type * from './types.ts';
