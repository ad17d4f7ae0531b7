import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvalidationNotice } from '../../src/bus/bus.ts';
import { NatsBus, subjectOf, type BusLog } from '../../src/bus/nats-bus.ts';
import { KeyService } from '../../src/keys/key-service.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { testClock } from '../helpers.ts';
import { suiteNotRun } from '../suite-not-run.ts';
import { closeNodes, eventually, expectBSeesAWrites, makeNode, type TestNode } from '../server/two-nodes.ts';

const natsUrl = process.env.AFIN_TEST_NATS_URL;
const dbUrl = process.env.AFIN_TEST_DATABASE_URL;
const quiet: BusLog = { info: () => undefined, warn: () => undefined };

if (!natsUrl) suiteNotRun('NATS suite', 'AFIN_TEST_NATS_URL');
else {
  describe('invalidation notices over NATS', () => {
    const buses: NatsBus[] = [];
    afterEach(async () => {
      await Promise.all(buses.splice(0).map((b) => b.close()));
    });
    const bus = async () => {
      const b = await NatsBus.start(natsUrl, { log: quiet });
      buses.push(b);
      return b;
    };
    const ws = () => `ws-${randomBytes(4).toString('hex')}`;

    it('connects, and every other node hears a notice; the sender does not hear its own', async () => {
      const [a, b, c] = [await bus(), await bus(), await bus()];
      expect([a.connected, b.connected, c.connected]).toEqual([true, true, true]);
      const w = ws();
      const got = { a: [] as InvalidationNotice[], b: [] as InvalidationNotice[], c: [] as InvalidationNotice[] };
      a.subscribe((n) => n.ws === w && got.a.push(n));
      b.subscribe((n) => n.ws === w && got.b.push(n));
      c.subscribe((n) => n.ws === w && got.c.push(n));
      a.publish({ ws: w, kind: 'people', subjects: ['u1', 'u2', 'u1'] });
      a.publish({ ws: w, kind: 'models' });
      await a.flush();
      await eventually()(async () => {
        expect(got.b).toHaveLength(2);
        expect(got.c).toHaveLength(2);
      });
      expect(got.b).toEqual([
        { ws: w, kind: 'people', subjects: ['u1', 'u2'], origin: a.origin },
        { ws: w, kind: 'models', origin: a.origin },
      ]);
      expect(got.a).toEqual([]);
    });

    it('publishes on afin.invalidate.<workspace>, one safe subject token, and ignores malformed messages', async () => {
      expect(subjectOf('shop-1_a')).toBe('afin.invalidate.shop-1_a');
      expect(subjectOf('a.b *>')).toBe('afin.invalidate.a_b___');
      const raw = await connect({ servers: natsUrl });
      try {
        const w = ws();
        const seen: string[] = [];
        raw.subscribe(subjectOf(w), { callback: (_e, m) => seen.push(m.subject) });
        await raw.flush();
        const [a, b] = [await bus(), await bus()];
        const got: InvalidationNotice[] = [];
        b.subscribe((n) => n.ws === w && got.push(n));
        for (const junk of [
          'not json',
          '{}',
          JSON.stringify({ ws: w, kind: 'everything', origin: 'x' }),
          JSON.stringify({ ws: '*', kind: 'workspace', origin: 'x' }),
        ])
          raw.publish(subjectOf(w), junk);
        await raw.flush();
        a.publish({ ws: w, kind: 'items' });
        await a.flush();
        await eventually()(async () => expect(got).toHaveLength(1));
        expect(got[0].kind).toBe('items');
        expect(seen.at(-1)).toBe(`afin.invalidate.${w}`);
      } finally {
        await raw.close();
      }
    });

    it('carries every notice kind, keys included: a key revoked on one node fails on the other at once', async () => {
      const [a, b] = [await bus(), await bus()];
      const w = ws();
      const got: InvalidationNotice[] = [];
      b.subscribe((n) => n.ws === w && got.push(n));
      const kinds = ['people', 'workspace', 'items', 'models', 'settings', 'keys'] as const;
      for (const kind of kinds) a.publish({ ws: w, kind });
      await a.flush();
      await eventually()(async () => expect(got.map((n) => n.kind)).toEqual(kinds));

      // Two nodes' key services over one store; each caches a key for 5 s unless a notice says otherwise.
      const store = new SqliteStore(':memory:');
      await store.migrate();
      try {
        const ka = new KeyService(store, undefined, Date.now, a);
        const kb = new KeyService(store, undefined, Date.now, b);
        const k = await ka.create('default', { scope: 'server' });
        expect((await kb.authenticate(k.key, undefined)).keyId).toBe(k.id);
        expect(await ka.revoke('default', k.id)).toBe(true);
        await a.flush();
        await eventually(2000)(async () => {
          await expect(kb.authenticate(k.key, undefined)).rejects.toMatchObject({ code: 'unauthorized' });
        });
      } finally {
        await store.close();
      }
    });

    it('after a reconnect, tells the local caches to drop everything (notices may have been missed)', async () => {
      const a = await bus();
      const got: InvalidationNotice[] = [];
      a.subscribe((n) => got.push(n));
      await (a as unknown as { nc: { reconnect(): Promise<void> } }).nc.reconnect();
      await eventually()(async () => {
        expect(got.map((n) => [n.ws, n.kind])).toContainEqual(['*', 'workspace']);
        expect(a.connected).toBe(true);
      });
    });

    it('closes cleanly, sending what was pending', async () => {
      const [a, b] = [await bus(), await bus()];
      const w = ws();
      const got: InvalidationNotice[] = [];
      b.subscribe((n) => n.ws === w && got.push(n));
      for (let i = 0; i < 100; i++) a.publish({ ws: w, kind: 'people', subjects: [`u${i}`] });
      await a.close();
      expect(a.connected).toBe(false);
      expect(() => a.publish({ ws: w, kind: 'items' })).not.toThrow();
      await eventually()(async () => expect(got).toHaveLength(100));
    });

    if (!dbUrl) {
      console.log('Multi-node NATS + PostgreSQL test not run: set AFIN_TEST_DATABASE_URL too');
      it.skip('two API nodes on one PostgreSQL, kept fresh over NATS (needs AFIN_TEST_DATABASE_URL)');
    } else {
      describe('two API nodes on one PostgreSQL, kept fresh over NATS', () => {
        const schema = `afin_test_${randomBytes(6).toString('hex')}`;
        let nodes: TestNode[] = [];
        afterEach(async () => {
          await closeNodes(nodes); // closes the stores and the buses too
          nodes = [];
          const admin = new PostgresStore({ connectionString: dbUrl, schema });
          await admin.dropSchema();
          await admin.close();
        });

        it("B sees A's writes as soon as the notice arrives, though its caches would keep entries for a minute", async () => {
          const clock = testClock();
          const open = async () => {
            const store = new PostgresStore({ connectionString: dbUrl, schema, max: 4 });
            await store.migrate();
            return makeNode(store, await NatsBus.start(natsUrl, { log: quiet }), clock);
          };
          nodes = [await open(), await open()];
          expect(nodes.every((n) => n.engine.bus?.connected)).toBe(true);
          await expectBSeesAWrites(nodes[0], nodes[1], eventually(), clock);
        });
      });
    }
  });
}
