import { afterEach, beforeEach, expect, it } from 'vitest';
import { WorkspacePrivacySettings } from '../../src/privacy/workspace-settings.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';

/** A workspace's privacy settings straight on an in-memory store: how often consent checks read it. */
const WS = 'shop';
let now = 1_000_000;
const clock = () => now;
let store: SqliteStore;
const deployment = {
  consentDefaults: { personalization: true, profiling: true, marketing: false, chatMemory: true },
  retention: { eventMaxAgeDays: 365, auditMaxAgeDays: 730 },
};

beforeEach(async () => {
  now = 1_000_000;
  store = new SqliteStore(':memory:');
  await store.migrate();
});
afterEach(async () => {
  await store.close();
});

/** The store, counting reads of documents; `fail` makes them fail. */
function counted() {
  const c = { reads: 0, fail: false };
  const s = new Proxy(store, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (prop === 'getDoc') {
          c.reads++;
          if (c.fail) return Promise.reject(new Error('down'));
        }
        return v.apply(t, args);
      };
    },
  }) as Store;
  return { c, s };
}

it('answers a burst of consent checks with one read, cold and once the cache is a second old', async () => {
  await new WorkspacePrivacySettings(store, deployment, clock).save(WS, { consentDefaults: { marketing: 'opt-out' } });
  const { c, s } = counted();
  const settings = new WorkspacePrivacySettings(s, deployment, clock);
  const burst = () => Promise.all(Array.from({ length: 300 }, () => settings.consentDefaults(WS)));
  for (const d of await burst()) expect(d.marketing).toBe(true);
  expect(c.reads).toBe(1);
  now += 999;
  await burst();
  expect(c.reads).toBe(1);
  now += 1;
  await burst();
  expect(c.reads).toBe(2);
});

it('forgets a failed read, so the next check tries again', async () => {
  const { c, s } = counted();
  const settings = new WorkspacePrivacySettings(s, deployment, clock);
  c.fail = true;
  await expect(settings.consentDefaults(WS)).rejects.toThrow('down');
  c.fail = false;
  expect((await settings.consentDefaults(WS)).marketing).toBe(false);
  expect(c.reads).toBe(2);
});

it('sees its own save at once', async () => {
  const settings = new WorkspacePrivacySettings(store, deployment, clock);
  expect((await settings.retention(WS)).eventMaxAgeDays).toBe(365);
  await settings.save(WS, { retention: { eventMaxAgeDays: 30 } });
  expect((await settings.retention(WS)).eventMaxAgeDays).toBe(30);
});
