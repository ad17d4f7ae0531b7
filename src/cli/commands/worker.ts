import type { Command } from 'commander';
import { hostname } from 'node:os';
import { loadConfig } from '../../config.ts';
import { JobQueue } from '../../bus/job-queue.ts';
import { Engine } from '../../server/compose.ts';
import { JobWorker } from '../../worker/worker.ts';

interface WorkerCliOptions {
  name?: string;
  queue: string;
  ackWait: string;
  maxDeliver: string;
}

export function registerWorker(program: Command) {
  program
    .command('worker')
    .description('run training and scheduled jobs (retention) from the NATS JetStream queue (AFIN_NATS_URL, AFIN_DATABASE_URL)')
    .option('--name <name>', 'this worker in job records and logs (default: host and process id)')
    .option('--queue <prefix>', 'stream and subject prefix shared with the API nodes', 'afin')
    .option('--ack-wait <seconds>', 'a job whose worker sends no heartbeat for this long goes to another worker', '30')
    .option('--max-deliver <n>', 'attempts before a job is recorded as failed', '5')
    .action(async (o: WorkerCliOptions) => {
      const cfg = loadConfig();
      if (!cfg.natsUrl) throw new Error('afin worker needs AFIN_NATS_URL (a NATS server with JetStream)');
      const ackWaitMs = Number(o.ackWait) * 1000;
      const maxDeliver = Number(o.maxDeliver);
      if (!(ackWaitMs >= 1000)) throw new Error(`--ack-wait must be at least 1 second, got ${o.ackWait}`);
      if (!(Number.isInteger(maxDeliver) && maxDeliver >= 1)) throw new Error(`--max-deliver must be a whole number from 1, got ${o.maxDeliver}`);
      const queue = await JobQueue.connect(cfg.natsUrl, { prefix: o.queue, ackWaitMs, maxDeliver, worker: true });
      // This process runs the jobs itself (jobs: null); its bus tells every node to load the new models.
      const engine = await Engine.open(cfg, { jobs: null });
      const name = o.name ?? `${hostname()}-${process.pid}`;
      const worker = new JobWorker(
        queue,
        { store: engine.store, train: (ws, opts) => engine.train(ws, opts), retention: () => engine.privacy.retention.run(), clock: engine.clock },
        { name, retentionIntervalMs: cfg.retention.intervalMs },
      );
      let closing = false;
      const shutdown = async () => {
        if (closing) return;
        closing = true;
        process.stdout.write(`worker ${name} draining\n`);
        await worker.stop(); // the running job ends and is acknowledged first
        await queue.close();
        await engine.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown());
      process.once('SIGINT', () => void shutdown());
      worker.start();
      process.stdout.write(`worker ${name} taking jobs from stream ${queue.stream}\n`);
    });
}
