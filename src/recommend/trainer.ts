import type { StoreConfig } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import type { ModelInfo } from './model-store.ts';
import { TrainingFailedError, trainModels, type FailedModel, type TrainOptions } from './train.ts';
import { trainInWorker } from './train-in-worker.ts';
import type { WorkspaceState } from './workspace-state.ts';

/**
 * Trains a workspace's models on every stored event and swaps the new ones in. With a store on disk
 * or in PostgreSQL the work runs in a worker thread with its own connection, so the server keeps
 * answering meanwhile; an in-memory store (tests) trains in-process.
 */
export class ModelTrainer {
  constructor(
    private readonly store: Store,
    private readonly state: WorkspaceState,
    readonly clock: () => number,
    /** Where the store lives, for the worker thread; absent: train in this thread. */
    private readonly storeConfig?: StoreConfig,
    /** Told of the models that failed (the composition root writes them to the audit log). */
    private readonly onFailed: (ws: string, failed: FailedModel[], at: number) => Promise<void> = async () => {},
    /** With a job queue: hands the training to `afin worker` and waits for it (the worker audits failures). */
    private readonly remote?: (ws: string, opts: Partial<TrainOptions>) => Promise<ModelInfo[]>,
  ) {}

  async train(ws: string, opts: Partial<TrainOptions> = {}): Promise<ModelInfo[]> {
    const now = this.clock();
    try {
      if (this.remote) return await this.remote(ws, opts);
      return this.storeConfig
        ? await trainInWorker({ store: this.storeConfig, workspace: ws, models: opts.models, now, seed: opts.seed }, opts.onProgress)
        : await trainModels(this.store, ws, { now, ...opts });
    } catch (e) {
      if (e instanceof TrainingFailedError && !this.remote) await this.onFailed(ws, e.failed, now);
      throw e;
    } finally {
      // Even when some models failed, the others were stored: serve them.
      this.state.invalidate(ws, 'models');
    }
  }
}
