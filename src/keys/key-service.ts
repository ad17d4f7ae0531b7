import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AfinError, parseOr } from '../domain/errors.ts';
import type { KeyScope, StoredKey } from '../domain/schemas.ts';
import { KeyBody, KeySettingsBody } from './schemas.ts';
import type { Store } from '../store/store.ts';
import type { InvalidationBus } from '../bus/bus.ts';
import { UserTokens } from './user-token.ts';

/** Who is calling: resolved from the bearer key. */
export interface Principal {
  keyId: string;
  workspace: string;
  scope: KeyScope;
  /** The deployment's root key: may create workspaces and act in any of them. */
  root: boolean;
  /** Browser origins this key may be used from (null: no cross-origin use). */
  allowedOrigins: string[] | null;
  /** Requests per second for this key, overriding its scope's default (null: the default). */
  rateLimit: number | null;
  /** Requests naming a userId must carry a signed user token for that user (`Afin-User-Token`). */
  requireUserToken: boolean;
}

/** Per-key settings, kept as a document beside the key (collection `key-settings`, id = key id). */
export interface KeySettings {
  allowedOrigins: string[] | null;
  rateLimit: number | null;
  requireUserToken: boolean;
}

const SETTINGS = 'key-settings';
const NO_SETTINGS: KeySettings = { allowedOrigins: null, rateLimit: null, requireUserToken: false };

