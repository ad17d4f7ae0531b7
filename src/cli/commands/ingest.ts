import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { EventStream } from '../../bus/event-stream.ts';
import { Engine } from '../../server/compose.ts';
import { StreamIngester } from '../../worker/stream-ingest.ts';

interface IngestCliOptions {
  from: string;
  subject?: string;
  stream?: string;
  consumer: string;
  deadLetter?: string;
  workspace: string;
  batch: string;
  ackWait: string;
}

export function registerIngest(program: Command) {
  program
    .command('ingest')
    .description('store the events producers publish on a NATS JetStream subject, with the same rules as POST /v1/events (AFIN_NATS_URL)')
    .requiredOption('--from <source>', 'where events come from: nats')
    .option('--subject <subject>', 'the subject producers publish on (wildcards allowed), e.g. shop.events.>')
    .option('--stream <name>', 'the stream to create when none captures the subject yet', 'AFIN_EVENTS')
    .option('--consumer <name>', 'durable consumer shared by every ingester of this subject', 'afin-ingest')
    .option('--dead-letter <subject>', 'republish messages that cannot be stored here, with the reason in the Afin-Reason header (default: drop and log them)')
    .option('--workspace <id>', 'the workspace the events belong to', 'default')
    .option('--batch <n>', 'most messages stored in one transaction', '500')
    .option('--ack-wait <seconds>', "an ingester's messages go to another one after this long without an acknowledgement", '30')
    .action(async (o: IngestCliOptions) => {
      if (o.from !== 'nats') throw new Error(`--from: only nats is supported, got ${o.from}`);
      if (!o.subject) throw new Error('--subject is required with --from nats (e.g. --subject shop.events.>)');
      const batch = Number(o.batch);
      const ackWaitMs = Number(o.ackWait) * 1000;
      if (!(Number.isInteger(batch) && batch >= 1 && batch <= 1000)) throw new Error(`--batch must be a whole number from 1 to 1000, got ${o.batch}`);
      if (!(ackWaitMs >= 1000)) throw new Error(`--ack-wait must be at least 1 second, got ${o.ackWait}`);
      const cfg = loadConfig();
      if (!cfg.natsUrl) throw new Error('afin ingest --from nats needs AFIN_NATS_URL (a NATS server with JetStream)');
      const stream = await EventStream.connect(cfg.natsUrl, {
        subject: o.subject,
        stream: o.stream,
        consumer: o.consumer,
        deadLetter: o.deadLetter,
        batch,
        ackWaitMs,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      // This process only stores events: no job queue; its bus tells the API nodes whose caches to drop.
      const engine = await Engine.open(cfg, { jobs: null });
      if (!(await engine.store.listWorkspaces()).some((w) => w.id === o.workspace)) {
        await stream.close();
        await engine.close();
        throw new Error(`--workspace: no workspace "${o.workspace}" in this store`);
      }
      const ingester = new StreamIngester((ws, body, opts) => engine.ingest.postEvents(ws, body, opts), o.workspace, stream.stream);
      const running = stream.run((b) => ingester.handle(b));
      let closing = false;
      const shutdown = async () => {
        if (closing) return;
        closing = true;
        stream.stop(); // the batch being stored is finished and acknowledged first
        await running.catch(() => undefined);
        await stream.close();
        await engine.close();
        process.stdout.write(`ingest stopped: ${JSON.stringify(ingester.totals)}\n`);
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown());
      process.once('SIGINT', () => void shutdown());
      process.stdout.write(`ingesting ${o.subject} from stream ${stream.stream} (consumer ${stream.consumer}) into workspace ${o.workspace}\n`);
      await running.catch((err: Error) => {
        if (!closing) throw err;
      });
      // The consumer survives reconnections; ending on its own means this process should be restarted.
      if (!closing) throw new Error('the stream consumer ended; restart afin ingest');
    });
}
