import fp from 'fastify-plugin';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AfinError } from '../../domain/errors.ts';

/** What the metrics read from the engine at scrape time: the default workspace's stored models. */
export interface MetricsSources {
  models: () => Promise<Array<{ name: string; trainedAt: number; seconds: number }>>;
  clock: () => number;
}

/**
 * The counters the engine and the routes feed (one registry per engine, so tests may build many).
 * Labels are bounded: route patterns, never raw URLs; methods and model names from fixed sets; no
 * workspace, key or person anywhere.
 */
export class AfinMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'afin_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'afin_http_request_duration_seconds',
    help: 'Time to answer a request, by route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'afin_events_ingested_total',
    help: 'Events accepted, duplicates and rejected, from every source (API, Segment, chat, CLI import through a server)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly chatTurns = new Counter({ name: 'afin_chat_turns_total', help: 'Chat messages answered', registers: [this.registry] });
  /** Each nudge that reached its channel (fed by the nudge slice's `sent` hook). */
  readonly nudgesSent = new Counter({
    name: 'afin_nudges_sent_total',
    help: 'Nudges that reached their channel: kept for the chat, ready for the mailer, or delivered to the webhook',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly trainings = new Histogram({
    name: 'afin_training_duration_seconds',
    help: 'Duration of each model training this process ran or waited for, by model',
    labelNames: ['model'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  /** Lookups per cache, counted where the cache is used (plain numbers: the serving path pays an increment). */
  readonly caches: Record<CacheName, { hit: number; miss: number }> = { person: { hit: 0, miss: 0 }, catalog: { hit: 0, miss: 0 }, model: { hit: 0, miss: 0 } };
  private sources?: MetricsSources;
  private lastModels: { at: number; value: Promise<Array<{ name: string; trainedAt: number; seconds: number }>> } | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'afin_' });
    const self = this;
    new Counter({
      name: 'afin_cache_requests_total',
      help: 'Cache lookups by cache (person: per-person reads; catalog and model: the workspace snapshot and loaded models) and result (a miss read the store)',
      labelNames: ['cache', 'result'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [cache, n] of Object.entries(self.caches)) {
          this.inc({ cache, result: 'hit' }, n.hit);
          this.inc({ cache, result: 'miss' }, n.miss);
        }
      },
    });
    new Gauge({
      name: 'afin_cache_hit_ratio',
      help: 'Share of lookups served from memory since the process started, by cache (for a recent figure, use rate() of afin_cache_requests_total)',
      labelNames: ['cache'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [cache, n] of Object.entries(self.caches)) if (n.hit + n.miss > 0) this.set({ cache }, n.hit / (n.hit + n.miss));
      },
    });
    new Gauge({
      name: 'afin_model_age_seconds',
      help: "Seconds since each of the default workspace's stored models was trained",
      labelNames: ['model'] as const,
      registers: [this.registry],
      async collect() {
        const s = self.sources;
        if (!s) return;
        this.reset();
        for (const m of await self.models()) this.set({ model: m.name }, Math.max(0, (s.clock() - m.trainedAt) / 1000));
      },
    });
    new Gauge({
      name: 'afin_model_last_training_seconds',
      help: "How long the last training of each of the default workspace's stored models took (trainings by `afin train` or a worker included)",
      labelNames: ['model'] as const,
      registers: [this.registry],
      async collect() {
        if (!self.sources) return;
        this.reset();
        for (const m of await self.models()) this.set({ model: m.name }, m.seconds);
      },
    });
  }

  /** Where the model gauges read from (set once the engine exists). */
  attach(sources: MetricsSources): void {
    this.sources = sources;
  }

  /** The stored models, read from the store at most every 5 s however often the scraper asks. */
  private models() {
    const now = Date.now();
    if (!this.lastModels || now - this.lastModels.at > 5000) {
      const value = (this.sources?.models() ?? Promise.resolve([])).catch(() => []);
      this.lastModels = { at: now, value };
    }
    return this.lastModels.value;
  }

  countEvents(r: { accepted: number; duplicates?: number; rejected?: unknown[] }): void {
    if (r.accepted) this.events.inc({ outcome: 'accepted' }, r.accepted);
    if (r.duplicates) this.events.inc({ outcome: 'duplicate' }, r.duplicates);
    if (r.rejected?.length) this.events.inc({ outcome: 'rejected' }, r.rejected.length);
  }
}

export type CacheName = 'person' | 'catalog' | 'model';

/** The per-person reads the caching store keeps (see store/caching-store.ts). */
const PERSON_READS = ['eventsOf', 'consentHistory', 'getProfile', 'getUser'] as const;

