/**
 * Onboarding plans for one person: the workspace's steps ordered for their role and what they have
 * already done. Candidate orders — the workspace's own, the role's steps first, and the order that led
 * people like them to activate — are chosen among by the `onboarding` decision point when there is
 * more than one (its propensity logged, its reward the events the workspace names), and the choice is
 * kept for the person so their plan does not change under them. Prerequisites always hold.
 */
import { AfinError, parseOr } from '../domain/errors.ts';
import { ANON_PREFIX, type StoredEvent } from '../domain/schemas.ts';
import type { BrandVoiceT } from './schemas.ts';
import { OnboardingParams, OnboardingSteps, type OnboardingStepsT } from './schemas.ts';
import { readerOf, type Signal } from './facts.ts';
import { doneOrder, learnOrder, orderSteps, progressOf, rolePriority, touchesOnboarding, type Journey, type OrderKind } from './onboarding.ts';
import { localised, writeOnboarding, type PlanStep } from './onboarding-writer.ts';
import type { ContentPorts } from './ports.ts';
import { newId, styleFields, type PieceCommon } from './piece.ts';

export const STEPS_COLLECTION = 'settings';
export const STEPS_DOC = 'onboarding-steps';
/** Each person's chosen order, one document per person (erased with them). */
export const PLAN_COLLECTION = 'onboarding-plan';
export const ONBOARDING_POINT = 'onboarding';
/** The learned order reads this far back, and is rebuilt at most this often per workspace. */
const LOOKBACK_MS = 180 * 86_400_000;
const JOURNEYS_TTL_MS = 10 * 60_000;
/** At most this many people's journeys are read per workspace (the most recent ones). */
const MAX_JOURNEYS = 20_000;

export interface OnboardingPlan extends PieceCommon {
  kind: 'onboarding';
  userId: string;
  role: string | null;
  order: OrderKind;
  /** Each distinct order on offer (the plan follows `order`'s). */
  candidates: Partial<Record<OrderKind, string[]>>;
  decisionId: string | null;
  propensity: number;
  activated: boolean;
  next: string | null;
  steps: Array<PlanStep & { tags: string[]; prerequisites: string[]; ready: boolean }>;
  text: string;
  html: string;
}

interface StoredSteps extends OnboardingStepsT {
  version: number;
}

export class OnboardingService {
  private readonly journeys = new Map<string, { at: number; version: number; list: Promise<Journey[]> }>();

  constructor(
    private readonly ports: ContentPorts,
    private readonly voice: (ws: string) => Promise<BrandVoiceT>,
  ) {}

  async steps(ws: string): Promise<StoredSteps> {
    const doc = await this.ports.docs.getDoc(ws, STEPS_COLLECTION, STEPS_DOC);
    if (!doc) throw new AfinError('not_found', 'steps: this workspace has no onboarding steps yet (PUT /v1/onboarding/steps)', 'steps');
    return doc.body as unknown as StoredSteps;
  }

  async saveSteps(ws: string, body: unknown): Promise<StoredSteps> {
    const def = parseOr(OnboardingSteps, body, 'invalid_body');
    const stored: StoredSteps = { ...def, version: this.ports.clock() };
    await this.ports.docs.putDocs(ws, [{ collection: STEPS_COLLECTION, id: STEPS_DOC, subject: null, body: { ...stored }, createdAt: stored.version }]);
    this.journeys.delete(ws);
    return stored;
  }

  async plan(ws: string, rawId: unknown): Promise<OnboardingPlan> {
    const { id: userId } = parseOr(OnboardingParams, rawId, 'invalid_param');
    const def = await this.steps(ws);
    const { ports } = this;
    const [policy, voice] = await Promise.all([ports.consentOf(ws, userId), this.voice(ws)]);
    const personalized = policy.personalization && !policy.erased;
    const person = policy.erased ? null : await ports.person(ws, userId);
    const reader = readerOf(person, voice, personalized);
    // What was done is the product's own state (a checklist ticks it for everyone); the order is the
    // personal part: the role and other people's paths only with personalization.
    const progress = progressOf(policy.erased ? [] : await ports.records.eventsOf(ws, userId), def);
    const done = doneOrder(progress, def);
    const rawRole = person?.traits[def.roleTrait];
    const role = personalized && typeof rawRole === 'string' && rawRole.trim() ? rawRole.trim().slice(0, 64) : null;
    const signals: Signal[] = [...reader.signals];
    if (role) signals.push({ name: 'role', value: role, source: 'trait' });
    if (done.length) signals.push({ name: 'stepsDone', value: done, source: 'profile' });

    const candidates = new Map<OrderKind, string[]>();
    if (personalized) {
      const journeys = (await this.journeysOf(ws, def)).filter((j) => j.subject !== userId);
      const learned = learnOrder(def, role, journeys);
      if (learned) {
        candidates.set('learned', orderSteps(def, learned.priority, done));
        signals.push({ name: 'learnedFrom', value: `${Math.round(learned.weight * 10) / 10} journeys (${learned.ownRole} of this role)`, source: 'workspace' });
      }
      const byRole = rolePriority(def, role);
      if (byRole) candidates.set('role', orderSteps(def, byRole, done));
    }
    candidates.set('defined', orderSteps(def, new Map(), done));
    // Orders that come out the same are one option, named by the first kind that gave it.
    const distinct = [...candidates].filter(([, o], k, all) => all.findIndex(([, p]) => p.join() === o.join()) === k);

    const chosen = await this.choose(ws, userId, def, role, distinct, personalized);
    if (chosen.decisionId)
      signals.push({ name: 'decision', value: `${ONBOARDING_POINT}: ${chosen.kind} (p=${chosen.propensity.toFixed(3)})`, source: 'workspace' });
    const order = candidates.get(chosen.kind)!;
    const byId = new Map(def.steps.map((s) => [s.id, s]));
    const steps = order.map((id) => {
      const s = byId.get(id)!;
      const description = localised(s.description, reader.lang);
      return {
        id,
        title: localised(s.title, reader.lang)!,
        ...(description ? { description } : {}),
        tags: s.tags,
        prerequisites: s.prerequisites,
        done: progress.doneAt.has(id),
        ready: !progress.doneAt.has(id) && s.prerequisites.every((p) => progress.doneAt.has(p)),
      };
    });
    const { text, html } = writeOnboarding(steps, reader, role);
    const plan: OnboardingPlan = {
      contentId: newId(),
      kind: 'onboarding',
      by: 'embedded',
      personalized,
      ...styleFields(reader),
      userId,
      role,
      order: chosen.kind,
      candidates: Object.fromEntries(distinct),
      decisionId: chosen.decisionId,
      propensity: chosen.propensity,
      activated: progress.activatedAt !== null,
      next: steps.find((s) => !s.done)?.id ?? null,
      steps,
      text,
      html,
      basis: { signals, facts: steps.map((s) => ({ itemId: s.id, field: 'done', value: s.done })) },
    };
    if (!policy.erased)
      await ports.exposed?.(ws, {
        contentId: plan.contentId,
        userId,
        kind: 'onboarding',
        by: 'embedded',
        itemIds: order,
        at: ports.clock(),
        variant: chosen.kind,
        propensity: chosen.propensity,
      });
    return plan;
  }

