import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfinError } from '../../src/domain/errors.ts';
import type { InvalidationBus, InvalidationNotice, NoticeHandler } from '../../src/bus/bus.ts';
import { hashKey, KeyService } from '../../src/keys/key-service.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * API keys straight on a SQLite store, without the HTTP app: creation, settings, listing, revocation,
 * the 5-second cache, last-use recording and the Afin-Workspace rule. Fast enough to run against every
 * mutant of src/keys/key-service.ts (issue 11, mutation testing); the HTTP tests cover the wiring.
 */
let dir: string;
let store: SqliteStore;
let now = Date.UTC(2026, 0, 15, 12);
const clock = () => now;
let wsCount = 0;
/** A fresh workspace per test, so tests sharing the store never see each other's keys. */
const freshWs = () => `ws${++wsCount}`;
const START_OF_WORKSPACES = Date.UTC(2026, 1, 1);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'afin-keys-'));
  store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A bus that records what is published and lets the test deliver notices from "another node". */
class RecordingBus implements InvalidationBus {
  readonly origin = 'test';
  readonly connected = true;
  readonly published: Omit<InvalidationNotice, 'origin'>[] = [];
  private readonly handlers: NoticeHandler[] = [];
  publish(notice: Omit<InvalidationNotice, 'origin'>): void {
    this.published.push(notice);
  }
  subscribe(handler: NoticeHandler): void {
    this.handlers.push(handler);
  }
  deliver(notice: Omit<InvalidationNotice, 'origin'>): void {
    for (const h of this.handlers) h({ ...notice, origin: 'other-node' });
  }
  async close(): Promise<void> {}
}

/** The AfinError a call rejects with (fails the test if it resolves or throws anything else). */
async function afinError(p: Promise<unknown>): Promise<AfinError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AfinError);
  return e as AfinError;
}

/** Wraps the store so one method can be swapped out. */
function withMethod<K extends keyof Store>(name: K, impl: Store[K]): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === name) return impl;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as Store;
}

describe('KeyService.create', () => {
  it('returns the secret once, with its scope, name and creation time, and stores only its SHA-256 hash', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const k = await keys.create(ws, { scope: 'server', name: 'backend' });
    expect(k.key).toMatch(/^afin_server_[A-Za-z0-9_-]{43}$/);
    expect(k.id).toMatch(/^key_[A-Za-z0-9_-]{12}$/);
    expect(k).toEqual({
      id: k.id,
      key: k.key,
      scope: 'server',
      workspace: ws,
      name: 'backend',
      createdAt: new Date(now).toISOString(),
      allowedOrigins: null,
      rateLimit: null,
      requireUserToken: false,
    });
    const [stored] = await store.listKeys(ws);
    expect(stored).toEqual({ id: k.id, workspace: ws, scope: 'server', name: 'backend', hash: hashKey(k.key), root: false, createdAt: now, lastUsedAt: null });
    expect(hashKey(k.key)).toMatch(/^[0-9a-f]{64}$/);
    // A key with default settings stores no settings document.
    expect(await store.getDoc(ws, 'key-settings', k.id)).toBeNull();
  });

  it('gives each key its own secret and id, and a key without a name a null name', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const a = await keys.create(ws, { scope: 'public' });
    const b = await keys.create(ws, { scope: 'public' });
    expect(a.name).toBeNull();
    expect(a.key).toMatch(/^afin_public_/);
    expect(a.key).not.toBe(b.key);
    expect(a.id).not.toBe(b.id);
    expect((await store.listKeys(ws)).map((k) => k.name)).toEqual([null, null]);
  });

  it('refuses a body that is not valid, naming the field', async () => {
    const keys = new KeyService(store, undefined, clock);
    const e = await afinError(keys.create(freshWs(), { scope: 'owner' }));
    expect(e).toMatchObject({ code: 'invalid_body', field: 'scope' });
  });

  it('stores each non-default setting beside the key, each one alone enough to store them', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const cases = [{ allowedOrigins: ['https://shop.example'] }, { rateLimit: 7 }, { requireUserToken: true }];
    for (const settings of cases) {
      const k = await keys.create(ws, { scope: 'public', ...settings });
      const expected = { allowedOrigins: null, rateLimit: null, requireUserToken: false, ...settings };
      expect(k).toMatchObject(expected);
      const doc = await store.getDoc(ws, 'key-settings', k.id);
      expect(doc).toEqual({ collection: 'key-settings', id: k.id, subject: null, body: expected, createdAt: now });
    }
    // An explicit false is the default: nothing to store.
    const plain = await keys.create(ws, { scope: 'public', requireUserToken: false });
    expect(plain.requireUserToken).toBe(false);
    expect(await store.getDoc(ws, 'key-settings', plain.id)).toBeNull();
  });
});

