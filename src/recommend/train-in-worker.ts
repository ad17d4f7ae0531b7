import { Worker } from 'node:worker_threads';
import type { ModelInfo } from './model-store.ts';
import { TrainingFailedError } from './train.ts';
import type { TrainJob, TrainMessage } from './train-worker.ts';

/** Runs a training job in a worker thread, relaying progress; resolves with the stored models. */
export function trainInWorker(job: TrainJob, onProgress?: (stage: string, fraction: number) => void): Promise<ModelInfo[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./train-worker-entry.mjs', import.meta.url), { workerData: job });
    let settled = false;
    worker.on('message', (m: TrainMessage) => {
      if (m.kind === 'progress') onProgress?.(m.stage, m.fraction);
      else if (m.kind === 'done') {
        settled = true;
        resolve(m.infos);
      } else {
        settled = true;
        reject(m.failed ? new TrainingFailedError(m.trained ?? [], m.failed) : new Error(`training failed: ${m.message}`));
      }
    });
    worker.on('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`training worker exited with code ${code}`));
    });
  });
}
