/**
 * The baseline the benchmarks compare Afín against: a bare Fastify server, started the same way
 * (node + tsx), doing only what no server can avoid. Env: BARE_PORT, BARE_KEY (bearer key for the
 * /auth routes), BARE_RECOMMEND_BODY_FILE (the constant JSON /v1/recommendations answers with),
 * BARE_LOG_LEVEL (pino level, or "silent"; mirrors AFIN_LOG_LEVEL of the server it is compared with).
 *
 * Routes:
 *   GET  /health                    { status: "ok" }
 *   POST /v1/events                 parses the JSON batch, answers { accepted: n, duplicates: 0, rejected: [] }
 *   GET  /v1/recommendations        the constant JSON, no auth
 *   GET  /auth/v1/recommendations   the same, after a bearer check like Afín's (sha256 + timingSafeEqual)
 */
import Fastify from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

const port = Number(process.env.BARE_PORT ?? 0);
const level = process.env.BARE_LOG_LEVEL ?? 'silent';
const keyHash = createHash('sha256')
  .update(process.env.BARE_KEY ?? 'bench-key')
  .digest();
const recBody = process.env.BARE_RECOMMEND_BODY_FILE
  ? readFileSync(process.env.BARE_RECOMMEND_BODY_FILE, 'utf8')
  : JSON.stringify({ recommendationId: 'rec_bare', personalized: true, model: 'bare', items: [] });
const recJson = JSON.parse(recBody) as unknown;

const app = Fastify({
  logger: level === 'silent' ? false : { level, redact: ['req.headers.authorization'] },
  bodyLimit: 8 * 1024 * 1024,
});

app.get('/health', async () => ({ status: 'ok' }));

app.post('/v1/events', async (req) => {
  const n = Array.isArray(req.body) ? req.body.length : 1;
  return { accepted: n, duplicates: 0, rejected: [] };
});

// Serialized per request (as Fastify does for any returned object), not sent as a cached string.
app.get('/v1/recommendations', async () => recJson);

app.register(
  async (scoped) => {
    scoped.addHook('onRequest', async (req, reply) => {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      const got = m ? createHash('sha256').update(m[1]).digest() : null;
      if (!got || !timingSafeEqual(got, keyHash)) {
        return reply.status(401).send({ error: { code: 'unauthorized', message: 'missing or unknown API key' } });
      }
    });
    scoped.get('/v1/recommendations', async () => recJson);
  },
  { prefix: '/auth' },
);

const shutdown = () => void app.close().finally(() => process.exit(0));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`bare server listening on 127.0.0.1:${port}\n`);