describe('KeyService.updateSettings', () => {
  it('changes only the settings named, clears one with null, and answers the whole result', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const k = await keys.create(ws, { scope: 'public', allowedOrigins: ['https://a.example'], rateLimit: 5, requireUserToken: true });
    expect(await keys.updateSettings(ws, k.id, { rateLimit: 9 })).toEqual({
      id: k.id,
      allowedOrigins: ['https://a.example'],
      rateLimit: 9,
      requireUserToken: true,
    });
    expect(await keys.updateSettings(ws, k.id, { allowedOrigins: ['https://b.example'] })).toEqual({
      id: k.id,
      allowedOrigins: ['https://b.example'],
      rateLimit: 9,
      requireUserToken: true,
    });
    expect(await keys.updateSettings(ws, k.id, { requireUserToken: false })).toEqual({
      id: k.id,
      allowedOrigins: ['https://b.example'],
      rateLimit: 9,
      requireUserToken: false,
    });
    expect(await keys.updateSettings(ws, k.id, { allowedOrigins: null, rateLimit: null })).toEqual({
      id: k.id,
      allowedOrigins: null,
      rateLimit: null,
      requireUserToken: false,
    });
    expect(await keys.updateSettings(ws, k.id, {})).toEqual({ id: k.id, allowedOrigins: null, rateLimit: null, requireUserToken: false });
    expect((await store.getDoc(ws, 'key-settings', k.id))?.body).toEqual({ allowedOrigins: null, rateLimit: null, requireUserToken: false });
  });

  it('starts from the defaults for a key that had no settings', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const k = await keys.create(ws, { scope: 'server' });
    expect(await keys.updateSettings(ws, k.id, { requireUserToken: true })).toEqual({
      id: k.id,
      allowedOrigins: null,
      rateLimit: null,
      requireUserToken: true,
    });
    expect(await store.getDoc(ws, 'key-settings', k.id)).toMatchObject({
      subject: null,
      createdAt: now,
      body: { allowedOrigins: null, rateLimit: null, requireUserToken: true },
    });
  });

  it('answers null for an unknown key or a key of another workspace, and changes nothing', async () => {
    const ws = freshWs();
    const other = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const k = await keys.create(ws, { scope: 'public' });
    await keys.create(other, { scope: 'public' });
    const second = await keys.create(ws, { scope: 'server' });
    expect(await keys.updateSettings(ws, 'key_nope', { rateLimit: 1 })).toBeNull();
    // Any key of the workspace may be changed, not only when it is the only one.
    expect(await keys.updateSettings(ws, second.id, { rateLimit: 2 })).toMatchObject({ id: second.id, rateLimit: 2 });
    expect(await keys.updateSettings(other, k.id, { rateLimit: 1 })).toBeNull();
    expect(await store.getDoc(other, 'key-settings', k.id)).toBeNull();
    expect(await store.getDoc(ws, 'key-settings', k.id)).toBeNull();
  });

  it('refuses an invalid body', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const k = await keys.create(ws, { scope: 'public' });
    expect(await afinError(keys.updateSettings(ws, k.id, { rateLimit: -1 }))).toMatchObject({ code: 'invalid_body', field: 'rateLimit' });
  });

  it('takes effect at once on this node, and tells the other nodes', async () => {
    const ws = freshWs();
    const bus = new RecordingBus();
    const keys = new KeyService(store, undefined, clock, bus);
    const k = await keys.create(ws, { scope: 'public' });
    expect((await keys.authenticate(k.key, undefined)).rateLimit).toBeNull(); // now cached
    await keys.updateSettings(ws, k.id, { rateLimit: 3 });
    expect((await keys.authenticate(k.key, undefined)).rateLimit).toBe(3);
    expect(bus.published).toEqual([{ ws, kind: 'keys' }]);
  });
});

