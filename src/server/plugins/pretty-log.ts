import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };

/** Requests between their "incoming" and "completed" lines; bounded so a stuck request cannot grow it. */
const MAX_OPEN = 10_000;

/**
 * One pino JSON line as a person reads it, or null for a line folded into a later one. A request's
 * two lines become one: `12:03:04 INFO  GET /v1/items/:id → 200 3.1 ms (req 9f2c…)`.
 */
export function prettyLine(line: string, open: Map<string, string>): string | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line);
  } catch {
    return line; // not pino's: pass through untouched
  }
  const time = new Date(typeof o.time === 'number' ? o.time : Date.now()).toISOString().slice(11, 19);
  const level = LEVELS[o.level as number] ?? 'INFO ';
  const reqId = typeof o.reqId === 'string' ? o.reqId : undefined;
  const req = o.req as { method?: string; url?: string } | undefined;
  const res = o.res as { statusCode?: number } | undefined;
  if (reqId && req && o.msg === 'incoming request') {
    if (open.size >= MAX_OPEN) open.delete(open.keys().next().value as string);
    open.set(reqId, `${req.method} ${req.url}`);
    return null;
  }
  if (reqId && res && o.msg === 'request completed') {
    const what = open.get(reqId) ?? 'request';
    open.delete(reqId);
    const ms = typeof o.responseTime === 'number' ? `${o.responseTime.toFixed(1)} ms` : '';
    return `${time} ${level} ${what} → ${res.statusCode} ${ms} (req ${reqId})`;
  }
  const { time: _t, level: _l, msg, pid: _p, hostname: _h, reqId: _r, ...rest } = o;
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  return `${time} ${level} ${String(msg ?? '')}${reqId ? ` (req ${reqId})` : ''}${extra}`;
}

/** A stream for pino that writes readable lines to `out` (a terminal, or the demo's console). */
export function prettyLogStream(out: NodeJS.WritableStream = process.stdout): Writable {
  const open = new Map<string, string>();
  let partial = '';
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        if (!l) continue;
        const p = prettyLine(l, open);
        if (p !== null) out.write(`${p}\n`);
      }
      done();
    },
  });
}

/** Whether logs should be readable lines: AFIN_LOG_FORMAT `pretty` or `json`, else pretty on a terminal. */
export function wantsPrettyLogs(format: string | undefined, isTty: boolean, demo = false): boolean {
  if (format === 'json') return false;
  if (format === 'pretty') return true;
  return isTty || demo;
}