  /**
   * The order for this person: the one chosen for them before while it is still on offer (same steps),
   * else the decision point's choice among the distinct candidates, else the only one.
   */
  private async choose(
    ws: string,
    userId: string,
    def: StoredSteps,
    role: string | null,
    distinct: Array<[OrderKind, string[]]>,
    personalized: boolean,
  ): Promise<{ kind: OrderKind; decisionId: string | null; propensity: number }> {
    const kinds = distinct.map(([k]) => k);
    if (!personalized || kinds.length === 1 || !def.explore || !this.ports.decide) return { kind: kinds[0], decisionId: null, propensity: 1 };
    const { docs } = this.ports;
    const kept = await docs.getDoc(ws, PLAN_COLLECTION, userId);
    const body = kept?.body as { version?: number; kind?: OrderKind; decisionId?: string; propensity?: number } | undefined;
    if (body?.version === def.version && body.kind && kinds.includes(body.kind))
      return { kind: body.kind, decisionId: body.decisionId ?? null, propensity: body.propensity ?? 1 };
    const r = await this.ports.decide(ws, {
      userId,
      point: ONBOARDING_POINT,
      options: kinds.map((k) => ({ id: k, features: { order: k } })),
      ...(role ? { context: { role } } : {}),
    });
    const kind = r.option as OrderKind;
    await docs.putDocs(ws, [
      {
        collection: PLAN_COLLECTION,
        id: userId,
        subject: userId,
        body: { version: def.version, kind, decisionId: r.decisionId, propensity: r.propensity },
        createdAt: this.ports.clock(),
      },
    ]);
    return { kind, decisionId: r.decisionId, propensity: r.propensity };
  }

  /** Everyone's onboarding journeys (those who allow personalization), rebuilt every few minutes. */
  private journeysOf(ws: string, def: StoredSteps): Promise<Journey[]> {
    const now = this.ports.clock();
    const hit = this.journeys.get(ws);
    if (hit && hit.version === def.version && now - hit.at < JOURNEYS_TTL_MS) return hit.list;
    const list = this.readJourneys(ws, def, now).catch((e) => {
      this.journeys.delete(ws);
      throw e;
    });
    if (this.journeys.size > 1_000) this.journeys.clear();
    this.journeys.set(ws, { at: now, version: def.version, list });
    return list;
  }

  private async readJourneys(ws: string, def: StoredSteps, now: number): Promise<Journey[]> {
    const bySubject = new Map<string, StoredEvent[]>();
    for await (const page of this.ports.records.scanEvents(ws, { since: now - LOOKBACK_MS }))
      for (const e of page) {
        if (e.subject.startsWith(ANON_PREFIX) || !touchesOnboarding(e, def)) continue;
        const list = bySubject.get(e.subject);
        if (list) list.push(e);
        else if (bySubject.size < MAX_JOURNEYS) bySubject.set(e.subject, [e]);
      }
    const out: Journey[] = [];
    const subjects = [...bySubject.keys()];
    for (let s = 0; s < subjects.length; s += 50) {
      const batch = subjects.slice(s, s + 50);
      const rows = await Promise.all(
        batch.map(async (subject) => {
          const policy = await this.ports.consentOf(ws, subject);
          if (!policy.personalization || policy.erased) return null;
          const user = await this.ports.records.getUser(ws, subject);
          const raw = user?.traits[def.roleTrait];
          const progress = progressOf(bySubject.get(subject)!, def);
          return {
            subject,
            role: typeof raw === 'string' && raw.trim() ? raw.trim().slice(0, 64) : null,
            order: doneOrder(progress, def),
            activated: progress.activatedAt !== null,
          };
        }),
      );
      for (const r of rows) if (r) out.push(r);
    }
    return out;
  }
}
