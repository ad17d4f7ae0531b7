import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/bus/job-queue.ts';
import type { ModelInfo } from '../../src/recommend/model-store.ts';
import { TrainingFailedError } from '../../src/recommend/train.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { enqueueTraining } from '../../src/worker/enqueue-training.ts';
import { JOB_COLLECTION, readJob, writeJob } from '../../src/worker/job-records.ts';
import { JOB_RECORD_DAYS, JobWorker, type WorkerPorts } from '../../src/worker/worker.ts';
import { suiteNotRun } from '../suite-not-run.ts';
import { eventually } from '../server/two-nodes.ts';

const natsUrl = process.env.AFIN_TEST_NATS_URL;
const info = (name: string): ModelInfo => ({ name, trainedAt: 1, seconds: 0.1, users: 2, items: 3, interactions: 4 });

if (!natsUrl) suiteNotRun('Job worker suite (NATS JetStream)', 'AFIN_TEST_NATS_URL');
else {
  describe('JobWorker on a real JetStream work queue', () => {
    const cleanup: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c();
    });

    /** A queue of its own, a store for the records, and a worker whose training does what `train` says. */
    async function setup(train: WorkerPorts['train'], ackWaitMs = 1500) {
      const prefix = `afintest_${randomBytes(4).toString('hex')}`;
      const store = new SqliteStore(':memory:');
      await store.migrate();
      await store.createWorkspace({ id: 'default', name: null, createdAt: 1 });
      const producer = await JobQueue.connect(natsUrl as string, { prefix });
      const consumer = await JobQueue.connect(natsUrl as string, { prefix, ackWaitMs, maxDeliver: 3, worker: true });
      const lines: string[] = [];
      const worker = new JobWorker(consumer, { store, train, retention: async () => ({ swept: true }) }, { name: 'w', log: (l) => lines.push(l) });
      cleanup.push(async () => {
        await worker.stop();
        await producer.destroy();
        await consumer.close();
        await producer.close();
        await store.close();
      });
      return { store, producer, consumer, worker, lines };
    }

    it('runs a training once, records its result, and the enqueuer gets the infos', async () => {
      let calls = 0;
      const { store, producer, worker } = await setup(async (_ws, opts) => {
        calls++;
        opts.onProgress?.('reading events', 0.5);
        return [info('popularity')];
      });
      worker.start();
      const infos = await enqueueTraining(producer, store, { pollMs: 50 })('default', { models: ['popularity'] });
      expect(infos).toEqual([info('popularity')]);
      expect(calls).toBe(1);
      const [doc] = await store.listDocs('default', JOB_COLLECTION, { limit: 10 });
      expect(doc.body).toMatchObject({ kind: 'train', status: 'done', worker: 'w', attempt: 1, result: [info('popularity')] });
      await eventually(5000)(async () => expect(await producer.pending()).toBe(0));
    }, 30_000);

    it('a delivery of a job that already has a final record is acknowledged without running', async () => {
      let calls = 0;
      const { store, producer, worker } = await setup(async () => {
        calls++;
        return [];
      });
      await writeJob(store, 'default', 'train-old', { kind: 'train', status: 'done', enqueuedAt: 1, result: [] });
      await producer.enqueue({ id: 'train-old', kind: 'train', ws: 'default', args: {}, enqueuedAt: 1 });
      worker.start();
      await eventually(10_000)(async () => expect(await producer.pending()).toBe(0));
      expect(calls).toBe(0);
      expect(worker.completed).toBe(0);
    }, 30_000);

    it('a model that cannot be trained is recorded as failed once, not retried, and the enqueuer gets TrainingFailedError', async () => {
      let calls = 0;
      const { store, producer, worker } = await setup(async () => {
        calls++;
        throw new TrainingFailedError([info('popularity')], [{ name: 'hybrid', error: 'NaN in the gradient' }]);
      });
      worker.start();
      const err = await enqueueTraining(producer, store, { pollMs: 50 })('default', {}).catch((e) => e);
      expect(err).toBeInstanceOf(TrainingFailedError);
      expect(err.failed).toEqual([{ name: 'hybrid', error: 'NaN in the gradient' }]);
      expect(err.trained).toEqual([info('popularity')]);
      await new Promise((r) => setTimeout(r, 2500)); // past the ack wait: nothing comes back
      expect(calls).toBe(1);
      expect(await producer.pending()).toBe(0);
    }, 30_000);

    it('a job that throws is retried on a later delivery and its record says which attempt succeeded', async () => {
      let calls = 0;
      const { store, producer, worker } = await setup(async () => {
        if (++calls === 1) throw new Error('connection reset');
        return [info('trending')];
      });
      worker.start();
      const infos = await enqueueTraining(producer, store, { pollMs: 50 })('default', {});
      expect(infos).toEqual([info('trending')]);
      expect(calls).toBe(2);
      const [doc] = await store.listDocs('default', JOB_COLLECTION, { limit: 10 });
      expect(doc.body).toMatchObject({ status: 'done', attempt: 2 });
    }, 30_000);

    it('a retention job sweeps, and drops job records older than 30 days', async () => {
      let swept = 0;
      const { store, producer, consumer } = await setup(async () => []);
      const worker = new JobWorker(
        consumer,
        { store, train: async () => [], retention: async () => ({ swept: ++swept }) },
        { name: 'r', log: () => undefined },
      );
      cleanup.push(() => worker.stop());
      const now = Date.now();
      await writeJob(store, 'default', 'train-ancient', { kind: 'train', status: 'done', enqueuedAt: now - (JOB_RECORD_DAYS + 1) * 86_400_000 });
      await writeJob(store, 'default', 'train-recent', { kind: 'train', status: 'done', enqueuedAt: now - 86_400_000 });
      await writeJob(store, '*', 'retention-now', { kind: 'retention', status: 'queued', enqueuedAt: now });
      await producer.enqueue({ id: 'retention-now', kind: 'retention', ws: '*', args: {}, enqueuedAt: now });
      worker.start();
      await eventually(10_000)(async () => expect((await readJob(store, '*', 'retention-now'))?.status).toBe('done'));
      expect(swept).toBe(1);
      expect((await readJob(store, '*', 'retention-now'))?.result).toEqual({ swept: 1, jobRecords: 1 });
      expect(await readJob(store, 'default', 'train-ancient')).toBeNull();
      expect(await readJob(store, 'default', 'train-recent')).not.toBeNull();
    }, 30_000);

    it('retention is enqueued once per interval slot, however many workers try', async () => {
      const { worker, consumer, store } = await setup(async () => []);
      const other = new JobWorker(consumer, { store, train: async () => [], retention: async () => ({}) }, { name: 'w2', log: () => undefined });
      const interval = 3_600_000 + Math.floor(Math.random() * 1000); // a slot no earlier run has claimed
      const claimed = await Promise.all([
        worker.schedule('retention', interval),
        other.schedule('retention', interval),
        worker.schedule('retention', interval),
      ]);
      expect(claimed.filter(Boolean)).toHaveLength(1);
      const docs = await store.listDocs('default', JOB_COLLECTION, { limit: 10 });
      expect(docs.map((d) => d.body.kind)).toEqual(['retention']);
      expect(await readJob(store, '*', docs[0].id)).toMatchObject({ status: 'queued' });
    }, 30_000);
  });
}
