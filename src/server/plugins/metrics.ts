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
  readonly trainings = new Histogram({
    name: 'afin_training_duration_seconds',
    help: 'Duration of each model training this process ran or waited for, by model',
    labelNames: ['model'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  private sources?: MetricsSources;
  private lastModels: { at: number; value: Promise<Array<{ name: string; trainedAt: number; seconds: number }>> } | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'afin_' });
    const self = this;
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
  app.addHook('onResponse', async (req, reply) => {
    const route = routeLabel(req);
    if (route === '/metrics') return; // the scraper's own calls would only measure themselves
    const method = METHODS.has(req.method) ? req.method : 'OTHER';
    m.requests.inc({ route, method, status: String(reply.statusCode) });
    m.latency.observe({ route, method }, reply.elapsedTime / 1000);
    if (route === '/v1/chat' && method === 'POST' && reply.statusCode < 300) m.chatTurns.inc();
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
