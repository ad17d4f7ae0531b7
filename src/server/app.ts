import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Engine } from './compose.ts';
import { converseRoutes } from '../converse/routes.ts';
import { ingestRoutes } from '../ingest/routes.ts';
import { keyRoutes } from '../keys/routes.ts';
import { privacyRoutes } from '../privacy/routes.ts';
import { privacySettingsRoutes } from '../privacy/settings-routes.ts';
import { profileRoutes } from '../profile/routes.ts';
import { recommendRoutes } from '../recommend/routes.ts';
import { experimentRoutes } from '../experiment/routes.ts';
import { insightsRoutes } from '../insights/routes.ts';
import { presentRoutes } from '../present/routes.ts';
import { predictRoutes } from '../predict/routes.ts';
import { nudgeRoutes } from '../nudge/routes.ts';
import { generateRoutes } from '../generate/routes.ts';
import { basicKeyAsBearer, segmentRoutes } from '../integrations/segment/routes.ts';
import { auditPlugin } from '../privacy/audit-plugin.ts';
import { authPlugin } from './plugins/auth.ts';
import { errorsPlugin, frameworkErrors } from './plugins/errors.ts';
import { refuseAnonymousUserIds } from '../http/route-helpers.ts';
import { secureLoggerOptions, securityPlugin } from './plugins/security.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { requestIdOptions, requestIdPlugin } from './plugins/request-id.ts';
import { requestLogOptions } from './plugins/request-log.ts';
import { homeRoute } from './plugins/home.ts';

/** Where the uPlot package is installed (hoisted or not), for the dashboard's charts. */
const UPLOT = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));

export interface AppOptions {
  engine: Engine;
  /** pino options, or false for silence (tests). */
  logger?: boolean | Record<string, unknown>;
  bodyLimit?: number;
}

const VERSION = '0.1.0';

