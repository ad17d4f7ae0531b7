import { createHmac, timingSafeEqual } from 'node:crypto';
import { WorkspaceSecret } from './workspace-secret.ts';
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
  private readonly secret: WorkspaceSecret;

  constructor(
    store: Store,
    private readonly clock: () => number = Date.now,
  ) {
    this.secret = new WorkspaceSecret(store, { collection: COLLECTION, id: DOC }, clock);
  }

  private key(ws: string): Promise<Buffer> {
    return this.secret.get(ws);
  }

  private sign(key: Buffer, ws: string, userId: string, exp: number): Buffer {
    return createHmac('sha256', key).update(`${ws}\u0000${userId}\u0000${exp}`).digest();
  }

  /** A token for `userId`, valid `ttlSeconds` from now. */
  async mint(ws: string, userId: string, ttlSeconds: number): Promise<{ token: string; userId: string; expiresAt: string }> {
    const exp = Math.floor(this.clock() / 1000) + ttlSeconds;
    const sig = this.sign(await this.key(ws), ws, userId, exp).toString('base64url');
    return {
      token: `${PREFIX}.${Buffer.from(userId).toString('base64url')}.${exp.toString(36)}.${sig}`,
      userId,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /** The user id a token stands for, or null if it is malformed, forged or expired. */
  async verify(ws: string, token: string): Promise<string | null> {
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX) return null;
    // Decode strictly: Node's base64url decoder skips characters outside its alphabet and parseInt
    // stops at the first junk character, so without these checks many spellings of one token
    // would verify. Each part must be exactly what mint() writes for the value it decodes to.
    if (!/^[A-Za-z0-9_-]{1,1400}$/.test(parts[1]) || !/^[0-9a-z]{1,11}$/.test(parts[2])) return null;
    const userId = Buffer.from(parts[1], 'base64url').toString('utf8');
    const exp = parseInt(parts[2], 36);
    if (Buffer.from(userId).toString('base64url') !== parts[1] || exp.toString(36) !== parts[2]) return null;
    if (!userId || !Number.isSafeInteger(exp) || exp * 1000 < this.clock()) return null;
    // Compare the text, not decoded bytes: base64url decoding ignores the last character's spare bits,
    // so a token differing only there would otherwise pass as the same signature.
    const want = Buffer.from(this.sign(await this.key(ws), ws, userId, exp).toString('base64url'));
    const got = Buffer.from(parts[3]);
    return got.length === want.length && timingSafeEqual(got, want) ? userId : null;
  }
}
