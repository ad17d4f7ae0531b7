import { describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../src/domain/schemas.ts';
import { storedId } from '../../src/domain/subjects.ts';
import { IngestService } from '../../src/ingest/ingest-service.ts';
import { ConsentService, DEFAULT_CONSENT } from '../../src/privacy/consent.ts';
import { WorkspaceState } from '../../src/recommend/workspace-state.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * The ingest path asks consent once per batch (issue 13): ConsentService.allowing reads every history of
 * the batch in one store call and must answer, person by person, exactly what `allows` answers; the
 * ingest service then profiles only the people it returned.
 */
const NOW = Date.UTC(2026, 0, 15, 12);

/** Counts the store's calls by method name, passing everything through. */
function counted(target: Store) {
  const calls = new Map<string, number>();
  const store = new Proxy(target, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return v.apply(t, args);
      };
    },
  }) as Store;
  return { store, calls };
}

const change = (at: number, purposes: ConsentChange['purposes']): ConsentChange => ({ purposes, source: 'test', policyVersion: null, at });

async function seeded() {
  const raw = new SqliteStore(':memory:');
  await raw.migrate();
  for (const ws of ['shop', 'optin']) {
    await raw.appendConsent(ws, 'gave', change(1, { profiling: true }));
    await raw.appendConsent(ws, 'withdrew', change(1, { profiling: true }));
    await raw.appendConsent(ws, 'withdrew', change(2, { profiling: false }));
    await raw.appendConsent(ws, 'said-no-then-yes', change(1, { profiling: false }));
    await raw.appendConsent(ws, 'said-no-then-yes', change(2, { marketing: true, profiling: true }));
    await raw.appendConsent(ws, 'other-purpose', change(1, { marketing: true }));
    await raw.appendConsent(ws, 'anon:v-no', change(1, { profiling: false }));
    await raw.appendConsent(ws, 'erased', change(1, { profiling: true }));
    // An id with a lone surrogate (a valid JSON escape a client can send) who said no.
    await raw.appendConsent(ws, 'lone \ud800', change(1, { profiling: false }));
  }
  // Another workspace's "no" does not count here.
  await raw.appendConsent('elsewhere', 'never-asked', change(1, { profiling: false }));
  return raw;
}

const SUBJECTS = ['gave', 'withdrew', 'said-no-then-yes', 'other-purpose', 'never-asked', 'anon:v-no', 'anon:v-free', 'erased', 'erased-anon'];

describe('ConsentService.allowing', () => {
  it('answers for every person what allows answers, with the opt-out and the opt-in default, in one store read', async () => {
    const raw = await seeded();
    const { store, calls } = counted(raw);
    const consent = new ConsentService(
      store,
      DEFAULT_CONSENT,
      () => NOW,
      async (_ws, s) => s === 'erased' || s === 'erased-anon',
    );
    // Workspace `optin` has profiling off by default; `shop` has the deployment's default (on).
    consent.useWorkspaceDefaults(async (ws) => (ws === 'optin' ? { ...DEFAULT_CONSENT, profiling: false } : DEFAULT_CONSENT));
    for (const ws of ['shop', 'optin']) {
      calls.clear();
      const batch = await consent.allowing(ws, SUBJECTS, 'profiling');
      expect(calls.get('consentHistories')).toBe(1);
      expect(calls.get('consentHistory')).toBeUndefined();
      const one: string[] = [];
      for (const s of SUBJECTS) if (await consent.allows(ws, s, 'profiling')) one.push(s);
      expect([...batch].sort(), ws).toEqual(one.sort());
    }
    // The answers themselves, so that both paths being wrong the same way fails too.
    expect([...(await consent.allowing('shop', SUBJECTS, 'profiling'))].sort()).toEqual([
      'anon:v-free',
      'gave',
      'never-asked',
      'other-purpose',
      'said-no-then-yes',
    ]);
    expect([...(await consent.allowing('optin', SUBJECTS, 'profiling'))].sort()).toEqual(['gave', 'said-no-then-yes']);
    expect([...(await consent.allowing('shop', SUBJECTS, 'marketing'))].sort()).toEqual(['other-purpose', 'said-no-then-yes']);
  });
});

describe('ingest with a per-batch profiling gate', () => {
  it('asks once per batch for the distinct people, never per person, and profiles only those allowed', async () => {
    const raw = await seeded();
    const state = new WorkspaceState(raw, 0, () => NOW);
    const consent = new ConsentService(
      raw,
      DEFAULT_CONSENT,
      () => NOW,
      async (_ws, s) => s === 'erased',
    );
    const asked: string[][] = [];
    let perPerson = 0;
    const ingest = new IngestService(
      raw,
      state,
      () => NOW,
      async () => {
        perPerson++;
        return true;
      },
      async () => () => false,
      async (ws, subjects) => {
        asked.push([...subjects]);
        return consent.allowing(ws, subjects, 'profiling');
      },
    );
    const people = ['gave', 'withdrew', 'never-asked', 'said-no-then-yes', 'erased', 'lone \ud800'];
    const events: Array<Record<string, unknown>> = people.flatMap((userId, i) => [
      { type: 'view', userId, itemId: 'i1', timestamp: NOW - 1000 * (i + 1) },
      { type: 'click', userId, itemId: 'i2', timestamp: NOW - 500 * (i + 1) },
    ]);
    events.push({ type: 'view', anonymousId: 'v-no', itemId: 'i1', timestamp: NOW - 10 });
    const r = await ingest.postEvents('shop', events);
    expect(r.accepted).toBe(13);
    expect(perPerson).toBe(0);
    expect(asked).toHaveLength(1);
    // The subjects as stored: the lone surrogate as U+FFFD (see storedId).
    expect(asked[0].sort()).toEqual([...people.map(storedId), 'anon:v-no'].sort());
    expect(asked[0]).toContain('lone \ufffd');
    const counts = async (s: string) => {
      const p = (await raw.getProfile('shop', s)) as { events: Record<string, { count: number }> } | null;
      return p && Object.values(p.events).reduce((a, c) => a + c.count, 0);
    };
    expect(await counts('gave')).toBe(2);
    expect(await counts('never-asked')).toBe(2);
    expect(await counts('said-no-then-yes')).toBe(2);
    expect(await counts('withdrew')).toBeNull();
    expect(await counts('erased')).toBeNull();
    expect(await counts('lone \ud800')).toBeNull();
    expect(await counts('anon:v-no')).toBeNull();
  });
});
