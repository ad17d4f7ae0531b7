import type { Engine } from '../engine/engine.ts';
import { anonSubject } from '../ingest/identity.ts';
import { viewProfile, type Profile } from '../profile/profile.ts';

/** Export and erasure of everything held about one person. */
export class PrivacyService {
  constructor(private readonly engine: Engine) {}

  /** The user's own id and every anonymous subject linked to them. */
  private async subjects(ws: string, userId: string): Promise<string[]> {
    const anon = await this.engine.store.anonymousIdsOf(ws, userId);
    return [userId, ...anon.map(anonSubject)];
  }

  async export(ws: string, userId: string) {
    const { store } = this.engine;
    const subjects = await this.subjects(ws, userId);
    const events = (await Promise.all(subjects.map((s) => store.eventsOf(ws, s)))).flat();
    const docs = (await Promise.all(subjects.map((s) => store.docsOfSubject(ws, s)))).flat();
    const profile = (await store.getProfile(ws, userId)) as Profile | null;
    return {
      userId,
      exportedAt: new Date(this.engine.clock()).toISOString(),
      user: await store.getUser(ws, userId),
      anonymousIds: await store.anonymousIdsOf(ws, userId),
      consent: await this.engine.consent.record(ws, userId),
      profile: { raw: profile, view: profile ? viewProfile(profile, this.engine.clock(), { terciles: (await this.engine.state.catalog(ws)).terciles }) : null },
      events: events.map((e) => ({ ...e, timestamp: new Date(e.timestamp).toISOString(), receivedAt: new Date(e.receivedAt).toISOString() })),
      documents: docs.map((d) => ({ collection: d.collection, id: d.id, createdAt: new Date(d.createdAt).toISOString(), body: d.body })),
    };
  }

  /** Erases the person everywhere the store holds them; returns counts per kind. */
  async erase(ws: string, userId: string) {
    const { store } = this.engine;
    const subjects = await this.subjects(ws, userId);
    let events = 0, documents = 0, profiles = 0;
    for (const s of subjects) {
      events += await store.deleteEventsOf(ws, s);
      documents += await store.deleteDocsOfSubject(ws, s);
      profiles += (await store.deleteProfile(ws, s)) ? 1 : 0;
    }
    const links = await store.deleteIdentityLinks(ws, userId);
    const consent = await store.deleteConsent(ws, userId);
    const user = await store.deleteUser(ws, userId);
    return { events, documents, profiles, links, consent, user };
  }
}
