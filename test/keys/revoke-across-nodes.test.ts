import { expect, it } from 'vitest';
import { LocalBus, LocalHub } from '../../src/bus/bus.ts';
import { KeyService } from '../../src/keys/key-service.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

it('a key revoked on one node stops working on the others at once when a bus connects them', async () => {
  const store = new SqliteStore(':memory:');
  await store.migrate();
  const hub = new LocalHub();
  const a = new KeyService(store, undefined, Date.now, new LocalBus(hub));
  const b = new KeyService(store, undefined, Date.now, new LocalBus(hub));
  const lone = new KeyService(store); // no bus: trusts its cache for a few seconds
  const k = await a.create('default', { scope: 'server' });
  expect((await b.authenticate(k.key, undefined)).keyId).toBe(k.id);
  expect((await lone.authenticate(k.key, undefined)).keyId).toBe(k.id);
  expect(await a.revoke('default', k.id)).toBe(true);
  await expect(b.authenticate(k.key, undefined)).rejects.toMatchObject({ code: 'unauthorized' });
  // The control: without the notice, the cached key still passes.
  expect((await lone.authenticate(k.key, undefined)).keyId).toBe(k.id);
  await store.close();
});