describe('KeyService.list', () => {
  it('lists the keys of one workspace with their settings and last use, never the secret or hash', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const a = await keys.create(ws, { scope: 'public', name: 'web', allowedOrigins: ['https://shop.example'], rateLimit: 50, requireUserToken: true });
    now += 1000;
    const b = await keys.create(ws, { scope: 'admin' });
    await keys.create(freshWs(), { scope: 'public' });
    await store.touchKey(b.id, now + 5);
    expect(await keys.list(ws)).toEqual([
      {
        id: a.id,
        scope: 'public',
        name: 'web',
        workspace: ws,
        root: false,
        createdAt: new Date(now - 1000).toISOString(),
        lastUsedAt: null,
        allowedOrigins: ['https://shop.example'],
        rateLimit: 50,
        requireUserToken: true,
      },
      {
        id: b.id,
        scope: 'admin',
        name: null,
        workspace: ws,
        root: false,
        createdAt: new Date(now).toISOString(),
        lastUsedAt: new Date(now + 5).toISOString(),
        allowedOrigins: null,
        rateLimit: null,
        requireUserToken: false,
      },
    ]);
  });

  it('reads only a stored true as requiring a user token', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const k = await keys.create(ws, { scope: 'public', rateLimit: 2 });
    await store.putDocs(ws, [{ collection: 'key-settings', id: k.id, subject: null, body: { requireUserToken: 'yes' }, createdAt: now }]);
    expect((await keys.list(ws))[0]).toMatchObject({ allowedOrigins: null, rateLimit: null, requireUserToken: false });
  });

  it('finds the settings of every key, beyond the store’s default page of documents', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const n = 1001;
    const ids = Array.from({ length: n }, (_, i) => `key_${String(i).padStart(5, '0')}`);
    for (const [i, id] of ids.entries())
      await store.insertKey({ id, workspace: ws, scope: 'public', name: null, hash: `h-${ws}-${i}`, root: false, createdAt: now + i, lastUsedAt: null });
    await store.putDocs(
      ws,
      ids.map((id, i) => ({
        collection: 'key-settings',
        id,
        subject: null,
        body: { rateLimit: 1, allowedOrigins: null, requireUserToken: false },
        createdAt: now + i,
      })),
    );
    const listed = await keys.list(ws);
    expect(listed).toHaveLength(n);
    expect(listed.filter((k) => k.rateLimit === 1)).toHaveLength(n);
  });
});

describe('KeyService.revoke', () => {
  it('removes the key and its settings, and the key stops working at once on this node', async () => {
    const ws = freshWs();
    const bus = new RecordingBus();
    const keys = new KeyService(store, undefined, clock, bus);
    const k = await keys.create(ws, { scope: 'public', rateLimit: 4 });
    await keys.authenticate(k.key, undefined); // cached
    expect(await keys.revoke(ws, k.id)).toBe(true);
    expect(await store.listKeys(ws)).toEqual([]);
    expect(await store.getDoc(ws, 'key-settings', k.id)).toBeNull();
    expect(await afinError(keys.authenticate(k.key, undefined))).toMatchObject({ code: 'unauthorized' });
    expect(bus.published).toEqual([{ ws, kind: 'keys' }]);
  });

  it('answers false for an unknown key or one of another workspace, touching nothing and telling no one', async () => {
    const ws = freshWs();
    const other = freshWs();
    const bus = new RecordingBus();
    const keys = new KeyService(store, undefined, clock, bus);
    const k = await keys.create(ws, { scope: 'public', rateLimit: 4 });
    expect(await keys.revoke(other, k.id)).toBe(false);
    expect(await keys.revoke(ws, 'key_nope')).toBe(false);
    expect(await store.listKeys(ws)).toHaveLength(1);
    expect(await store.getDoc(ws, 'key-settings', k.id)).not.toBeNull();
    // A settings document with no key beside it is left alone too.
    await store.putDocs(other, [{ collection: 'key-settings', id: k.id, subject: null, body: { rateLimit: 1 }, createdAt: now }]);
    expect(await keys.revoke(other, k.id)).toBe(false);
    expect(await store.getDoc(other, 'key-settings', k.id)).not.toBeNull();
    expect(bus.published).toEqual([]);
  });
});

