import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.ts';

const COLLECTION = 'key-secrets';
const DOC = 'user-token';
const PREFIX = 'ut1';

/**
 * Signed user tokens: the shop's backend (with a server key) mints a short-lived token for the person
 * who is signed in, and the browser sends it with a public key as `Afin-User-Token`. A public key set
 * to `requireUserToken` then only acts for that person: it cannot read another user's
 * recommendations or write events in their name. Tokens are HMAC-SHA-256 over workspace, user id and
 * expiry with a random per-workspace secret kept in the store (so every node verifies them).
 */
export class UserTokens {
  private readonly keys = new Map<string, Promise<Buffer>>();

  constructor(private readonly store: Store, private readonly clock: () => number = Date.now) {}

  private key(ws: string): Promise<Buffer> {
    let k = this.keys.get(ws);
    if (!k) {
      k = (async () => {
        const doc = await this.store.getDoc(ws, COLLECTION, DOC);
        if (typeof doc?.body.key === 'string') return Buffer.from(doc.body.key, 'base64');
        await this.store.putDocs(ws, [{ collection: COLLECTION, id: DOC, subject: null, body: { key: randomBytes(32).toString('base64') }, createdAt: this.clock() }]);
        return Buffer.from(String((await this.store.getDoc(ws, COLLECTION, DOC))!.body.key), 'base64');
      })();
      this.keys.set(ws, k);
      k.catch(() => this.keys.delete(ws));
    }
    return k;
  }

  private sign(key: Buffer, ws: string, userId: string, exp: number): Buffer {
    return createHmac('sha256', key).update(`${ws}\u0000${userId}\u0000${exp}`).digest();
  }

  /** A token for `userId`, valid `ttlSeconds` from now. */
  async mint(ws: string, userId: string, ttlSeconds: number): Promise<{ token: string; userId: string; expiresAt: string }> {
    const exp = Math.floor(this.clock() / 1000) + ttlSeconds;
    const sig = this.sign(await this.key(ws), ws, userId, exp).toString('base64url');
    return { token: `${PREFIX}.${Buffer.from(userId).toString('base64url')}.${exp.toString(36)}.${sig}`, userId, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The user id a token stands for, or null if it is malformed, forged or expired. */
  async verify(ws: string, token: string): Promise<string | null> {
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX) return null;
    const userId = Buffer.from(parts[1], 'base64url').toString('utf8');
    const exp = parseInt(parts[2], 36);
    if (!userId || !Number.isFinite(exp) || exp * 1000 < this.clock()) return null;
    const want = this.sign(await this.key(ws), ws, userId, exp);
    const got = Buffer.from(parts[3], 'base64url');
    return got.length === want.length && timingSafeEqual(got, want) ? userId : null;
  }
}
