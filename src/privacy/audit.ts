import { randomBytes } from 'node:crypto';
import type { Doc, Store } from '../store/store.ts';
import type { Pseudonymizer } from './pseudonym.ts';

export const AUDIT_COLLECTION = 'audit';

/** Who did it: an API key (by id, never its secret), or a channel such as the chat. */
export interface AuditActor {
  keyId?: string;
  scope?: string;
  source?: string;
}

export interface AuditInput {
  actor: AuditActor;
  /** What happened, e.g. `consent.update`, `user.erase`, `key.create`, `POST /v1/train`. */
  action: string;
  /** A non-personal target such as a key id, a workspace or a model name. */
  target?: string;
  /** The person the action was about: stored only as a keyed pseudonym. */
  userId?: string;
  /** Extra facts (never personal data): purposes changed, counts erased, HTTP status. */
  detail?: Record<string, unknown>;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  target?: string;
  subject?: string;
  detail?: Record<string, unknown>;
}

/** The doc subject under which a person's audit entries are filed (a pseudonym, never the id). */
export const auditSubject = (pseudonym: string) => `pseudonym:${pseudonym}`;

/**
 * An append-only log of admin actions and consent changes, kept in the store's docs (so every node
 * writes to one log and it is exportable). People appear only by pseudonym, so the log survives an
 * erasure without holding the erased id.
 */
export class AuditLog {
  private seq = 0;

  constructor(
    private readonly store: Store,
    private readonly pseudonyms: Pseudonymizer,
    private readonly clock: () => number = Date.now,
  ) {}

  async record(ws: string, e: AuditInput): Promise<AuditEntry> {
    const at = this.clock();
    // Time-ordered ids: newest-first listing stays stable for entries written in the same millisecond.
    const seq = (this.seq = (this.seq + 1) % 1_679_616);
    const id = `aud_${at.toString(36).padStart(9, '0')}${seq.toString(36).padStart(4, '0')}_${randomBytes(6).toString('base64url')}`;
    const pseudonym = e.userId !== undefined ? await this.pseudonyms.of(ws, 'user', e.userId) : undefined;
    const body: Record<string, unknown> = { actor: e.actor, action: e.action };
    if (e.target !== undefined) body.target = e.target;
    if (pseudonym) body.subject = pseudonym;
    if (e.detail) body.detail = e.detail;
    const doc: Doc = { collection: AUDIT_COLLECTION, id, subject: pseudonym ? auditSubject(pseudonym) : null, body, createdAt: at };
    await this.store.putDocs(ws, [doc]);
    return toEntry(doc);
  }

  /** Newest first; `since` (epoch ms) keeps only later entries. */
  async list(ws: string, opts: { limit?: number; since?: number } = {}): Promise<AuditEntry[]> {
    const docs = await this.store.listDocs(ws, AUDIT_COLLECTION, { limit: opts.limit ?? 1000 });
    return docs.filter((d) => opts.since === undefined || d.createdAt >= opts.since).map(toEntry);
  }

  /** The entries about one person (for their export). */
  async about(ws: string, userId: string): Promise<AuditEntry[]> {
    const pseudonym = await this.pseudonyms.of(ws, 'user', userId);
    return (await this.store.docsOfSubject(ws, auditSubject(pseudonym))).filter((d) => d.collection === AUDIT_COLLECTION).map(toEntry);
  }

  /** Removes the entries about one person (on erasure; the erasure itself is then recorded). */
  async forget(ws: string, userId: string): Promise<number> {
    const pseudonym = await this.pseudonyms.of(ws, 'user', userId);
    return this.store.deleteDocsOfSubject(ws, auditSubject(pseudonym));
  }
}

function toEntry(d: Doc): AuditEntry {
  const b = d.body as Omit<AuditEntry, 'id' | 'at'>;
  return { id: d.id, at: new Date(d.createdAt).toISOString(), ...b };
}
