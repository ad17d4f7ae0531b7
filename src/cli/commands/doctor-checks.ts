import { accessSync, constants, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.ts';
import { POSTGRES_MIGRATIONS } from '../../store/postgres/migrations.ts';

/** One finding: `fail` makes `afin doctor` exit non-zero; `warn` is worth knowing, not broken. */
export interface Finding {
  what: 'configuration' | 'store' | 'bus' | 'llm';
  status: 'ok' | 'warn' | 'fail' | 'skip';
  message: string;
}

/** A URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

/** A connection error in plain words (refused, unknown host, timeout), with the code kept for searching. */
export function plainError(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const code = err?.code ?? '';
  const msg = String(err?.message ?? e);
  if (code === 'ECONNREFUSED' || /ECONNREFUSED|CONNECTION_REFUSED/.test(msg)) return 'nothing answers there (connection refused): is it running, on that port?';
  if (code === 'ENOTFOUND' || /ENOTFOUND|EAI_AGAIN/.test(msg)) return 'the host name does not resolve';
  if (/timeout|TIMEOUT|timed out/i.test(msg) || code === 'ETIMEDOUT') return 'no answer in time (a firewall, or the wrong host)';
  return msg.slice(0, 300);
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

/** The embedded store: the data folder exists (or can be made) and is writable. */
export function checkDataDir(dir: string): Finding {
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) return { what: 'store', status: 'fail', message: `AFIN_DATA_DIR ${dir} is a file, not a folder` };
    const isNew = !existsSync(join(dir, 'afin.db'));
    if (!existsSync(dir)) {
      // Doctor does not create the folder: it says the first `serve` will.
      let parent = dir;
      while (!existsSync(parent)) parent = join(parent, '..');
      accessSync(parent, constants.W_OK);
      return {
        what: 'store',
        status: 'warn',
        message: `embedded store: ${dir} does not exist yet; \`afin serve\` will create it (empty: no items, events or keys)`,
      };
    }
    const probe = join(dir, `.afin-doctor-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    return isNew
      ? {
          what: 'store',
          status: 'warn',
          message: `embedded store: ${dir} is writable but holds no database yet (a new, empty data folder: is AFIN_DATA_DIR right?)`,
        }
      : { what: 'store', status: 'ok', message: `embedded store: ${join(dir, 'afin.db')}, folder writable` };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'is not writable by this user' : plainError(e);
    return { what: 'store', status: 'fail', message: `embedded store: ${dir} ${why}` };
  }
}

/** PostgreSQL: reachable, and holding Afín's tables at the version this release expects. */
export async function checkPostgres(url: string, timeoutMs = 3000): Promise<Finding> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {}); // a dropped connection after the check is not the check's business
  const where = safeUrl(url);
  try {
    await within(client.connect(), timeoutMs + 500);
  } catch (e) {
    return { what: 'store', status: 'fail', message: `PostgreSQL at ${where}: ${plainError(e)}` };
  }
  try {
    const latest = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));
    const has = (await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS has")).rows[0]?.has;
    if (!has)
      return {
        what: 'store',
        status: 'warn',
        message: `PostgreSQL at ${where} answers, but Afín's tables are not there yet: the first \`afin serve\` creates them`,
      };
    const v = Number((await client.query('SELECT max(version) AS v FROM schema_migrations')).rows[0]?.v ?? 0);
    if (v < latest)
      return {
        what: 'store',
        status: 'warn',
        message: `PostgreSQL at ${where}: schema version ${v}, this release expects ${latest}; \`afin serve\` migrates it at start`,
      };
    if (v > latest)
      return {
        what: 'store',
        status: 'fail',
        message: `PostgreSQL at ${where}: schema version ${v} is newer than this release knows (${latest}): upgrade Afín`,
      };
    return { what: 'store', status: 'ok', message: `PostgreSQL at ${where}: reachable, schema version ${v}` };
  } catch (e) {
    return { what: 'store', status: 'fail', message: `PostgreSQL at ${where}: connected, but ${plainError(e)}` };
  } finally {
    await client.end().catch(() => {});
  }
}