function settingsFrom(body: Record<string, unknown> | undefined): KeySettings {
  return {
    allowedOrigins: (body?.allowedOrigins as string[] | null | undefined) ?? null,
    rateLimit: (body?.rateLimit as number | null | undefined) ?? null,
    requireUserToken: body?.requireUserToken === true,
  };
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
  private readonly cache = new Map<string, { key: StoredKey | null; settings: KeySettings; at: number }>();
  private readonly touched = new Map<string, number>();
  private readonly rootHash: Buffer | null;
  /** Signed tokens that bind a browser's public key to one signed-in person. */
  readonly userTokens: UserTokens;

  constructor(
    private readonly store: Store,
    rootKey?: string,
    private readonly clock: () => number = Date.now,
    private readonly bus?: InvalidationBus,
  ) {
    // Another node revoked or changed a key: forget what this node remembers of keys at once.
    bus?.subscribe((n) => {
      if (n.kind === 'keys') this.cache.clear();
    });
    this.userTokens = new UserTokens(store, clock);
    this.rootHash = rootKey ? Buffer.from(hashKey(rootKey), 'hex') : null;
  }

  static newSecret(scope: KeyScope): string {
    return `afin_${scope}_${randomBytes(32).toString('base64url')}`;
  }

  async create(
    workspace: string,
    body: unknown,
    root = false,
  ): Promise<{ id: string; key: string; scope: KeyScope; workspace: string; name: string | null; createdAt: string } & KeySettings> {
    const { scope, name, allowedOrigins, rateLimit, requireUserToken } = parseOr(KeyBody, body, 'invalid_body');
    const key = KeyService.newSecret(scope);
    const stored: StoredKey = {
      id: `key_${randomBytes(9).toString('base64url')}`,
      workspace,
      scope,
      name: name ?? null,
      hash: hashKey(key),
      root,
      createdAt: this.clock(),
      lastUsedAt: null,
    };
    const settings: KeySettings = { allowedOrigins: allowedOrigins ?? null, rateLimit: rateLimit ?? null, requireUserToken: requireUserToken ?? false };
    if (settings.allowedOrigins !== null || settings.rateLimit !== null || settings.requireUserToken) await this.putSettings(workspace, stored.id, settings);
    await this.store.insertKey(stored);
    return { id: stored.id, key, scope, workspace, name: stored.name, createdAt: new Date(stored.createdAt).toISOString(), ...settings };
  }

  private async putSettings(workspace: string, id: string, s: KeySettings): Promise<void> {
    await this.store.putDocs(workspace, [{ collection: SETTINGS, id, subject: null, body: { ...s }, createdAt: this.clock() }]);
  }

  private async settingsOf(workspace: string, id: string): Promise<KeySettings> {
    const d = await this.store.getDoc(workspace, SETTINGS, id);
    return d ? settingsFrom(d.body) : NO_SETTINGS;
  }

  /** Changes a key's allowed origins or rate limit (`null` clears a setting). Null if there is no such key. */
  async updateSettings(workspace: string, id: string, body: unknown): Promise<(KeySettings & { id: string }) | null> {
    const b = parseOr(KeySettingsBody, body, 'invalid_body');
    if (!(await this.store.listKeys(workspace)).some((k) => k.id === id)) return null;
    const cur = await this.settingsOf(workspace, id);
    const next: KeySettings = {
      allowedOrigins: b.allowedOrigins === undefined ? cur.allowedOrigins : b.allowedOrigins,
      rateLimit: b.rateLimit === undefined ? cur.rateLimit : b.rateLimit,
      requireUserToken: b.requireUserToken === undefined ? cur.requireUserToken : b.requireUserToken,
    };
    await this.putSettings(workspace, id, next);
    this.cache.clear();
    this.bus?.publish({ ws: workspace, kind: 'keys' });
    return { id, ...next };
  }

  /** Creates the root key when none is configured or stored; returns the secret (to print once) or null. */
  async ensureRootKey(): Promise<string | null> {
    if (this.rootHash || (await this.store.hasRootKey())) return null;
    const { key } = await this.create('default', { scope: 'admin', name: 'root' }, true);
    return key;
  }

  /** A new workspace (root key only), or null when the id is taken. */
  async createWorkspace(id: string, name: string | null): Promise<{ id: string; name: string | null; createdAt: number } | null> {
    const ws = { id, name, createdAt: this.clock() };
    return (await this.store.createWorkspace(ws)) ? ws : null;
  }

  listWorkspaces() {
    return this.store.listWorkspaces();
  }

  async list(workspace: string) {
    const settings = new Map((await this.store.listDocs(workspace, SETTINGS, { limit: 1_000_000 })).map((d) => [d.id, d.body]));
    return (await this.store.listKeys(workspace)).map((k) => ({
      id: k.id,
      scope: k.scope,
      name: k.name,
      workspace: k.workspace,
      root: k.root,
      createdAt: new Date(k.createdAt).toISOString(),
      lastUsedAt: k.lastUsedAt === null ? null : new Date(k.lastUsedAt).toISOString(),
      ...settingsFrom(settings.get(k.id)),
    }));
  }

  async revoke(workspace: string, id: string): Promise<boolean> {
    const gone = await this.store.deleteKey(workspace, id);
    if (gone) await this.store.deleteDoc(workspace, SETTINGS, id);
    this.cache.clear();
    if (gone) this.bus?.publish({ ws: workspace, kind: 'keys' });
    return gone;
  }

  /** Resolves a presented secret to a principal, or throws 401. */
  async authenticate(secret: string | undefined, workspaceHeader: string | undefined): Promise<Principal> {
    if (!secret) throw new AfinError('unauthorized');
    const hash = hashKey(secret);
    let principal: Principal | null = null;
    if (this.rootHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.rootHash)) {
      principal = { keyId: 'root', workspace: 'default', scope: 'admin', root: true, ...NO_SETTINGS };
    } else {
      const now = this.clock();
      let hit = this.cache.get(hash);
      if (!hit || now - hit.at > CACHE_MS) {
        const key = await this.store.keyByHash(hash);
        hit = { key, settings: key ? await this.settingsOf(key.workspace, key.id) : NO_SETTINGS, at: now };
        this.cache.set(hash, hit);
        if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
      }
      if (!hit.key) throw new AfinError('unauthorized', 'unknown or revoked API key');
      const k = hit.key;
      principal = { keyId: k.id, workspace: k.workspace, scope: k.scope, root: k.root, ...hit.settings };
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
