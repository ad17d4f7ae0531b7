/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI Chat Completions wire protocol, so the LLM
 * client is tested over sockets, headers, status codes and Server-Sent Events rather than against a
 * stubbed fetch. It answers from a script, one entry per request, and records what it was sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Timing {
  /** Wait this long before answering at all (timeout tests). */
  delayMs?: number;
  /** When streaming, wait this long between chunks. */
  chunkDelayMs?: number;
}

export type ScriptedResponse =
  | (Timing & { content: string; finishReason?: string })
  | (Timing & { toolCalls: Array<{ id?: string; name: string; arguments: string }>; content?: string })
  | (Timing & { status: number; error: string | { message: string; type?: string; code?: string } })
  /** A 200 with exactly this body: for answers that break the protocol. */
  | (Timing & { raw: string; contentType?: string })
  /** A stream that stops after this many chunks without `[DONE]` (a dropped connection). */
  | (Timing & { content: string; cutAfterChunks: number });

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface FakeOpenAiOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401 like OpenAI's. */
  apiKey?: string;
  /** Write the stream in slices of this many bytes, cutting events and UTF-8 characters in two. */
  sliceBytes?: number;
}

export interface FakeOpenAi {
  /** The base URL to give the client, ending in `/v1`. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(script: ScriptedResponse[], options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const queue = [...script];
  const requests: RecordedRequest[] = [];
  let counter = 0;

  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return sendError(res, 404, { message: `Unknown request URL: ${req.method} ${req.url}`, type: 'invalid_request_error', code: 'unknown_url' });
    }
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      // Like OpenAI, the rejected key is echoed (here in full) so the client's redaction is tested.
      const given = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      return sendError(res, 401, { message: `Incorrect API key provided: ${given || '(none)'}.`, type: 'invalid_request_error', code: 'invalid_api_key' });
    }
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      return sendError(res, 400, { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error' });
    }
    requests.push({ method: req.method, path: req.url, headers: req.headers, body });
    const step = queue.shift();
    if (!step) return sendError(res, 500, { message: 'fake server: the script has no more responses', type: 'server_error' });

    let closed = false;
    res.on('close', () => (closed = true));
    if (step.delayMs) await sleep(step.delayMs);
    if (closed) return;

    if ('status' in step) return sendError(res, step.status, step.error);
    if ('raw' in step) {
      res.writeHead(200, { 'content-type': step.contentType ?? 'application/json' });
      return res.end(step.raw);
    }
    const id = `chatcmpl-fake${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    const model = String(body.model ?? 'fake');
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(completion(step, { id, created, model })));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let events = [': keep-alive\n\n', ...chunks(step, { id, created, model }, body).map((c) => `data: ${JSON.stringify(c)}\n\n`)];
    if ('cutAfterChunks' in step) events = events.slice(0, step.cutAfterChunks + 1);
    else events.push('data: [DONE]\n\n');
    const writes = options.sliceBytes ? slices(Buffer.from(events.join('')), options.sliceBytes) : events.map((e) => Buffer.from(e));
    for (const piece of writes) {
      if (closed) return;
      res.write(piece);
      if (step.chunkDelayMs) await sleep(step.chunkDelayMs);
    }
    if ('cutAfterChunks' in step) res.destroy();
    else res.end();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Meta = { id: string; created: number; model: string };
type Answer = Extract<ScriptedResponse, { content: string } | { toolCalls: unknown }>;

function toolCallsOf(step: Answer) {
  return 'toolCalls' in step ? step.toolCalls.map((c, i) => ({ id: c.id ?? `call_fake_${i}`, name: c.name, arguments: c.arguments })) : [];
}

function completion(step: Answer, meta: Meta) {
  const calls = toolCallsOf(step);
  const message: Record<string, unknown> = { role: 'assistant', content: step.content ?? null };
  if (calls.length) message.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  const finish = calls.length ? 'tool_calls' : ('finishReason' in step && step.finishReason) || 'stop';
  return {
    ...meta,
    object: 'chat.completion',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  };
}

/** The chunks a real server sends: the role first, text in small deltas, tool calls in fragments. */
function chunks(step: Answer, meta: Meta, body: any) {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...meta,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const calls = toolCallsOf(step);
  const out = [chunk({ role: 'assistant', content: calls.length ? null : '' })];
  for (const piece of pieces(step.content ?? '', 4)) out.push(chunk({ content: piece }));
  calls.forEach((c, index) => {
    out.push(chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }));
    for (const piece of pieces(c.arguments, 5)) out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  out.push(chunk({}, calls.length ? 'tool_calls' : ('finishReason' in step && step.finishReason) || 'stop'));
  if (body.stream_options?.include_usage) {
    out.push({ ...meta, object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } } as any);
  }
  return out;
}

function pieces(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

function slices(buffer: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) out.push(buffer.subarray(i, i + size));
  return out;
}

function sendError(res: ServerResponse, status: number, error: string | { message: string; type?: string; code?: string }) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: typeof error === 'string' ? error : { param: null, code: null, ...error } }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