describe('KeyService.authenticate', () => {
  it('refuses a missing or empty secret and an unknown one', async () => {
    const keys = new KeyService(store, undefined, clock);
    for (const secret of [undefined, '']) expect(await afinError(keys.authenticate(secret, undefined))).toMatchObject({ code: 'unauthorized' });
    const e = await afinError(keys.authenticate('afin_admin_nope', undefined));
    expect(e).toMatchObject({ code: 'unauthorized', message: 'unknown or revoked API key' });
  });

  it('resolves a key to its workspace, scope and settings', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const k = await keys.create(ws, { scope: 'server', allowedOrigins: ['https://x.example'], rateLimit: 12, requireUserToken: true });
    expect(await keys.authenticate(k.key, undefined)).toEqual({
      keyId: k.id,
      workspace: ws,
      scope: 'server',
      root: false,
      allowedOrigins: ['https://x.example'],
      rateLimit: 12,
      requireUserToken: true,
    });
    const plain = await keys.create(ws, { scope: 'public' });
    expect(await keys.authenticate(plain.key, undefined)).toEqual({
      keyId: plain.id,
      workspace: ws,
      scope: 'public',
      root: false,
      allowedOrigins: null,
      rateLimit: null,
      requireUserToken: false,
    });
  });

  it('accepts the configured root key as an admin of the default workspace, and only that key', async () => {
    const keys = new KeyService(store, 'configured-root', clock);
    expect(await keys.authenticate('configured-root', undefined)).toEqual({
      keyId: 'root',
      workspace: 'default',
      scope: 'admin',
      root: true,
      allowedOrigins: null,
      rateLimit: null,
      requireUserToken: false,
    });
    const ws = freshWs();
    const k = await keys.create(ws, { scope: 'admin' });
    expect(await keys.authenticate(k.key, undefined)).toMatchObject({ keyId: k.id, root: false, workspace: ws });
    expect(await afinError(keys.authenticate('configured-root2', undefined))).toMatchObject({ code: 'unauthorized' });
    // Without a configured root key, its secret is just an unknown key.
    expect(await afinError(new KeyService(store, undefined, clock).authenticate('configured-root', undefined))).toMatchObject({ code: 'unauthorized' });
  });

  it('remembers a key for 5 seconds, then asks the store again', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const k = await keys.create(ws, { scope: 'public' });
    const start = now;
    await keys.authenticate(k.key, undefined);
    await store.deleteKey(ws, k.id); // behind the service's back, as another node without a bus would
    now = start + 5000;
    expect((await keys.authenticate(k.key, undefined)).keyId).toBe(k.id);
    now = start + 5001;
    expect(await afinError(keys.authenticate(k.key, undefined))).toMatchObject({ code: 'unauthorized' });
    now = start;
  });

  it('remembers an unknown key too, for as long', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const secret = KeyService.newSecret('public');
    const start = now;
    await afinError(keys.authenticate(secret, undefined));
    await store.insertKey({ id: 'key_late', workspace: ws, scope: 'public', name: null, hash: hashKey(secret), root: false, createdAt: now, lastUsedAt: null });
    expect(await afinError(keys.authenticate(secret, undefined))).toMatchObject({ code: 'unauthorized' });
    now = start + 5001;
    expect((await keys.authenticate(secret, undefined)).keyId).toBe('key_late');
    now = start;
  });

  it('forgets what it remembers of keys when another node says keys changed, and only then', async () => {
    const ws = freshWs();
    const bus = new RecordingBus();
    const keys = new KeyService(store, undefined, clock, bus);
    const k = await keys.create(ws, { scope: 'public' });
    await keys.authenticate(k.key, undefined);
    await store.deleteKey(ws, k.id);
    bus.deliver({ ws, kind: 'items' });
    expect((await keys.authenticate(k.key, undefined)).keyId).toBe(k.id);
    bus.deliver({ ws, kind: 'keys' });
    expect(await afinError(keys.authenticate(k.key, undefined))).toMatchObject({ code: 'unauthorized' });
  });

  it('keeps at most 10,000 secrets in memory, dropping the oldest first', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const k = await keys.create(ws, { scope: 'public' });
    await keys.authenticate(k.key, undefined);
    await store.deleteKey(ws, k.id); // still remembered
    for (let i = 0; i < 9_999; i++) await keys.authenticate(`unknown-${i}`, undefined).catch(() => undefined);
    expect((await keys.authenticate(k.key, undefined)).keyId).toBe(k.id); // 10,000 remembered: still there
    await keys.authenticate('unknown-one-more', undefined).catch(() => undefined);
    expect(await afinError(keys.authenticate(k.key, undefined))).toMatchObject({ code: 'unauthorized' });
  });

  it('records when a key was used, at most once a minute', async () => {
    const ws = freshWs();
    const keys = new KeyService(store, undefined, clock);
    const k = await keys.create(ws, { scope: 'public' });
    const lastUsed = async () => (await store.listKeys(ws))[0].lastUsedAt;
    const start = now;
    await keys.authenticate(k.key, undefined);
    expect(await lastUsed()).toBe(start);
    now = start + 60_000;
    await keys.authenticate(k.key, undefined);
    expect(await lastUsed()).toBe(start);
    now = start + 60_001;
    await keys.authenticate(k.key, undefined);
    expect(await lastUsed()).toBe(start + 60_001);
    now = start;
  });

  it('still answers when recording the use fails', async () => {
    const ws = freshWs();
    const failing = withMethod('touchKey', async () => {
      throw new Error('disk full');
    });
    const keys = new KeyService(failing, undefined, clock);
    const k = await keys.create(ws, { scope: 'public' });
    expect((await keys.authenticate(k.key, undefined)).keyId).toBe(k.id);
    await new Promise((r) => setTimeout(r, 0)); // an unhandled rejection would fail the run here
  });

  describe('Afin-Workspace', () => {
    it('lets any key name its own workspace, and only a root key another one that exists', async () => {
      const ws = freshWs();
      const keys = new KeyService(store, 'the-root', clock);
      const k = await keys.create(ws, { scope: 'admin' });
      expect((await keys.authenticate(k.key, ws)).workspace).toBe(ws);
      const e = await afinError(keys.authenticate(k.key, 'default'));
      expect(e).toMatchObject({ code: 'forbidden', field: 'Afin-Workspace' });
      expect(e.message).toMatch(/only the root key/);

      await store.createWorkspace({ id: ws, name: null, createdAt: now });
      expect(await keys.authenticate('the-root', ws)).toEqual({
        keyId: 'root',
        workspace: ws,
        scope: 'admin',
        root: true,
        allowedOrigins: null,
        rateLimit: null,
        requireUserToken: false,
      });
      expect((await keys.authenticate('the-root', 'default')).workspace).toBe('default');
      const missing = await afinError(keys.authenticate('the-root', 'no-such-shop'));
      expect(missing).toMatchObject({ code: 'not_found', field: 'Afin-Workspace' });
      expect(missing.message).toContain('"no-such-shop"');
    });

    it('lets a root key of another workspace act in the default workspace, which needs no row', async () => {
      const ws = freshWs();
      const secret = KeyService.newSecret('admin');
      await store.insertKey({
        id: 'key_root_elsewhere',
        workspace: ws,
        scope: 'admin',
        name: null,
        hash: hashKey(secret),
        root: true,
        createdAt: now,
        lastUsedAt: null,
      });
      const keys = new KeyService(store, undefined, clock);
      expect(await store.getWorkspace('default')).toBeNull();
      expect(await keys.authenticate(secret, 'default')).toMatchObject({ keyId: 'key_root_elsewhere', workspace: 'default', root: true });
      expect((await keys.authenticate(secret, undefined)).workspace).toBe(ws);
    });
  });
});