/** Builds the HTTP app; only `afin serve` listens. Tests call `inject()` on it. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { logger, logController } = requestLogOptions(secureLoggerOptions(opts.logger));
  const app = Fastify({
    logger,
    ...(logController ? { logController } : {}),
    bodyLimit: opts.bodyLimit ?? 8 * 1024 * 1024,
    // Validation is zod's job inside each handler (one source of truth, errors naming the field); the
    // JSON schemas on routes document the API.
    ajv: { customOptions: { strict: false } },
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors,
    ...requestIdOptions,
  });
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  if (logController) app.addHook('onClose', async () => logController.flush());
  // Every route takes JSON only: without Fastify's built-in text/plain parser, any other body is a 415.
  app.removeContentTypeParser('text/plain');

  await app.register(requestIdPlugin);
  await app.register(errorsPlugin);
  await app.register(securityPlugin);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Afín API', version: VERSION, description: 'Self-hosted AI personalization engine. Send `Authorization: Bearer <key>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // The browsable docs are public, like /openapi.json.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), access: 'none' };
  });
  // The browser tab and the page say Afín, not the library's default 'Swagger UI'.
  await app.register(swaggerUi, { routePrefix: '/docs', theme: { title: 'Afín API' } });
  // Segment's write key arrives as Basic auth: made the bearer key before the key is checked.
  app.addHook('onRequest', basicKeyAsBearer);
  await app.register(authPlugin, {
    keys: opts.engine.keys,
    rateLimits: opts.engine.config.rateLimits,
    clock: opts.engine.clock,
    limiter: opts.engine.limiter,
    resolveAnonymous: (ws, anonymousId) => opts.engine.store.resolveAnonymous(ws, anonymousId),
  });
  app.addHook('preValidation', refuseAnonymousUserIds);
  await app.register(auditPlugin, { audit: opts.engine.privacy.audit });
  // With a job queue, `afin worker` runs retention once per interval for the whole cluster.
  app.addHook('onReady', async () => {
    if (!opts.engine.jobs) opts.engine.privacy.retention.start();
  });
  app.addHook('onClose', async () => opts.engine.privacy.stop());
  // Nudges are evaluated every minute only by a listening server (`afin serve`), never by inject() in tests.
  app.addHook('onListen', async () => opts.engine.nudgeScheduler.start());
  app.addHook('onClose', async () => opts.engine.nudgeScheduler.stop());

  // `/health/live` and `/health/ready` are the names orchestrators' examples use; same answers.
  for (const url of ['/health', '/health/live'])
    app.get(url, { config: { access: 'none' }, schema: { tags: ['meta'], summary: 'Liveness: no key needed' } }, async () => ({ status: 'ok' }));
  for (const url of ['/readyz', '/health/ready'])
    app.get(
      url,
      {
        config: { access: 'none' },
        schema: { tags: ['meta'], summary: 'Readiness: the store answers, the bus is connected (when set), the stored models are loaded; 503 until then' },
      },
      async (_req, reply) => {
        const r = await opts.engine.readiness();
        return reply.status(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not ready', checks: r.checks });
      },
    );
  app.get('/openapi.json', { config: { access: 'none' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(metricsPlugin, { metrics: opts.engine.metrics, token: opts.engine.config.metricsToken });
  await app.register(homeRoute);

  const demoPage = new URL('../../web/demo/index.html', import.meta.url);
  app.get('/demo', { config: { access: 'none' }, schema: { hide: true } }, async (_req, reply) => {
    const html = await readFile(demoPage, 'utf8').catch(() => null);
    if (html === null) return reply.status(404).send({ error: { code: 'not_found', message: 'demo page not installed' } });
    return reply.type('text/html; charset=utf-8').send(html);
  });
  // The chat widget and the client are plain JavaScript files served as written (no build step), to
  // any site: readable cross-origin (a module script needs CORS), cached briefly. The example shop
  // is a page like /demo.
  const assets: Array<[string, string, string]> = [
    ['/widget.js', '../../web/widget/afin-chat.js', 'text/javascript; charset=utf-8'],
    ['/sdk.js', '../client/index.js', 'text/javascript; charset=utf-8'],
    ['/examples/shop', '../../examples/shop/index.html', 'text/html; charset=utf-8'],
    // The dashboard: a page and its module, and uPlot as its package ships it.
    ['/dashboard', '../../web/dashboard/index.html', 'text/html; charset=utf-8'],
    ['/dashboard/dashboard.js', '../../web/dashboard/dashboard.js', 'text/javascript; charset=utf-8'],
    ['/dashboard/catalogue-import.js', '../../web/dashboard/catalogue-import.js', 'text/javascript; charset=utf-8'],
    ['/dashboard/dashboard.css', '../../web/dashboard/dashboard.css', 'text/css; charset=utf-8'],
    ['/dashboard/uplot.js', pathToFileURL(join(UPLOT, 'dist/uPlot.iife.min.js')).href, 'text/javascript; charset=utf-8'],
    ['/dashboard/uplot.css', pathToFileURL(join(UPLOT, 'dist/uPlot.min.css')).href, 'text/css; charset=utf-8'],
  ];
  for (const [route, file, type] of assets) {
    const at = new URL(file, import.meta.url);
    app.get(route, { config: { access: 'none' }, schema: { hide: true } }, async (_req, reply) => {
      const body = await readFile(at, 'utf8').catch(() => null);
      if (body === null) return reply.status(404).send({ error: { code: 'not_found', message: `${route} is not installed` } });
      if (type.startsWith('text/javascript'))
        reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin').header('cache-control', 'public, max-age=300');
      return reply.type(type).send(body);
    });
  }
  app.get(
    '/v1/demo/shoppers',
    {
      config: { access: 'public' },
      schema: { tags: ['meta'], summary: "The demo store's simulated shoppers and their hidden tastes (after `afin demo`)" },
    },
    async (req) => {
      const doc = await opts.engine.store.getDoc(req.principal.workspace, 'demo', 'shoppers');
      return { shoppers: (doc?.body.shoppers as unknown[]) ?? [] };
    },
  );

  const e = opts.engine;
  await app.register(ingestRoutes, { ingest: e.ingest });
  await app.register(recommendRoutes, { recommend: e.recommend, trainer: e.trainer, presentation: e.variants });
  await app.register(profileRoutes, { profiles: e.profiles });
  await app.register(privacyRoutes, { privacy: e.privacy, consent: e.consent });
  await app.register(privacySettingsRoutes, { settings: e.privacySettings, audit: e.privacy.audit });
  await app.register(keyRoutes, { keys: e.keys });
  await app.register(converseRoutes, { chat: e.chat, llm: e.config.llm });
  await app.register(experimentRoutes, { experiments: e.experiments });
  await app.register(insightsRoutes, { insights: e.insights });
  await app.register(generateRoutes, { content: e.content });
  await app.register(presentRoutes, { decisions: e.decisions, variants: e.variants });
  await app.register(predictRoutes, { predictions: e.predictions });
  await app.register(nudgeRoutes, { nudges: e.nudges });
  await app.register(segmentRoutes, { segment: e.segment });
  return app;
}
