import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.ts';

/**
 * A random 256-bit secret per workspace, kept in the store so every node uses the same one, and
 * cached per node once read. Created on first use.
 */
export class WorkspaceSecret {
  private readonly keys = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly store: Store,
    private readonly doc: { collection: string; id: string },
    private readonly clock: () => number = Date.now,
  ) {}

  get(ws: string): Promise<Buffer> {
    let k = this.keys.get(ws);
    if (!k) {
      k = this.loadOrCreate(ws);
      this.keys.set(ws, k);
      k.catch(() => this.keys.delete(ws));
    }
    return k;
  }

  private async loadOrCreate(ws: string): Promise<Buffer> {
    const { collection, id } = this.doc;
    const doc = await this.store.getDoc(ws, collection, id);
    if (typeof doc?.body.key === 'string') return Buffer.from(doc.body.key, 'base64');
    await this.store.putDocs(ws, [{ collection, id, subject: null, body: { key: randomBytes(32).toString('base64') }, createdAt: this.clock() }]);
    // Read back, so this node uses what the store kept.
    const stored = await this.store.getDoc(ws, collection, id);
    return Buffer.from(String(stored!.body.key), 'base64');
  }
}
