import { randomBytes } from 'node:crypto';
import { afterEach, describe, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { suiteNotRun } from '../suite-not-run.ts';
import { atOnce, closeNodes, expectBSeesAWrites, expectBStaleWithoutBus, nodePair, type TestNode } from './two-nodes.ts';

const url = process.env.AFIN_TEST_DATABASE_URL;

if (!url) suiteNotRun('Multi-node invalidation suite (PostgreSQL)', 'AFIN_TEST_DATABASE_URL');
else {
  describe('two API nodes on one PostgreSQL with an invalidation bus', () => {
    let schema = '';
    let nodes: TestNode[] = [];
    afterEach(async () => {
      await closeNodes(nodes);
      nodes = [];
      const admin = new PostgresStore({ connectionString: url, schema });
      await admin.dropSchema();
      await admin.close();
    });

    async function pair(withBus: boolean) {
      schema = `afin_test_${randomBytes(6).toString('hex')}`;
      const pair = await nodePair(async () => {
        const store = new PostgresStore({ connectionString: url!, schema, max: 4 });
        await store.migrate();
        return store;
      }, withBus);
      nodes = [pair.a, pair.b];
      return pair;
    }

    it("with a bus, B sees A's writes at once, though its caches would keep entries for a minute", async () => {
      const { a, b, clock } = await pair(true);
      await expectBSeesAWrites(a, b, atOnce, clock);
    });

    it('without one, B serves what it cached (the control)', async () => {
      const { a, b } = await pair(false);
      await expectBStaleWithoutBus(a, b);
    });
  });
}
