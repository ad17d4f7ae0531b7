import { parentPort, workerData } from 'node:worker_threads';
import { openStore, type StoreConfig } from '../store/open-store.ts';
import { TrainingFailedError, trainModels, type FailedModel } from './train.ts';

/** What the main thread asks of a training worker. */
export interface TrainJob {
  store: StoreConfig;
  workspace: string;
  models?: string[];
  now: number;
  seed?: number;
}

export type TrainMessage =
  | { kind: 'progress'; stage: string; fraction: number }
  | { kind: 'done'; infos: Awaited<ReturnType<typeof trainModels>> }
  | { kind: 'error'; message: string; trained?: Awaited<ReturnType<typeof trainModels>>; failed?: FailedModel[] };

// Training runs off the request path: its own thread with its own store connection. The models it
// stores are picked up by every node from the store.
const job = workerData as TrainJob;
const post = (m: TrainMessage) => parentPort!.postMessage(m);
try {
  const store = await openStore(job.store);
  try {
    let last = 0;
    const infos = await trainModels(store, job.workspace, {
      models: job.models,
      now: job.now,
      seed: job.seed,
      onProgress: (stage, fraction) => {
        const t = Date.now();
        if (t - last > 100 || fraction >= 1) {
          last = t;
          post({ kind: 'progress', stage, fraction });
        }
      },
    });
    post({ kind: 'done', infos });
  } finally {
    await store.close();
  }
} catch (err) {
  // Per-model failures cross the thread boundary as data, so the caller can rebuild the same error.
  if (err instanceof TrainingFailedError) post({ kind: 'error', message: err.message, trained: err.trained, failed: err.failed });
  else post({ kind: 'error', message: (err as Error).message });
}
