import { randomBytes } from 'node:crypto';
import type { JobOutcome, JobQueue } from '../bus/job-queue.ts';
import { AfinError } from '../domain/errors.ts';
import type { ModelInfo } from '../recommend/model-store.ts';
import { TrainingFailedError, type FailedModel, type TrainOptions } from '../recommend/train.ts';
import type { Store } from '../store/store.ts';
import { isFinal, readJob, writeJob, type JobRecord } from './job-records.ts';

export interface EnqueueOptions {
  clock?: () => number;
  /** A job no worker has started after this long is reported (it stays queued): default 30 s. */
  startTimeoutMs?: number;
  /** How often the store is read in case the completion notice was missed (default 1 s). */
  pollMs?: number;
}

export const newJobId = (kind: string) => `${kind}-${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;

/**
 * What an API node does instead of training: records the job as queued, puts it on the stream, and
 * waits until a worker records its end (the completion notice, or the store read every `pollMs`).
 * Answers like an in-process training: the stored models' infos, or TrainingFailedError.
 */
export function enqueueTraining(queue: JobQueue, store: Store, o: EnqueueOptions = {}) {
  const clock = o.clock ?? Date.now;
  const startTimeoutMs = o.startTimeoutMs ?? 30_000;
  const pollMs = o.pollMs ?? 1000;
  return async (ws: string, opts: Partial<TrainOptions> = {}): Promise<ModelInfo[]> => {
    const id = newJobId('train');
    const enqueuedAt = clock();
    const args = { ...(opts.models ? { models: opts.models } : {}), ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
    // Recorded before it is on the stream, so that a fast worker's "running" is never overwritten.
    await writeJob(store, ws, id, { kind: 'train', status: 'queued', enqueuedAt });
    let wake: () => void = () => undefined;
    let notice: JobOutcome | null = null;
    const unsubscribe = queue.onOutcome(id, (out) => {
      notice = out;
      wake();
    });
    try {
      await queue.enqueue({ id, kind: 'train', ws, args, enqueuedAt });
      const started = Date.now();
      for (;;) {
        const rec = await readJob(store, ws, id);
        if (isFinal(rec)) return outcomeOf(rec as JobRecord);
        if (notice) {
          // The notice may beat the store's visibility by a moment; the record is the truth.
          const again = await readJob(store, ws, id);
          if (isFinal(again)) return outcomeOf(again as JobRecord);
        }
        if (rec?.status === 'queued' && Date.now() - started > startTimeoutMs)
          throw new AfinError(
            'unavailable',
            `training job ${id} is queued but no \`afin worker\` took it within ${Math.round(startTimeoutMs / 1000)} s: start one (the job stays queued)`,
          );
        await new Promise<void>((r) => {
          const t = setTimeout(r, pollMs);
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
      }
    } finally {
      unsubscribe();
    }
  };
}

function outcomeOf(rec: JobRecord): ModelInfo[] {
  if (rec.status === 'done') return (rec.result as ModelInfo[]) ?? [];
  const d = rec.error?.detail as { trained?: ModelInfo[]; failed?: FailedModel[] } | undefined;
  if (d?.failed?.length) throw new TrainingFailedError(d.trained ?? [], d.failed);
  throw new Error(`training failed: ${rec.error?.message ?? 'unknown error'}`);
}
