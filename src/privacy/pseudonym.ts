import { createHmac } from 'node:crypto';
import { WorkspaceSecret } from '../keys/workspace-secret.ts';
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
  private readonly secret: WorkspaceSecret;

  constructor(store: Store, clock: () => number = Date.now) {
    this.secret = new WorkspaceSecret(store, { collection: COLLECTION, id: KEY_DOC }, clock);
  }

  private key(ws: string): Promise<Buffer> {
    return this.secret.get(ws);
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
