import { resolve } from 'node:path';
import { CONSENT_PURPOSES, KEY_SCOPES, type ConsentPurpose, type KeyScope } from './domain/schemas.ts';
import { checkOutboundUrl } from './http/outbound-url.ts';

/** Per purpose: is it on for a person who never said anything (opt-out regime) or off (opt-in)? */
export type ConsentDefaults = Record<ConsentPurpose, boolean>;

/** Opt-out by default for the service itself, opt-in for marketing (the usual ePrivacy reading). */
export const DEFAULT_CONSENT_DEFAULTS: ConsentDefaults = { personalization: true, profiling: true, marketing: false, chatMemory: true };

/** Requests per second each key scope may make per node (token bucket, bursts of two seconds' worth). */
export const DEFAULT_RATE_LIMITS: Record<KeyScope, number> = { public: 1000, server: 5000, admin: 5000 };

export interface RetentionConfig {
  /** Raw events (and recommendation logs) older than this many days are deleted; null keeps them forever. */
  eventMaxAgeDays: number | null;
  /** How often the retention job runs. */
  intervalMs: number;
  /** Exposures and assignments of experiments stopped this many days ago are deleted; null keeps them; unset: the default (90). */
  exposureMaxAgeDays?: number | null;
  /** Audit entries older than this many days are deleted; null keeps them forever. */
  auditMaxAgeDays: number | null;
}

/** Everything Afín reads from the environment, in one place (names fixed by DESIGN.md). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  natsUrl?: string;
  adminKey?: string;
  bodyLimit: number;
  llm?: { url: string; model: string; apiKey?: string };
  logLevel: string;
  /** AFIN_LOG_FORMAT: `pretty` (readable lines), `json`, or `auto` (pretty when stdout is a terminal). */
  logFormat: 'auto' | 'json' | 'pretty';
  /** AFIN_CONSENT_DEFAULTS, e.g. `personalization=opt-in,marketing=opt-out`. */
  consentDefaults: ConsentDefaults;
  retention: RetentionConfig;
  /** AFIN_RATE_LIMITS, e.g. `public=200,server=2000`: requests per second per key, per node. */
  rateLimits: Record<KeyScope, number>;
  /** AFIN_ALLOW_PRIVATE_URLS: let webhooks and the LLM reach private, link-local and metadata addresses. */
  allowPrivateUrls: boolean;
  /** AFIN_METRICS_TOKEN: the bearer token a Prometheus scraper sends to GET /metrics (unset: an admin key). */
  metricsToken?: string;
}

/** Parses `personalization=opt-in,marketing=opt-out` over the built-in defaults. */
export function parseConsentDefaults(text: string | undefined): ConsentDefaults {
  const out = { ...DEFAULT_CONSENT_DEFAULTS };
  for (const part of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z]+)\s*=\s*(opt-in|opt-out)$/.exec(part);
    if (!m || !(CONSENT_PURPOSES as readonly string[]).includes(m[1])) {
      throw new Error(`AFIN_CONSENT_DEFAULTS: expected "purpose=opt-in|opt-out" with a purpose among ${CONSENT_PURPOSES.join(', ')}, got "${part}"`);
    }
    out[m[1] as ConsentPurpose] = m[2] === 'opt-out';
  }
  return out;
}

/** Parses `public=200,server=2000` over the built-in limits. */
export function parseRateLimits(text: string | undefined): Record<KeyScope, number> {
  const out = { ...DEFAULT_RATE_LIMITS };
  for (const part of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)\s*=\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || !(KEY_SCOPES as readonly string[]).includes(m[1]) || !(Number(m[2]) > 0)) {
      throw new Error(`AFIN_RATE_LIMITS: expected "scope=requests-per-second" with a scope among ${KEY_SCOPES.join(', ')}, got "${part}"`);
    }
    out[m[1] as KeyScope] = Number(m[2]);
  }
  return out;
}

function optionalDays(name: string, v: string | undefined): number | null {
  if (v === undefined || v === '' || v === '0') return null;
  const n = Number(v);
  if (!(n > 0)) throw new Error(`${name} must be a positive number of days, got ${v}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.AFIN_PORT ?? 7070);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`AFIN_PORT must be a port number, got ${env.AFIN_PORT}`);
  const bodyLimit = Number(env.AFIN_BODY_LIMIT ?? 8 * 1024 * 1024);
  const allowPrivateUrls = /^(1|true|yes)$/i.test(env.AFIN_ALLOW_PRIVATE_URLS ?? '');
  if (env.AFIN_LLM_URL) {
    // The LLM is usually on this machine or the local network (Ollama, vLLM): loopback and private
    // addresses are fine; link-local and cloud metadata endpoints are not, unless explicitly allowed.
    const bad = checkOutboundUrl(env.AFIN_LLM_URL, { allowPrivate: true, allowLinkLocal: allowPrivateUrls });
    if (bad) throw new Error(`AFIN_LLM_URL: ${bad}`);
  }
  const intervalMin = Number(env.AFIN_RETENTION_INTERVAL_MINUTES ?? 60);
  // The token is the only thing between anyone who reaches the port and /metrics: long enough not to guess.
  const metricsToken = env.AFIN_METRICS_TOKEN || undefined;
  const logFormat = env.AFIN_LOG_FORMAT || 'auto';
  if (logFormat !== 'auto' && logFormat !== 'json' && logFormat !== 'pretty') throw new Error(`AFIN_LOG_FORMAT must be auto, json or pretty, got ${logFormat}`);
  if (metricsToken && (metricsToken.length < 24 || /\s/.test(metricsToken))) {
    throw new Error('AFIN_METRICS_TOKEN must be at least 24 characters without spaces (e.g. `openssl rand -hex 24`)');
  }
  return {
    port,
    host: env.AFIN_HOST ?? '127.0.0.1',
    dataDir: resolve(env.AFIN_DATA_DIR ?? './data'),
    databaseUrl: env.AFIN_DATABASE_URL || undefined,
    natsUrl: env.AFIN_NATS_URL || undefined,
    adminKey: env.AFIN_ADMIN_KEY || undefined,
    bodyLimit: Number.isFinite(bodyLimit) && bodyLimit > 0 ? bodyLimit : 8 * 1024 * 1024,
    llm: env.AFIN_LLM_URL ? { url: env.AFIN_LLM_URL, model: env.AFIN_LLM_MODEL ?? 'default', apiKey: env.AFIN_LLM_API_KEY || undefined } : undefined,
    logLevel: env.AFIN_LOG_LEVEL ?? 'info',
    logFormat,
    consentDefaults: parseConsentDefaults(env.AFIN_CONSENT_DEFAULTS),
    retention: {
      eventMaxAgeDays: optionalDays('AFIN_RETENTION_DAYS', env.AFIN_RETENTION_DAYS),
      auditMaxAgeDays: optionalDays('AFIN_AUDIT_RETENTION_DAYS', env.AFIN_AUDIT_RETENTION_DAYS),
      exposureMaxAgeDays:
        env.AFIN_EXPOSURE_RETENTION_DAYS === undefined ? undefined : optionalDays('AFIN_EXPOSURE_RETENTION_DAYS', env.AFIN_EXPOSURE_RETENTION_DAYS),
      intervalMs: (Number.isFinite(intervalMin) && intervalMin > 0 ? intervalMin : 60) * 60_000,
    },
    rateLimits: parseRateLimits(env.AFIN_RATE_LIMITS),
    allowPrivateUrls,
    metricsToken,
  };
}
