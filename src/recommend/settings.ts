import type { EventType } from '../domain/schemas.ts';
import { DEFAULT_EVENT_WEIGHTS } from '../domain/weights.ts';
import type { Store } from '../store/store.ts';
import { RankingSettings, type RankingSettingsT } from './rules.ts';

export const RANKING_DOC = { collection: 'settings', id: 'ranking' } as const;

/** The stored ranking settings (empty when never set: the defaults apply). */
export async function loadRankingSettings(store: Store, ws: string): Promise<RankingSettingsT> {
  const doc = await store.getDoc(ws, RANKING_DOC.collection, RANKING_DOC.id);
  const r = RankingSettings.safeParse(doc?.body ?? {});
  return r.success ? r.data : {};
}

export async function saveRankingSettings(store: Store, ws: string, s: RankingSettingsT, at: number): Promise<void> {
  await store.putDocs(ws, [{ ...RANKING_DOC, subject: null, createdAt: at, body: s as Record<string, unknown> }]);
  await store.bumpCounter(ws, 'settings');
}

/** The event weights in force: the defaults with the workspace's own on top. */
export function eventWeightsOf(s: RankingSettingsT): Record<EventType, number> {
  return { ...DEFAULT_EVENT_WEIGHTS, ...(s.eventWeights ?? {}) };
}
