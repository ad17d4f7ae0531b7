/**
 * The one error the LLM adapter throws. Callers decide on `kind` alone whether to fall back to the
 * embedded assistant, retry, or report a misconfiguration, so every failure is mapped to one of these.
 */
export type LlmErrorKind =
  /** No answer (or no new stream data) within the client's timeout. */
  | 'timeout'
  /** The endpoint answered with a non-2xx status; `status` and the server's message are kept. */
  | 'http'
  /** The endpoint answered 2xx but not in the Chat Completions shape, or the model misbehaved (tool loop). */
  | 'protocol'
  /** The endpoint could not be reached, or the connection broke mid-answer. */
  | 'network'
  /** The caller's own AbortSignal fired: not the endpoint's fault, so kept apart from 'timeout'. */
  | 'aborted';

export interface LlmErrorDetails {
  status?: number;
  /** The server's error code or type, when its body had one (e.g. `invalid_api_key`). */
  code?: string;
  cause?: unknown;
}

export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly status?: number;
  readonly code?: string;

  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    details: LlmErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.code = details.code;
  }

  /** Worth another attempt later: the endpoint was slow, unreachable, rate-limited or failing itself. */
  get retryable(): boolean {
    if (this.kind === 'timeout' || this.kind === 'network') return true;
    return this.kind === 'http' && this.status !== undefined && (this.status === 429 || this.status >= 500);
  }
}