describe('KeyService workspaces', () => {
  it('creates a workspace at the clock’s time, once per id, and lists them all', async () => {
    const keys = new KeyService(store, undefined, clock);
    const id = freshWs();
    now = START_OF_WORKSPACES;
    expect(await keys.createWorkspace(id, 'Shop A')).toEqual({ id, name: 'Shop A', createdAt: START_OF_WORKSPACES });
    expect(await keys.createWorkspace(id, 'again')).toBeNull();
    expect(await store.getWorkspace(id)).toEqual({ id, name: 'Shop A', createdAt: START_OF_WORKSPACES });
    const unnamed = freshWs();
    expect(await keys.createWorkspace(unnamed, null)).toEqual({ id: unnamed, name: null, createdAt: START_OF_WORKSPACES });
    const listed = await keys.listWorkspaces();
    expect(listed).toEqual(await store.listWorkspaces());
    expect(listed.filter((w) => w.id === id || w.id === unnamed)).toHaveLength(2);
  });
});

describe('KeyService.ensureRootKey', () => {
  it('creates a root admin key in the default workspace once, and none when one is configured', async () => {
    // Its own store: a root key is global to a store.
    const own = new SqliteStore(join(dir, 'root.db'));
    await own.migrate();
    try {
      expect(await new KeyService(own, 'configured', clock).ensureRootKey()).toBeNull();
      expect(await own.hasRootKey()).toBe(false);
      const keys = new KeyService(own, undefined, clock);
      const secret = await keys.ensureRootKey();
      expect(secret).toMatch(/^afin_admin_/);
      expect(await keys.authenticate(secret!, undefined)).toMatchObject({ workspace: 'default', scope: 'admin', root: true });
      expect((await keys.list('default')).map((k) => [k.name, k.root])).toEqual([['root', true]]);
      expect(await keys.ensureRootKey()).toBeNull();
      expect(await new KeyService(own, undefined, clock).ensureRootKey()).toBeNull();
      expect(await own.listKeys('default')).toHaveLength(1);
    } finally {
      await own.close();
    }
  });
});