/**
 * Counts the per-person read cache's hits and misses from outside it: `inner` is the store the cache
 * reads on a miss, `cached` the cache over it. A lookup whose call reached `inner` before `cached`
 * returned is a miss (the cache calls the store at once on a miss); the rest are hits. Returns `cached`
 * behind a proxy that sees the four reads and passes everything else through.
 */
export function countPersonCache<S extends object>(inner: S, cached: S, tally: { hit: number; miss: number }): S {
  if (inner === cached) return cached; // no cache (a zero time limit without a bus): nothing to count
  let misses = 0;
  const target = inner as Record<string, unknown>;
  for (const name of PERSON_READS) {
    const read = target[name];
    if (typeof read !== 'function') continue;
    target[name] = function (this: unknown, ...args: unknown[]) {
      misses++;
      return read.apply(this, args);
    };
  }
  const counted = new Map<string, { fn: unknown; wrapper: unknown }>();
  return new Proxy(cached, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver);
      if (typeof value !== 'function' || !(PERSON_READS as readonly unknown[]).includes(prop)) return value;
      const made = counted.get(prop as string);
      if (made && made.fn === value) return made.wrapper;
      const fn = value as (...a: unknown[]) => unknown;
      const wrapper = (...args: unknown[]) => {
        const before = misses;
        const out = fn.apply(t, args);
        if (misses === before) tally.hit++;
        else tally.miss++;
        return out;
      };
      counted.set(prop as string, { fn: value, wrapper });
      return wrapper;
    },
  });
}

/**
 * Counts a snapshot cache's hits from what it hands out: the same object as before is a hit, a new one
 * was built from the store (the catalogue snapshot, a loaded model). Wraps `obj[method]` in place.
 */
export function countSnapshots<O extends object, K extends keyof O>(obj: O, method: K, tally: { hit: number; miss: number }): void {
  const seen = new WeakSet<object>();
  const fn = obj[method] as unknown as (...a: unknown[]) => Promise<unknown>;
  (obj as Record<K, unknown>)[method] = async (...args: unknown[]) => {
    const out = await fn.apply(obj, args);
    if (out !== null && typeof out === 'object') {
      if (seen.has(out)) tally.hit++;
      else {
        seen.add(out);
        tally.miss++;
      }
    }
    return out;
  };
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route pattern a request matched (`/v1/users/:id`), or one label for every unmatched URL. */
export function routeLabel(req: FastifyRequest): string {
  return req.is404 ? '(unmatched)' : (req.routeOptions.url ?? '(unmatched)');
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export interface MetricsPluginOptions {
  metrics: AfinMetrics;
  /**
   * AFIN_METRICS_TOKEN: the only credential /metrics then takes (a scraper's bearer token, which can
   * read nothing else). Unset, /metrics needs an admin key, like every other operator route.
   */
  token?: string;
}

/**
 * `GET /metrics` in Prometheus' text format, and the request counters every route feeds. The figures
 * are counts and durations by route pattern: nothing about any person, workspace or key.
 */
export const metricsPlugin = fp(async (app: FastifyInstance, opts: MetricsPluginOptions) => {
  const m = opts.metrics;
  // A callback hook, not an async one: it runs on every answer, and does nothing to wait for.
  app.addHook('onResponse', (req, reply, done) => {
    const route = routeLabel(req);
    // The scraper's own calls would only measure themselves.
    if (route !== '/metrics') {
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      m.requests.inc({ route, method, status: String(reply.statusCode) });
      m.latency.observe({ route, method }, reply.elapsedTime / 1000);
      if (route === '/v1/chat' && method === 'POST' && reply.statusCode < 300) m.chatTurns.inc();
    }
    done();
  });

  const expected = opts.token ? digest(opts.token) : null;
  // One rendering serves every scrape within a second: a flood of scrapes costs one rendering a second.
  let cached: { at: number; text: Promise<string> } | null = null;
  app.get(
    '/metrics',
    {
      config: { access: expected ? 'none' : 'admin' },
      schema: {
        tags: ['meta'],
        summary: 'Prometheus metrics (text format): an admin key, or only AFIN_METRICS_TOKEN when it is set',
        response: { 200: { type: 'string' } },
      },
    },
    async (req, reply) => {
      if (expected) {
        const m2 = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
        // Hashes compared in constant time, so the answer's timing says nothing of the token's prefix.
        if (!m2 || !timingSafeEqual(digest(m2[1]), expected)) throw new AfinError('unauthorized', 'Authorization: send Bearer AFIN_METRICS_TOKEN');
      }
      const now = Date.now();
      if (!cached || now - cached.at >= 1000) cached = { at: now, text: m.registry.metrics() };
      const text = await cached.text;
      return reply.type(m.registry.contentType).send(text);
    },
  );
});
