import type { Store } from '../store/store.ts';

/** Where jobs are recorded, in the workspace they concern (jobs over every workspace: `default`). */
export const JOB_COLLECTION = 'jobs';
export const CLUSTER_WS = 'default';

export type JobStatus = 'queued' | 'running' | 'retrying' | 'done' | 'failed';

/** A job's record in the store: what any node (or an operator) reads about it. */
export interface JobRecord {
  kind: string;
  status: JobStatus;
  enqueuedAt: number;
  /** The delivery being (or last) run: above 1 after a worker died or failed mid-job. */
  attempt?: number;
  worker?: string;
  startedAt?: number;
  finishedAt?: number;
  progress?: { stage: string; fraction: number };
  result?: unknown;
  error?: { message: string; code?: string; detail?: unknown };
}

export const recordWs = (ws: string) => (ws === '*' ? CLUSTER_WS : ws);

export async function writeJob(store: Store, ws: string, id: string, rec: JobRecord): Promise<void> {
  await store.putDocs(recordWs(ws), [{ collection: JOB_COLLECTION, id, subject: null, body: { ...rec }, createdAt: rec.enqueuedAt }]);
}

export async function readJob(store: Store, ws: string, id: string): Promise<JobRecord | null> {
  const d = await store.getDoc(recordWs(ws), JOB_COLLECTION, id);
  return d ? (d.body as unknown as JobRecord) : null;
}

export const isFinal = (r: JobRecord | null) => r?.status === 'done' || r?.status === 'failed';
