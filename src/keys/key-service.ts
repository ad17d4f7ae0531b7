import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AfinError, parseOr } from '../domain/errors.ts';
import { KeyBody, type KeyScope, type StoredKey } from '../domain/schemas.ts';
import type { Store } from '../store/store.ts';

/** Who is calling: resolved from the bearer key. */
export interface Principal {
  keyId: string;
  workspace: string;
  scope: KeyScope;
  /** The deployment's root key: may create workspaces and act in any of them. */
  root: boolean;
}

/** What each scope may do; a higher scope includes the lower ones. */
export const SCOPE_RANK: Record<KeyScope, number> = { public: 0, server: 1, admin: 2 };

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

const CACHE_MS = 5000;

/**
 * API keys: random secrets shown once, stored only as SHA-256 hashes (the secrets are 256-bit random,
 * so a fast hash is enough: there is nothing to brute-force).
 */
export class KeyService {
  private readonly cache = new Map<string, { key: StoredKey | null; at: number }>();
  private readonly touched = new Map<string, number>();
  private readonly rootHash: Buffer | null;

  constructor(private readonly store: Store, rootKey?: string, private readonly clock: () => number = Date.now) {
    this.rootHash = rootKey ? Buffer.from(hashKey(rootKey), 'hex') : null;
  }

  static newSecret(scope: KeyScope): string {
    return `afin_${scope}_${randomBytes(32).toString('base64url')}`;
  }

  async create(workspace: string, body: unknown, root = false): Promise<{ id: string; key: string; scope: KeyScope; workspace: string; name: string | null; createdAt: string }> {
    const { scope, name } = parseOr(KeyBody, body, 'invalid_body');
    const key = KeyService.newSecret(scope);
    const stored: StoredKey = { id: `key_${randomBytes(9).toString('base64url')}`, workspace, scope, name: name ?? null, hash: hashKey(key), root, createdAt: this.clock(), lastUsedAt: null };
    await this.store.insertKey(stored);
    return { id: stored.id, key, scope, workspace, name: stored.name, createdAt: new Date(stored.createdAt).toISOString() };
  }

  /** Creates the root key when none is configured or stored; returns the secret (to print once) or null. */
  async ensureRootKey(): Promise<string | null> {
    if (this.rootHash || (await this.store.hasRootKey())) return null;
    const { key } = await this.create('default', { scope: 'admin', name: 'root' }, true);
    return key;
  }

  async list(workspace: string) {
    return (await this.store.listKeys(workspace)).map((k) => ({
      id: k.id, scope: k.scope, name: k.name, workspace: k.workspace, root: k.root,
      createdAt: new Date(k.createdAt).toISOString(), lastUsedAt: k.lastUsedAt === null ? null : new Date(k.lastUsedAt).toISOString(),
    }));
  }

  async revoke(workspace: string, id: string): Promise<boolean> {
    const gone = await this.store.deleteKey(workspace, id);
    this.cache.clear();
    return gone;
  }

  /** Resolves a presented secret to a principal, or throws 401. */
  async authenticate(secret: string | undefined, workspaceHeader: string | undefined): Promise<Principal> {
    if (!secret) throw new AfinError('unauthorized');
    const hash = hashKey(secret);
    let principal: Principal | null = null;
    if (this.rootHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.rootHash)) {
      principal = { keyId: 'root', workspace: 'default', scope: 'admin', root: true };
    } else {
      const now = this.clock();
      let hit = this.cache.get(hash);
      if (!hit || now - hit.at > CACHE_MS) {
        hit = { key: await this.store.keyByHash(hash), at: now };
        this.cache.set(hash, hit);
        if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
      }
      if (!hit.key) throw new AfinError('unauthorized', 'unknown or revoked API key');
      const k = hit.key;
      principal = { keyId: k.id, workspace: k.workspace, scope: k.scope, root: k.root };
      // Record use, at most once a minute per key, off the request path.
      if (now - (this.touched.get(k.id) ?? 0) > 60_000) {
        this.touched.set(k.id, now);
        void this.store.touchKey(k.id, now).catch(() => undefined);
      }
    }
    if (workspaceHeader !== undefined && workspaceHeader !== principal.workspace) {
      if (!principal.root) throw new AfinError('forbidden', 'Afin-Workspace: only the root key may act in another workspace', 'Afin-Workspace');
      if (workspaceHeader !== 'default' && !(await this.store.getWorkspace(workspaceHeader))) {
        throw new AfinError('not_found', `Afin-Workspace: workspace "${workspaceHeader}" does not exist`, 'Afin-Workspace');
      }
      principal = { ...principal, workspace: workspaceHeader };
    }
    return principal;
  }
}
