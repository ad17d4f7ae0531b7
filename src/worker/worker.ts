import type { JobContext, JobMessage, JobOutcome, JobQueue, JobVerdict } from '../bus/job-queue.ts';
import type { ModelInfo } from '../recommend/model-store.ts';
import { TrainingFailedError, type TrainOptions } from '../recommend/train.ts';
import type { Store } from '../store/store.ts';
import { newJobId } from './enqueue-training.ts';
import { isFinal, JOB_COLLECTION, readJob, writeJob, type JobRecord } from './job-records.ts';

/** How long job records stay in the store. */
export const JOB_RECORD_DAYS = 30;

/** What a worker runs, given by the composition root (the CLI wires an Engine in). */
export interface WorkerPorts {
  store: Store;
  /** Trains in this process (a worker thread) and swaps the models in on every node (the models notice). */
  train(ws: string, opts: Partial<TrainOptions>): Promise<ModelInfo[]>;
  /** One retention sweep over every workspace. */
  retention(): Promise<unknown>;
  clock?: () => number;
}

export interface WorkerOptions {
  /** Names this worker in job records and logs. */
  name: string;
  /** How often retention is enqueued (once per slot across all workers); null: never. */
  retentionIntervalMs?: number | null;
  log?: (line: string) => void;
}

/**
 * `afin worker`: takes jobs off the stream one at a time and records each one's progress and result in
 * the store. A delivery of a job that already has a final record (a redelivery after the ack was lost)
 * is acknowledged without running; a result is recorded only by the worker that wins the job's fence,
 * so two workers that both ran a job (one was presumed dead) still leave one result.
 */
export class JobWorker {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private schedTimer: NodeJS.Timeout | null = null;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  /** Jobs this worker finished (tests, logs). */
  completed = 0;

  constructor(
    private readonly queue: JobQueue,
    private readonly ports: WorkerPorts,
    private readonly opts: WorkerOptions,
  ) {
    this.clock = ports.clock ?? Date.now;
    this.log = opts.log ?? ((l) => process.stdout.write(`${l}\n`));
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.queue.work((job, ctx) => this.handle(job, ctx), this.abort.signal);
    const every = this.opts.retentionIntervalMs;
    if (every) {
      const tick = () => void this.schedule('retention', every).catch((e) => this.log(`scheduling retention failed: ${String(e)}`));
      this.schedTimer = setInterval(tick, Math.min(every, 60_000));
      this.schedTimer.unref();
      tick();
    }
  }

  /** Enqueues `kind` once per interval slot, whichever worker gets there first. */
  async schedule(kind: string, intervalMs: number): Promise<boolean> {
    const slot = Math.floor(this.clock() / intervalMs);
    if (!(await this.queue.claimOnce(`sched.${kind}.${intervalMs}.${slot}`))) return false;
    const id = newJobId(kind);
    const enqueuedAt = this.clock();
    await writeJob(this.ports.store, '*', id, { kind, status: 'queued', enqueuedAt });
    await this.queue.enqueue({ id, kind, ws: '*', args: {}, enqueuedAt });
    return true;
  }

  /** Stops taking jobs; resolves once the running one (if any) has ended. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.schedTimer) clearInterval(this.schedTimer);
    await this.loop?.catch(() => undefined);
  }

  private async handle(job: JobMessage, ctx: JobContext): Promise<JobVerdict> {
    const { store } = this.ports;
    const prior = await readJob(store, job.ws, job.id);
    if (isFinal(prior)) return 'ack';
    const base: JobRecord = {
      kind: job.kind,
      enqueuedAt: job.enqueuedAt,
      status: 'running',
      attempt: ctx.attempt,
      worker: this.opts.name,
      startedAt: this.clock(),
    };
    await writeJob(store, job.ws, job.id, base);
    this.log(`job ${job.id} ${job.kind} started (attempt ${ctx.attempt})`);
    // Progress is written at most once a second, in order, and always before the final record.
    let writes: Promise<void> = Promise.resolve();
    let lastWrite = 0;
    const onProgress = (stage: string, fraction: number) => {
      const now = Date.now();
      if (now - lastWrite < 1000) return;
      lastWrite = now;
      writes = writes.then(() => writeJob(store, job.ws, job.id, { ...base, progress: { stage, fraction } }).catch(() => undefined));
    };
    try {
      const result = await this.run(job, onProgress);
      await writes;
      return await this.finish(job, { ...base, status: 'done', finishedAt: this.clock(), result }, 'ack');
    } catch (e) {
      await writes;
      const error = errorOf(e);
      // A model that cannot be trained on this data fails the same way again: no retry.
      if (e instanceof TrainingFailedError || e instanceof UnknownJobError || ctx.last)
        return this.finish(job, { ...base, status: 'failed', finishedAt: this.clock(), error }, e instanceof TrainingFailedError ? 'ack' : 'drop');
      await writeJob(store, job.ws, job.id, { ...base, status: 'retrying', error }).catch(() => undefined);
      this.log(`job ${job.id} ${job.kind} failed, will be retried: ${error.message}`);
      return 'retry';
    }
  }

  private async run(job: JobMessage, onProgress: (stage: string, fraction: number) => void): Promise<unknown> {
    if (job.kind === 'train') {
      const a = job.args as { models?: string[]; seed?: number };
      const infos = await this.ports.train(job.ws, { models: a.models, seed: a.seed, onProgress });
      return infos;
    }
    if (job.kind === 'retention') {
      const swept = await this.ports.retention();
      // Job records are kept JOB_RECORD_DAYS, long enough to see what ran and why it failed.
      const cutoff = this.clock() - JOB_RECORD_DAYS * 86_400_000;
      let jobs = 0;
      for (const w of await this.ports.store.listWorkspaces()) jobs += await this.ports.store.deleteDocsBefore(w.id, JOB_COLLECTION, cutoff);
      return { ...(swept as object), jobRecords: jobs };
    }
    throw new UnknownJobError(job.kind);
  }

  private async finish(job: JobMessage, rec: JobRecord, verdict: JobVerdict): Promise<JobVerdict> {
    if (await this.queue.claimOnce(`done.${job.id}`)) {
      await writeJob(this.ports.store, job.ws, job.id, rec);
      const outcome: JobOutcome = { id: job.id, status: rec.status === 'done' ? 'done' : 'failed', ...(rec.error ? { error: rec.error } : {}) };
      this.queue.announce(outcome);
      this.completed++;
      this.log(`job ${job.id} ${job.kind} ${rec.status} in ${(((rec.finishedAt ?? 0) - (rec.startedAt ?? 0)) / 1000).toFixed(1)} s`);
    } else {
      this.log(`job ${job.id} ${job.kind} ended here too, but another worker recorded its result first`);
    }
    return verdict;
  }
}

/** A job this version does not know (a newer API node sent it): never retried here. */
class UnknownJobError extends Error {
  constructor(kind: string) {
    super(`unknown job kind "${kind}"`);
  }
}

function errorOf(e: unknown): NonNullable<JobRecord['error']> {
  if (e instanceof TrainingFailedError) return { message: e.message, code: e.code, detail: { trained: e.trained, failed: e.failed } };
  return { message: e instanceof Error ? e.message : String(e) };
}
