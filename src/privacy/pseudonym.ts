import { createHmac, randomBytes } from 'node:crypto';
import type { Store } from '../store/store.ts';

const COLLECTION = 'privacy';
const KEY_DOC = 'pseudonym-key';

/**
 * Keyed hashes of personal ids (HMAC-SHA-256 with a random per-workspace secret kept in the store),
 * for the records that must outlive an erasure — suppression entries and the audit log — without
 * holding the id in clear. The same id always maps to the same pseudonym within a workspace, so a
 * late event for an erased person can be recognised; without the secret, a pseudonym cannot be
 * turned back into the id or matched against a guessed one.
 */
export class Pseudonymizer {
  private readonly keys = new Map<string, Promise<Buffer>>();

  constructor(private readonly store: Store, private readonly clock: () => number = Date.now) {}

  private key(ws: string): Promise<Buffer> {
    let k = this.keys.get(ws);
    if (!k) {
      k = this.loadOrCreate(ws);
      this.keys.set(ws, k);
      k.catch(() => this.keys.delete(ws));
    }
    return k;
  }

  private async loadOrCreate(ws: string): Promise<Buffer> {
    const doc = await this.store.getDoc(ws, COLLECTION, KEY_DOC);
    if (typeof doc?.body.key === 'string') return Buffer.from(doc.body.key, 'base64');
    await this.store.putDocs(ws, [{ collection: COLLECTION, id: KEY_DOC, subject: null, body: { key: randomBytes(32).toString('base64') }, createdAt: this.clock() }]);
    // Read back: if two nodes created a key at the same moment, both settle on the one that stayed.
    const stored = await this.store.getDoc(ws, COLLECTION, KEY_DOC);
    return Buffer.from(String(stored!.body.key), 'base64');
  }

  /** The pseudonym of one id of a kind (`user`, `anon`), as 43 base64url characters. */
  async of(ws: string, kind: 'user' | 'anon', id: string): Promise<string> {
    return this.sync(await this.key(ws), kind, id);
  }

  /** A function that pseudonymises many ids with one key lookup. */
  async hasher(ws: string): Promise<(kind: 'user' | 'anon', id: string) => string> {
    const key = await this.key(ws);
    return (kind, id) => this.sync(key, kind, id);
  }

  private sync(key: Buffer, kind: string, id: string): string {
    return createHmac('sha256', key).update(`${kind}\u0000${id}`).digest('base64url');
  }
}
