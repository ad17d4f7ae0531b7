import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvalidationNotice } from '../../src/bus/bus.ts';
import { JobQueue } from '../../src/bus/job-queue.ts';
import { NatsBus, type BusLog } from '../../src/bus/nats-bus.ts';
import { Engine } from '../../src/server/compose.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { JOB_COLLECTION, readJob, type JobRecord } from '../../src/worker/job-records.ts';
import { enqueueTraining } from '../../src/worker/enqueue-training.ts';
import { ROOT_KEY, items } from '../helpers.ts';
import { suiteNotRun } from '../suite-not-run.ts';
import { eventually } from '../server/two-nodes.ts';

const natsUrl = process.env.AFIN_TEST_NATS_URL;
const dbUrl = process.env.AFIN_TEST_DATABASE_URL;
const BIN = join(import.meta.dirname, '../../bin/afin.mjs');
const quiet: BusLog = { info: () => undefined, warn: () => undefined };
const ACK_WAIT_S = 2;

interface WorkerProc {
  name: string;
  child: ChildProcess;
  out: string[];
}

if (!natsUrl || !dbUrl) suiteNotRun('Worker failover suite (NATS JetStream + PostgreSQL)', 'AFIN_TEST_NATS_URL and AFIN_TEST_DATABASE_URL');
else {
  describe('afin worker: trainings from the JetStream work queue, across separate processes', () => {
    const schema = `afin_test_${randomBytes(6).toString('hex')}`;
    const prefix = `afintest_${randomBytes(4).toString('hex')}`;
    const workers: WorkerProc[] = [];
    let store: PostgresStore;
    let api: Engine;
    let other: Engine;
    let queue: JobQueue;

    // The workers reach the test's schema through the URL's startup options.
    const url = new URL(dbUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);

    // The workers also schedule retention (recorded in the same collection): only trainings count here.
    const trainJobs = async () => (await store.listDocs('default', JOB_COLLECTION, { limit: 100 })).filter((d) => d.body.kind === 'train');

    function startWorker(name: string): Promise<WorkerProc> {
      const child = spawn(process.execPath, [BIN, 'worker', '--name', name, '--queue', prefix, '--ack-wait', String(ACK_WAIT_S)], {
        env: { ...process.env, AFIN_DATABASE_URL: url.toString(), AFIN_NATS_URL: natsUrl, AFIN_ADMIN_KEY: ROOT_KEY, AFIN_LLM_URL: '', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const w: WorkerProc = { name, child, out: [] };
      workers.push(w);
      let err = '';
      child.stdout?.on('data', (d: Buffer) => w.out.push(...d.toString().split('\n').filter(Boolean)));
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      return new Promise((resolve, reject) => {
        const t = setInterval(() => {
          if (w.out.some((l) => l.includes('taking jobs'))) {
            clearInterval(t);
            resolve(w);
          } else if (child.exitCode !== null) {
            clearInterval(t);
            reject(new Error(`worker ${name} exited: ${err}`));
          }
        }, 50);
      });
    }

    beforeAll(async () => {
      store = new PostgresStore({ connectionString: dbUrl, schema, max: 4 });
      await store.migrate();
      await store.createWorkspace({ id: 'default', name: null, createdAt: Date.now() });
      queue = await JobQueue.connect(natsUrl, { prefix });
      // The API node under test enqueues; the other node only listens for the models notice.
      api = new Engine(store, { adminKey: ROOT_KEY }, { bus: await NatsBus.start(natsUrl, { log: quiet }), jobs: queue, retrainAfterErasureMs: null });
      const otherStore = new PostgresStore({ connectionString: dbUrl, schema, max: 2 });
      other = new Engine(otherStore, { adminKey: ROOT_KEY }, { bus: await NatsBus.start(natsUrl, { log: quiet }), retrainAfterErasureMs: null });
      await api.ingest.putItems(
        'default',
        items(120, (i) => ({ categories: [`c${i % 6}`] })),
      );
      const evs: Array<{ type: string; userId: string; itemId: string }> = [];
      for (let u = 0; u < 400; u++)
        for (let k = 0; k < 20; k++) evs.push({ type: k % 7 === 0 ? 'purchase' : 'view', userId: `u${u}`, itemId: `i${(u * 7 + k * k) % 120}` });
      for (let i = 0; i < evs.length; i += 1000) await api.ingest.postEvents('default', evs.slice(i, i + 1000));
    }, 60_000);

    afterAll(async () => {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
      await queue?.destroy().catch(() => undefined);
      await api?.close();
      await other?.close();
      const admin = new PostgresStore({ connectionString: dbUrl, schema });
      await admin.dropSchema();
      await admin.close();
    });

    it('a worker killed mid-training (kill -9): the job is redelivered, finishes on the other, one result, every node told', async () => {
      const [w1, w2] = await Promise.all([startWorker('w1'), startWorker('w2')]);
      const notices: InvalidationNotice[] = [];
      other.bus?.subscribe((n) => n.kind === 'models' && n.ws === 'default' && notices.push(n));

      // What POST /v1/train does on an API node with a job queue: enqueue, then wait for the record.
      const started = Date.now();
      const training = api.train('default');
      training.catch(() => undefined); // awaited below; a failed assertion before that must not leave it unhandled
      let jobId = '';
      let first: JobRecord | null = null;
      await eventually(20_000)(async () => {
        const docs = await trainJobs();
        expect(docs).toHaveLength(1);
        jobId = docs[0].id;
        first = docs[0].body as unknown as JobRecord;
        expect(first.status).toBe('running');
      });
      const victim = first!.worker === 'w1' ? w1 : w2;
      const survivor = victim === w1 ? w2 : w1;
      victim.child.kill('SIGKILL');
      await new Promise((r) => victim.child.once('exit', r));
      // Killed before it finished: nothing recorded as done.
      expect((await readJob(store, 'default', jobId))?.status).not.toBe('done');
      expect(victim.out.some((l) => l.includes(`job ${jobId} train done`))).toBe(false);

      const infos = await training;
      expect(infos.map((i) => i.name).sort()).toEqual(['cooccurrence', 'hybrid', 'popularity', 'trending']);
      expect(Date.now() - started).toBeGreaterThanOrEqual(ACK_WAIT_S * 1000); // waited for the redelivery
      const rec = await readJob(store, 'default', jobId);
      expect(rec).toMatchObject({ status: 'done', worker: survivor.name, attempt: 2 });
      expect((rec!.result as Array<{ name: string }>).map((r) => r.name).sort()).toEqual(infos.map((i) => i.name).sort());
      // Exactly one job, one result, nothing left on the stream, the models stored in PostgreSQL.
      expect(await trainJobs()).toHaveLength(1);
      expect(survivor.out.filter((l) => l.includes(`job ${jobId} train done`))).toHaveLength(1);
      await eventually(10_000)(async () => expect(await queue.pending()).toBe(0));
      expect((await store.listBlobs('default', 'model:')).length).toBe(4);
      // The worker's bus told the other node to swap the new models in.
      await eventually(5000)(async () => expect(notices.length).toBeGreaterThan(0));
    }, 90_000);

    it('a job no worker takes is reported after the start timeout and stays queued', async () => {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
      const before = await queue.pending();
      const t = enqueueTraining(queue, store, { startTimeoutMs: 300, pollMs: 50 });
      await expect(t('default', {})).rejects.toThrow(/no `afin worker` took it/);
      expect(await queue.pending()).toBe(before + 1);
    }, 30_000);
  });
}
