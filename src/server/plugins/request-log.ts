import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pino from 'pino';
import { redactUrl, truncateIp } from './security.ts';

/** The fields a request's two lines carry besides the logger's own (time, pid, hostname, reqId). */
const LINE_FIELDS: ReadonlyArray<readonly string[]> = [
  ['req', 'method'],
  ['req', 'url'],
  ['req', 'remoteAddress'],
  ['res', 'statusCode'],
  ['responseTime'],
  ['reqId'],
  ['msg'],
];

/** Whether a redaction path (pino's syntax) may name one of the fields the request lines write. */
function touchesLineFields(path: string): boolean {
  const parts = path.split('.').map((p) => p.replace(/^\[["']?|["']?\]$/g, ''));
  return LINE_FIELDS.some((f) => f.length === parts.length && f.every((name, k) => parts[k] === name || parts[k] === '*'));
}

/** Logger options the request lines can be written for as pino would write them: nothing that reshapes a line. */
const PLAIN_OPTIONS = new Set(['level', 'redact', 'serializers', 'stream']);

/** Every request log with lines waiting, written out when the process exits (as pino flushes its own). */
const live = new Set<RequestLog>();
let exitHook = false;

/**
 * Fastify's two lines per request ("incoming request", "request completed"), written as pino writes
 * them (same fields, same order, same redaction: the URL without person ids or query values, the
 * address truncated) without going through pino's serializers and redaction for each, and written to
 * pino's destination once per tick rather than once per line: pino's per-line work was 5 to 9 % of a
 * served recommendation's CPU.
 *
 * Order holds: any other line pino writes first takes the waiting request lines out ahead of itself
 * (`streamWrite`, the pino hook it is given). Lines survive what pino's own do: waiting lines are
 * written at the next tick, at close, and on process exit, with a synchronous flush of the stream.
 * Errored requests, 404s and every other line go through pino as before.
 */
export class RequestLog extends LogController {
  private pending = '';
  private stream: { write(s: string): unknown; flushSync?: () => void } | null = null;
  private readonly flushSoon = () => this.flush();

  /** The hook pino calls with each line it writes: request lines still waiting go first. */
  readonly streamWrite = (line: string): string => {
    if (this.pending === '') return line;
    const out = this.pending + line;
    this.pending = '';
    return out;
  };

  /**
   * The pino options with this log's hook, or null when the options reshape lines (a timestamp, message
   * key, formatters, mixins, or a redaction path on the lines' own fields): then Fastify's own
   * controller writes them through pino.
   */
  static optionsFor(options: Record<string, unknown>, redactPaths: readonly string[]): RequestLog | null {
    if (Object.keys(options).some((k) => !PLAIN_OPTIONS.has(k))) return null;
    if (redactPaths.some(touchesLineFields)) return null;
    const serializers = (options.serializers ?? {}) as Record<string, unknown>;
    if (Object.keys(serializers).some((k) => k !== 'req')) return null;
    return new RequestLog();
  }

  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    const log = request.log as pino.Logger;
    if (!log.isLevelEnabled('info')) return;
    // As secureLoggerOptions' `req` serializer writes it.
    const address = truncateIp(request.ip ?? request.socket?.remoteAddress);
    const req = `{"method":${JSON.stringify(request.method)},"url":${JSON.stringify(redactUrl(request.url))}${address === undefined ? '' : `,"remoteAddress":${JSON.stringify(address)}`}}`;
    this.add(log, `,"req":${req},"msg":"incoming request"}\n`);
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      super.requestCompleted(error, request, reply);
      return;
    }
    if (this.isLogDisabled(request)) return;
    const log = reply.log as pino.Logger;
    if (!log.isLevelEnabled('info')) return;
    this.add(log, `,"res":{"statusCode":${reply.statusCode}},"responseTime":${JSON.stringify(reply.elapsedTime)},"msg":"request completed"}\n`);
  }

  /** One line: pino's head (level, time, the logger's bindings with the request id) and `rest`. */
  private add(log: pino.Logger, rest: string): void {
    const l = log as unknown as Record<symbol, unknown>;
    const stream = (this.stream ??= l[pino.symbols.streamSym] as NonNullable<RequestLog['stream']>);
    const line = `{"level":30,"time":${Date.now()}${l[pino.symbols.chindingsSym] as string}${rest}`;
    // Only a stream that can be flushed at exit (pino's own destination) is written once per tick; any
    // other (a readable console, a test's) gets each line as it comes, as pino would give it.
    if (typeof stream.flushSync !== 'function') {
      stream.write(line);
      return;
    }
    if (this.pending === '') {
      setImmediate(this.flushSoon);
      live.add(this);
      if (!exitHook) {
        exitHook = true;
        process.on('exit', flushAllSync);
      }
    }
    this.pending += line;
  }

  /** Writes the waiting lines to the log's stream. */
  flush(): void {
    live.delete(this);
    if (this.pending === '' || !this.stream) return;
    const out = this.pending;
    this.pending = '';
    this.stream.write(out);
  }

  /** On exit: the waiting lines, then the stream's own buffer, written before the process ends. */
  flushSync(): void {
    const stream = this.stream;
    this.flush();
    try {
      stream?.flushSync?.();
    } catch {
      // a stream that cannot flush now (closed, not ready): what it holds is lost, as pino's would be
    }
  }
}

function flushAllSync(): void {
  for (const log of [...live]) log.flushSync();
}

/**
 * Fastify's logger options with the batched request lines when they can be written as pino would
 * (see RequestLog.optionsFor), else the options as they are and Fastify's own controller.
 */
export function requestLogOptions(logger: FastifyServerOptions['logger']): { logger: FastifyServerOptions['logger']; logController?: RequestLog } {
  if (!logger || typeof logger !== 'object') return { logger };
  const o = logger as Record<string, unknown>;
  const redact = o.redact as string[] | { paths?: string[] } | undefined;
  const log = RequestLog.optionsFor(o, Array.isArray(redact) ? redact : (redact?.paths ?? []));
  if (!log) return { logger };
  return { logger: { ...o, hooks: { streamWrite: log.streamWrite } } as FastifyServerOptions['logger'], logController: log };
}
