import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { NatsTokenBuckets } from '../../src/bus/nats-buckets.ts';
import { buildApp } from '../../src/server/app.ts';
import { Engine } from '../../src/server/compose.ts';
import { ClusterRateLimiter, RateLimiter } from '../../src/server/plugins/rate-limit.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { AUTH, ROOT_KEY, testClock } from '../helpers.ts';
import { suiteNotRun } from '../suite-not-run.ts';

const natsUrl = process.env.AFIN_TEST_NATS_URL;
const dbUrl = process.env.AFIN_TEST_DATABASE_URL;
const RATE = 100;

if (!natsUrl || !dbUrl) suiteNotRun('Cluster rate limit suite (NATS JetStream + PostgreSQL)', 'AFIN_TEST_NATS_URL and AFIN_TEST_DATABASE_URL');
else {
  describe('a key rate limit across two API nodes (shared buckets in NATS JetStream key-value)', () => {
    let schema = '';
    const opened: Array<{ app: FastifyInstance; engine: Engine }> = [];
    const buckets: NatsTokenBuckets[] = [];

    afterEach(async () => {
      for (const b of buckets.splice(0)) await b.destroy();
      for (const n of opened.splice(0)) {
        await n.app.close();
        await n.engine.close();
      }
      const admin = new PostgresStore({ connectionString: dbUrl, schema });
      await admin.dropSchema();
      await admin.close();
    });

    /** Two nodes on one PostgreSQL schema; `shared`: their limiters take from one NATS bucket. */
    async function twoNodes(shared: 'nats' | 'none' | 'unreachable') {
      schema = `afin_test_${randomBytes(6).toString('hex')}`;
      const bucket = `afin_test_rl_${randomBytes(4).toString('hex')}`;
      const nodes: FastifyInstance[] = [];
      // Time stands still unless the test moves it: what passes is the limit, not the machine's speed.
      const clock = testClock();
      for (let i = 0; i < 2; i++) {
        const store = new PostgresStore({ connectionString: dbUrl as string, schema, max: 4 });
        await store.migrate();
        await store.createWorkspace({ id: 'default', name: null, createdAt: Date.now() });
        let limiter: ClusterRateLimiter | undefined;
        if (shared !== 'none') {
          const b = new NatsTokenBuckets(shared === 'nats' ? (natsUrl as string) : 'nats://127.0.0.1:1', { bucket });
          if (shared === 'nats') {
            buckets.push(b);
            await b.ready;
            expect(b.available).toBe(true);
          }
          limiter = new ClusterRateLimiter(b, new RateLimiter(clock), clock);
        }
        const engine = new Engine(store, { adminKey: ROOT_KEY }, { clock, limiter, retrainAfterErasureMs: null });
        const app = await buildApp({ engine });
        opened.push({ app, engine });
        nodes.push(app);
      }
      const created = await nodes[0].inject({ method: 'POST', url: '/v1/keys', headers: AUTH, payload: { scope: 'server', rateLimit: RATE } });
      expect(created.statusCode).toBe(201);
      return { nodes, clock, key: (created.json() as { key: string }).key };
    }

    /** Sends `total` requests with the key, alternating between the nodes, 8 at a time; counts the allowed ones. */
    async function blast(nodes: FastifyInstance[], key: string, total: number) {
      let next = 0;
      let allowed = 0;
      let refused = 0;
      const lane = async () => {
        while (next < total) {
          const i = next++;
          const r = await nodes[i % 2].inject({ method: 'GET', url: '/v1/settings/ranking', headers: { authorization: `Bearer ${key}` } });
          if (r.statusCode === 200) allowed++;
          else if (r.statusCode === 429) refused++;
          else throw new Error(`unexpected ${r.statusCode}: ${r.body}`);
        }
      };
      await Promise.all(Array.from({ length: 8 }, lane));
      return { allowed, refused };
    }

    // A bucket holds two seconds' worth (200) and refills at 100/s. Each node may sit on one unused
    // lease (2 % of the rate: 2 tokens), so the cluster may pass the limit by at most 4.
    const SLACK = 4;

    it('holds 100/s for the key across both nodes together: the burst, then 100 per second', async () => {
      const { nodes, key, clock } = await twoNodes('nats');
      const burst = await blast(nodes, key, 500);
      expect(burst.allowed).toBeGreaterThanOrEqual(2 * RATE - SLACK);
      expect(burst.allowed).toBeLessThanOrEqual(2 * RATE);
      expect(burst.refused).toBe(500 - burst.allowed);
      clock.advance(1000);
      const second = await blast(nodes, key, 300);
      expect(burst.allowed + second.allowed).toBeGreaterThanOrEqual(3 * RATE - SLACK);
      expect(burst.allowed + second.allowed).toBeLessThanOrEqual(3 * RATE);
    }, 60_000);

    it('the control: per-node limiters let the limit through on each node, twice the limit in all', async () => {
      const { nodes, key } = await twoNodes('none');
      const r = await blast(nodes, key, 500);
      expect(r.allowed).toBe(4 * RATE);
    }, 60_000);

    it('with NATS unreachable, each node falls back to its own limiter (no refusal, no waiting on NATS)', async () => {
      const { nodes, key } = await twoNodes('unreachable');
      const r = await blast(nodes, key, 500);
      expect(r.allowed).toBe(4 * RATE);
    }, 60_000);
  });
}
