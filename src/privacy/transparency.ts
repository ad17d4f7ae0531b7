import { CONSENT_PURPOSES, type ConsentPurpose } from '../domain/schemas.ts';
import type { PrivacyService } from './privacy-service.ts';

type Export = Awaited<ReturnType<PrivacyService['export']>>;
type Settings = ReturnType<PrivacyService['settings']>;

/** What each kind of document is, for people (slices add theirs). */
export const COLLECTION_DESCRIPTIONS: Record<string, string> = {
  recommendation: 'what was recommended to you, when, and why',
  chat: 'your conversations with the assistant',
  chat_session: 'your conversations with the assistant',
  memory: 'what the assistant remembers about you between conversations',
  chat_memory: 'what the assistant remembers about you between conversations',
  nudge: 'reminders and messages sent to you',
  nudge_outbox: 'messages to you still being delivered',
  experiment: 'which version of the service you were shown in experiments',
};

export interface HeldPiece {
  what: string;
  description: string;
  count: number;
  source: string;
  usedFor: string[];
  notUsedFor: string[];
  keptFor: string;
  detail?: Record<string, unknown>;
}

export interface TransparencyReport {
  userId: string;
  generatedAt: string;
  summary: string[];
  held: HeldPiece[];
  purposes: Array<{ purpose: ConsentPurpose; allowed: boolean; basis: string; description: string }>;
  rights: Record<string, string>;
}

const month = (iso: string) => iso.slice(0, 7);

/** A person-readable (and JSON) account of what is held, where it came from, what it is used for, how long it is kept. */
export function transparencyReport(data: Export, settings: Settings): TransparencyReport {
  const c = data.consent;
  const allowed = (ps: ConsentPurpose[]) => ps.filter((p) => c[p]);
  const refused = (ps: ConsentPurpose[]) => ps.filter((p) => !c[p]);
  const days = settings.retention.eventMaxAgeDays;
  const eventsKept = days === null ? 'until you ask for erasure' : `${days} days, then deleted automatically`;

  const byType: Record<string, { count: number; first: string; last: string }> = {};
  const byMonth: Record<string, number> = {};
  const channels = new Set<string>();
  for (const e of data.events) {
    const t = (byType[e.type] ??= { count: 0, first: e.timestamp, last: e.timestamp });
    t.count++;
    if (e.timestamp < t.first) t.first = e.timestamp;
    if (e.timestamp > t.last) t.last = e.timestamp;
    byMonth[month(e.timestamp)] = (byMonth[month(e.timestamp)] ?? 0) + 1;
    if (e.channel) channels.add(e.channel);
  }
  const eventPurposes: ConsentPurpose[] = ['personalization', 'profiling', 'marketing'];
  const held: HeldPiece[] = [
    {
      what: 'events',
      description: 'what you did: views, clicks, searches, purchases, ratings…',
      count: data.events.length,
      source: `sent by the service you use${channels.size ? ` (channels: ${[...channels].join(', ')})` : ''}`,
      usedFor: [...allowed(eventPurposes), 'training shared models (in aggregate)'],
      notUsedFor: refused(eventPurposes),
      keptFor: eventsKept,
      detail: { byType, byMonth, first: data.events[0]?.timestamp ?? null, last: data.events.at(-1)?.timestamp ?? null },
    },
    {
      what: 'profile',
      description: 'features derived from your events: interests by category and tag, price range, channels, funnel stage, segments',
      count: data.profile.raw ? 1 : 0,
      source: 'computed by Afín from your events',
      usedFor: allowed(['personalization']),
      notUsedFor: refused(['personalization', 'profiling']),
      keptFor: c.profiling ? 'while you allow profiling; deleted when you withdraw it' : 'not kept: profiling is off',
      detail: data.profile.view ? { segments: (data.profile.view as { segments?: unknown }).segments ?? [], features: Object.keys(data.profile.view) } : {},
    },
    predictionsPiece(data.predictions, allowed, refused),
    {
      what: 'traits',
      description: 'details the service told us about you',
      count: Object.keys(data.user?.traits ?? {}).length,
      source: 'sent by the service you use',
      usedFor: allowed(['personalization']),
      notUsedFor: refused(['personalization']),
      keptFor: 'until you ask for erasure',
      detail: { fields: Object.keys(data.user?.traits ?? {}) },
    },
    {
      what: 'identity links',
      description: 'anonymous visitor ids recognised as you after you signed in',
      count: data.anonymousIds.length,
      source: 'sent by the service you use when you signed in',
      usedFor: ['joining your anonymous history to your account'],
      notUsedFor: [],
      keptFor: 'until you ask for erasure',
    },
  ];
  for (const [collection, count] of Object.entries(data.collections)) {
    const docs = data.documents.filter((d) => d.collection === collection);
    held.push({
      what: collection,
      description: COLLECTION_DESCRIPTIONS[collection] ?? `records kept by the ${collection} feature`,
      count,
      source: 'created by Afín while serving you',
      usedFor: /^chat|memory/.test(collection) ? allowed(['chatMemory']) : ['explaining and measuring recommendations'],
      notUsedFor: /^chat|memory/.test(collection) ? refused(['chatMemory']) : [],
      keptFor: collection === 'recommendation' ? eventsKept : 'until you ask for erasure',
      detail: { first: docs[0]?.createdAt ?? null, last: docs.at(-1)?.createdAt ?? null },
    });
  }
  held.push({
    what: 'consent history',
    description: 'every change to your consent, with time, source and policy version (proof of consent)',
    count: c.history.length,
    source: 'your choices',
    usedFor: ['deciding what may be used for you'],
    notUsedFor: [],
    keptFor: 'until you ask for erasure (then only an unreadable marker that stops late data about you)',
  });

  const purposes = CONSENT_PURPOSES.map((p) => ({
    purpose: p,
    allowed: c[p],
    basis: c.basis[p],
    description: settings.purposes.find((x) => x.purpose === p)!.description,
  }));
  const on = purposes.filter((p) => p.allowed).map((p) => p.purpose);
  const summary = [
    `We hold ${data.events.length} event${data.events.length === 1 ? '' : 's'} about you${data.events.length ? `, from ${data.events[0].timestamp.slice(0, 10)} to ${data.events.at(-1)!.timestamp.slice(0, 10)}` : ''}.`,
    data.profile.raw ? 'We keep a profile of your interests derived from those events.' : 'We keep no derived profile of you.',
    data.predictions
      ? 'We predict, from your events, how likely you are to stop buying and when and what you may buy next.'
      : 'We make no predictions about you.',
    on.length ? `You allow: ${on.join(', ')}.` : 'You allow no personal use of your data: you get the same answers as everyone.',
    c.personalization ? 'Your recommendations are personalised.' : 'Your recommendations are not personalised.',
    `Raw events are kept ${eventsKept}.`,
    'You can export everything, change your consent, object to profiling, or have everything erased at any time.',
  ];
  const id = encodeURIComponent(data.userId);
  return {
    userId: data.userId,
    generatedAt: data.exportedAt,
    summary,
    held,
    purposes,
    rights: {
      export: `GET /v1/users/${id}/export`,
      consent: `PUT /v1/users/${id}/consent`,
      object: `POST /v1/users/${id}/objection`,
      erase: `DELETE /v1/users/${id}`,
    },
  };
}

