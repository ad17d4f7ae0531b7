import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserTokens } from '../../src/keys/user-token.ts';
import { WorkspaceSecret } from '../../src/keys/workspace-secret.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

/**
 * User tokens and workspace secrets straight on a store, without the HTTP app: fast enough to run
 * against every mutant of src/keys (issue 11, mutation testing), and exact about the token's form.
 */
let dir: string;
let store: SqliteStore;
let now = Date.UTC(2026, 0, 15, 12);
const clock = () => now;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'afin-tokens-'));
  store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('WorkspaceSecret', () => {
  it('creates one 256-bit secret per workspace, stores it, and every instance reads the same one', async () => {
    const a = new WorkspaceSecret(store, { collection: 'c', id: 'x' }, clock);
    const k1 = await a.get('w1');
    expect(k1.length).toBe(32);
    expect(await a.get('w1')).toBe(k1); // cached
    const doc = await store.getDoc('w1', 'c', 'x');
    expect(doc).toMatchObject({ subject: null, createdAt: now });
    expect(Buffer.from(String(doc!.body.key), 'base64').equals(k1)).toBe(true);
    const b = new WorkspaceSecret(store, { collection: 'c', id: 'x' }, clock);
    expect((await b.get('w1')).equals(k1)).toBe(true);
    expect((await b.get('w2')).equals(k1)).toBe(false);
    expect((await new WorkspaceSecret(store, { collection: 'c', id: 'other' }).get('w1')).equals(k1)).toBe(false);
  });

  it('forgets a failed load, so the next call tries again', async () => {
    let fail = true;
    const flaky = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'getDoc' && fail)
          return async () => {
            throw new Error('down');
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const s = new WorkspaceSecret(flaky, { collection: 'c', id: 'flaky' }, clock);
    await expect(s.get('w3')).rejects.toThrow('down');
    await new Promise((r) => setTimeout(r, 0));
    fail = false;
    expect((await s.get('w3')).length).toBe(32);
  });
});

describe('UserTokens', () => {
  let t: UserTokens;
  beforeAll(() => {
    t = new UserTokens(store, clock);
  });

  it('mints ut1.<base64url user>.<base36 expiry>.<HMAC-SHA-256 over workspace, user and expiry>', async () => {
    const m = await t.mint('w1', 'ana', 3600);
    const exp = Math.floor(now / 1000) + 3600;
    expect(m.userId).toBe('ana');
    expect(m.expiresAt).toBe(new Date(exp * 1000).toISOString());
    const secret = Buffer.from(String((await store.getDoc('w1', 'key-secrets', 'user-token'))!.body.key), 'base64');
    const sig = createHmac('sha256', secret).update(`w1\u0000ana\u0000${exp}`).digest('base64url');
    expect(m.token).toBe(`ut1.${Buffer.from('ana').toString('base64url')}.${exp.toString(36)}.${sig}`);
    expect(await t.verify('w1', m.token)).toBe('ana');
  });

  it('is valid until its expiry second and not after', async () => {
    const start = now;
    const m = await t.mint('w1', 'bo', 60);
    now = start + 60_000;
    expect(await t.verify('w1', m.token)).toBe('bo');
    now = start + 60_001;
    expect(await t.verify('w1', m.token)).toBeNull();
    now = start;
  });

  it('refuses another workspace, a changed user, expiry or signature, and malformed tokens', async () => {
    const m = await t.mint('w1', 'carla', 600);
    const [p, u, e, s] = m.token.split('.');
    expect(await t.verify('w2', m.token)).toBeNull();
    const other = Buffer.from('carlb').toString('base64url');
    for (const bad of [
      `${p}.${other}.${e}.${s}`,
      `${p}.${u}.${(parseInt(e, 36) + 1).toString(36)}.${s}`,
      `${p}.${u}.${e}.${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`,
      `${p}.${u}.${e}.${s}x`,
      `${p}.${u}.${e}`,
      `ut2.${u}.${e}.${s}`,
      `${p}.${u}.${e}.${s}.x`,
      '',
      '...',
      `${p}..${e}.${s}`,
      `${p}.${u}..${s}`,
      `${p}.${u}=.${e}.${s}`,
      `${p}.${u}.${e.toUpperCase()}Z.${s}`,
      `${p}.${u}.${e} .${s}`,
      `${p}.${u}.0${e}.${s}`,
    ])
      expect(await t.verify('w1', bad), bad).toBeNull();
    // An empty user id never verifies, even correctly signed.
    const secret = Buffer.from(String((await store.getDoc('w1', 'key-secrets', 'user-token'))!.body.key), 'base64');
    const exp = parseInt(e, 36);
    const sig = createHmac('sha256', secret).update(`w1\u0000\u0000${exp}`).digest('base64url');
    expect(await t.verify('w1', `${p}..${e}.${sig}`)).toBeNull();
  });

  it('refuses another spelling of the same user id (spare bits of the last base64url character)', async () => {
    const m = await t.mint('w1', 'an', 600);
    const [p, u, e, s] = m.token.split('.');
    expect(u).toBe('YW4');
    expect(Buffer.from('YW5', 'base64url').toString()).toBe('an'); // decodes to the same id…
    expect(await t.verify('w1', `${p}.YW5.${e}.${s}`)).toBeNull(); // …but is not the minted spelling
    expect(await t.verify('w1', m.token)).toBe('an');
  });

  it('refuses an expiry beyond the safe integers even when correctly signed', async () => {
    const secret = Buffer.from(String((await store.getDoc('w1', 'key-secrets', 'user-token'))!.body.key), 'base64');
    const exp = 2 ** 56; // 11 base-36 digits, round-trips, but is not a safe integer
    const sig = createHmac('sha256', secret).update(`w1\u0000ana\u0000${exp}`).digest('base64url');
    const token = `ut1.${Buffer.from('ana').toString('base64url')}.${exp.toString(36)}.${sig}`;
    expect(await t.verify('w1', token)).toBeNull();
    const fine = 2 ** 40; // the same token with a safe, future expiry verifies: only the size is refused
    const sig2 = createHmac('sha256', secret).update(`w1\u0000ana\u0000${fine}`).digest('base64url');
    expect(await t.verify('w1', `ut1.${Buffer.from('ana').toString('base64url')}.${fine.toString(36)}.${sig2}`)).toBe('ana');
  });

  it('accepts user ids up to the length the decoder allows and refuses longer ones', async () => {
    const long = 'x'.repeat(1050); // 1,400 base64url characters
    expect(await t.verify('w1', (await t.mint('w1', long, 60)).token)).toBe(long);
    const longer = 'x'.repeat(1051);
    expect(await t.verify('w1', (await t.mint('w1', longer, 60)).token)).toBeNull();
    const unicode = 'añ€😀';
    expect(await t.verify('w1', (await t.mint('w1', unicode, 60)).token)).toBe(unicode);
  });
});
