/**
 * Generated pieces held for a person to review before they reach anyone. A held piece is kept (under
 * the person, so export and erasure find it) and its text is not answered; the review queue shows it
 * and its decision approves it, replaces its text (the original kept) or rejects it. Consent is read
 * again at release: an email (or ad) for someone who withdrew marketing meanwhile is not released.
 * Wired into the shared queue (`GET /v1/review`) by `server/compose.ts`, so no other slice is imported.
 */
import { AfinError } from '../domain/errors.ts';
import type { ContentExposure, ContentPorts } from './ports.ts';

export const HELD_COLLECTION = 'content_held';
/** The piece kinds a request or the brand voice can hold for review. */
export const REVIEWABLE = ['email', 'description'] as const;
export type ReviewableKind = (typeof REVIEWABLE)[number];

export type HeldStatus = 'held' | 'released' | 'rejected';

/** A decision as the review route has validated it. */
export interface ContentDecision {
  action: 'approve' | 'reject' | 'edit';
  message?: string;
  reviewer?: string;
  note?: string;
}

interface HeldBody {
  userId: string;
  kind: ReviewableKind;
  status: HeldStatus;
  /** Whether releasing it needs the person's `marketing` consent (emails and ads). */
  marketing: boolean;
  piece: Record<string, unknown> & { contentId: string; text: string };
  exposure?: ContentExposure;
  review?: { action: string; at: number; reviewer?: string; keyId?: string; note?: string; originalText?: string };
  updatedAt: number;
}

const iso = (t: number) => new Date(t).toISOString();

export class ContentReview {
  constructor(
    private readonly ports: ContentPorts,
    /** Rewrites a piece's HTML from its (edited) text. */
    private readonly toHtml: (piece: HeldBody['piece'], text: string) => string,
  ) {}

  /** Keeps the piece for review; its exposure is logged when (if) it is released. */
  async hold(ws: string, userId: string, kind: ReviewableKind, piece: HeldBody['piece'], exposure: ContentExposure | undefined) {
    const now = this.ports.clock();
    const body: HeldBody = { userId, kind, status: 'held', marketing: kind === 'email', piece, ...(exposure ? { exposure } : {}), updatedAt: now };
    await this.ports.docs.putDocs(ws, [
      { collection: HELD_COLLECTION, id: piece.contentId, subject: userId, createdAt: now, body: body as unknown as Record<string, unknown> },
    ]);
    return { contentId: piece.contentId, kind, userId, status: 'held' as const, review: `POST /v1/review/${piece.contentId}` };
  }

  /** The pieces waiting for a decision, oldest first, as the review queue lists them. */
  async pending(ws: string) {
    const docs = await this.ports.docs.listDocs(ws, HELD_COLLECTION, { limit: 5000 });
    return docs
      .filter((d) => (d.body as unknown as HeldBody).status === 'held')
      .map((d) => {
        const b = d.body as unknown as HeldBody;
        const p = b.piece;
        return {
          kind: 'content' as const,
          at: d.createdAt,
          id: d.id,
          contentKind: b.kind,
          userId: b.userId,
          createdAt: iso(d.createdAt),
          language: p.language,
          ...(typeof p.subject === 'string' ? { subject: p.subject } : {}),
          ...(typeof p.title === 'string' ? { title: p.title } : {}),
          text: p.text,
          decide: `POST /v1/review/${d.id}`,
        };
      })
      .sort((a, b) => a.at - b.at);
  }

  /** Approves, edits (and so approves) or rejects a held piece; who and when go to the audit log. */
  async decide(ws: string, id: string, d: ContentDecision, actor: { keyId?: string; scope?: string }) {
    const doc = await this.ports.docs.getDoc(ws, HELD_COLLECTION, id);
    if (!doc) throw new AfinError('not_found', `content "${id}" is not held for review`, 'id');
    const b = doc.body as unknown as HeldBody;
    if (b.status !== 'held') throw new AfinError('conflict', `id: content "${id}" is not waiting for review (status ${b.status})`, 'id');
    if (d.action !== 'reject') {
      const consent = await this.ports.consentOf(ws, b.userId);
      if (consent.erased || (b.marketing && !consent.marketing))
        throw new AfinError('conflict', `user ${b.userId} no longer allows marketing (or was erased): the ${b.kind} cannot be released`, 'consent.marketing');
    }
    const now = this.ports.clock();
    b.review = {
      action: d.action,
      at: now,
      ...(d.reviewer ? { reviewer: d.reviewer } : {}),
      ...(actor.keyId ? { keyId: actor.keyId } : {}),
      ...(d.note ? { note: d.note } : {}),
      ...(d.action === 'edit' ? { originalText: b.piece.text } : {}),
    };
    if (d.action === 'edit' && d.message !== undefined) {
      b.piece.text = d.message;
      if (typeof b.piece.html === 'string') b.piece.html = this.toHtml(b.piece, d.message);
    }
    b.status = d.action === 'reject' ? 'rejected' : 'released';
    b.updatedAt = now;
    await this.ports.docs.putDocs(ws, [doc]);
    await this.ports.audit?.(ws, {
      actor,
      action: `content.review.${d.action}`,
      target: id,
      userId: b.userId,
      detail: { kind: b.kind, ...(d.reviewer ? { reviewer: d.reviewer } : {}) },
    });
    if (b.status === 'released' && b.exposure) await this.ports.exposed?.(ws, { ...b.exposure, at: now });
    return this.view(doc.id, b);
  }

  /** A held piece: its text only once released. */
  async get(ws: string, id: string) {
    const doc = await this.ports.docs.getDoc(ws, HELD_COLLECTION, id);
    if (!doc) throw new AfinError('not_found', `contentId: no held piece "${id}" (only pieces requested with review are kept)`, 'contentId');
    return this.view(doc.id, doc.body as unknown as HeldBody);
  }

  private view(id: string, b: HeldBody) {
    const review = b.review ? { review: { ...b.review, at: iso(b.review.at) } } : {};
    if (b.status !== 'released') return { contentId: id, kind: b.kind, userId: b.userId, status: b.status, ...review };
    return { ...b.piece, userId: b.userId, status: b.status, ...review };
  }
}