/** NATS: reachable, with JetStream on (the job queue and the shared rate limits need it). */
export async function checkNats(url: string, timeoutMs = 3000): Promise<Finding> {
  const { connect } = await import('nats');
  let nc: Awaited<ReturnType<typeof connect>>;
  try {
    nc = await connect({ servers: url, timeout: timeoutMs, reconnect: false, name: 'afin-doctor' });
  } catch (e) {
    return { what: 'bus', status: 'fail', message: `NATS at ${safeUrl(url)}: ${plainError(e)}` };
  }
  try {
    const jsm = await within(nc.jetstreamManager(), timeoutMs);
    await within(jsm.getAccountInfo(), timeoutMs);
    return { what: 'bus', status: 'ok', message: `NATS at ${safeUrl(url)}: reachable, JetStream enabled` };
  } catch (e) {
    return {
      what: 'bus',
      status: 'fail',
      message: `NATS at ${safeUrl(url)} answers, but JetStream is not enabled (start nats-server with -js): ${String((e as Error).message ?? e).slice(0, 200)}`,
    };
  } finally {
    await nc.close().catch(() => {});
  }
}

/**
 * The LLM: AFIN_LLM_URL answers a one-token chat completion in the OpenAI wire format (what every
 * OpenAI-compatible server — Ollama, vLLM, llama.cpp — serves at `/chat/completions`).
 */
export async function checkLlm(llm: NonNullable<Config['llm']>, timeoutMs = 10_000): Promise<Finding> {
  const where = safeUrl(llm.url);
  const url = `${llm.url.replace(/\/+$/, '')}/chat/completions`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {}) },
      body: JSON.stringify({ model: llm.model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    return { what: 'llm', status: 'fail', message: `LLM at ${where}: ${plainError((e as { cause?: unknown }).cause ?? e)}` };
  }
  const text = await res.text().catch(() => '');
  if (res.status === 401 || res.status === 403)
    return { what: 'llm', status: 'fail', message: `LLM at ${where} refused the key (HTTP ${res.status}): check AFIN_LLM_API_KEY` };
  if (res.status === 404) {
    const model = /model/i.test(text) ? `; the model "${llm.model}" may not exist there (AFIN_LLM_MODEL)` : '';
    return {
      what: 'llm',
      status: 'fail',
      message: `LLM at ${where}: no OpenAI-compatible /chat/completions there (HTTP 404)${model}; the URL usually ends in /v1`,
    };
  }
  if (!res.ok) return { what: 'llm', status: 'fail', message: `LLM at ${where} answered HTTP ${res.status}: ${text.slice(0, 200)}` };
  let body: { choices?: unknown } | null = null;
  try {
    body = JSON.parse(text);
  } catch {}
  if (!body || !Array.isArray(body.choices))
    return { what: 'llm', status: 'fail', message: `LLM at ${where} answered, but not in the OpenAI chat format (no "choices")` };
  return { what: 'llm', status: 'ok', message: `LLM at ${where}: answers chat completions with model "${llm.model}"` };
}

/** Every check the configuration asks for; unconfigured dependencies are skipped, not failed. */
export async function runChecks(cfg: Config): Promise<Finding[]> {
  const out: Finding[] = [];
  out.push(
    cfg.adminKey
      ? { what: 'configuration', status: 'ok', message: `loaded; AFIN_ADMIN_KEY set; serving on ${cfg.host}:${cfg.port}` }
      : {
          what: 'configuration',
          status: 'ok',
          message: `loaded; serving on ${cfg.host}:${cfg.port}; no AFIN_ADMIN_KEY (the first \`afin serve\` on a new store prints a root key)`,
        },
  );
  out.push(cfg.databaseUrl ? await checkPostgres(cfg.databaseUrl) : checkDataDir(cfg.dataDir));
  out.push(cfg.natsUrl ? await checkNats(cfg.natsUrl) : { what: 'bus', status: 'skip', message: 'no AFIN_NATS_URL: a single node, no bus needed' });
  out.push(cfg.llm ? await checkLlm(cfg.llm) : { what: 'llm', status: 'skip', message: 'no AFIN_LLM_URL: the built-in assistant and writer are used' });
  return out;
}