interface PredictionsFigures {
  churn?: { probability: number; horizonDays: number };
  nextPurchases?: Array<{ category: string; expectedAt: string }>;
  propensities?: Array<{ category: string; probability: number }>;
}

/** The predictions are computed when asked and never stored, so the piece says what they are now. */
function predictionsPiece(
  p: object | null,
  allowed: (ps: ConsentPurpose[]) => ConsentPurpose[],
  refused: (ps: ConsentPurpose[]) => ConsentPurpose[],
): HeldPiece {
  const f = (p ?? {}) as PredictionsFigures;
  return {
    what: 'predictions',
    description: 'figures computed about you: the chance you stop buying, when you may buy again per category, what you may buy soon',
    count: p ? 1 : 0,
    source: "computed by Afín from your events, with a model learnt from the shop's history",
    usedFor: allowed(['profiling', 'marketing']),
    notUsedFor: refused(['profiling', 'marketing']),
    keptFor: 'not stored: computed when asked, from your events as they are then',
    detail: p
      ? {
          churn: f.churn ? { probability: f.churn.probability, horizonDays: f.churn.horizonDays } : null,
          nextPurchases: (f.nextPurchases ?? []).map((n) => ({ category: n.category, expectedAt: n.expectedAt })),
          propensities: (f.propensities ?? []).map((n) => ({ category: n.category, probability: n.probability })),
        }
      : {},
  };
}

/** The same report as plain text, for a person to read. */
export function transparencyText(r: TransparencyReport): string {
  const lines = [`What we hold about ${r.userId}`, `(as of ${r.generatedAt})`, '', ...r.summary, ''];
  for (const h of r.held) {
    lines.push(`- ${h.what} (${h.count}): ${h.description}.`);
    lines.push(`    from: ${h.source}`);
    if (h.usedFor.length) lines.push(`    used for: ${h.usedFor.join(', ')}`);
    if (h.notUsedFor.length) lines.push(`    not used for (your choice): ${h.notUsedFor.join(', ')}`);
    lines.push(`    kept: ${h.keptFor}`);
  }
  lines.push('', 'Your choices:');
  for (const p of r.purposes) lines.push(`- ${p.purpose}: ${p.allowed ? 'yes' : 'no'} (${p.basis}) — ${p.description}`);
  lines.push('', 'Your rights:');
  for (const [k, v] of Object.entries(r.rights)) lines.push(`- ${k}: ${v}`);
  return lines.join('\n') + '\n';
}
