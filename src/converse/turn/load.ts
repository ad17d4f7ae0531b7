/**
 * The first steps of a turn. Load: the session (or a new one), consent, long-term memory and the
 * person's traits. Understand: the reply's language, the message read in it, the product and measures
 * it names against the catalogue, the style to answer in, and the intent to act on.
 */
import { randomBytes } from 'node:crypto';
import { AfinError } from '../../domain/errors.ts';
import type { ConsentState } from '../../domain/consent.ts';
import type { Profile } from '../../profile/profile.ts';
import { shapesOf } from '../grounding/induce.ts';
import { groundedOf, mergeGrounded } from '../grounding/merge.ts';
import { readMeasures, readProduct, requestedLanguage } from '../grounding/request.ts';
import { understand, type Nlu } from '../nlu/index.ts';
import { emptyMemory, newSession, type ChatMemory, type ChatSession } from '../session.ts';
import type { Style } from '../templates.ts';
import { learnedAddress, learnedTone, observeWriting, toneFromTrait } from '../tone.ts';
import { effectiveIntent } from './intent.ts';
import { replyLanguage } from './language.ts';
import { addStats } from './memory.ts';
import type { ChatCaller, ChatRequest, Deps, Turn } from './types.ts';

export interface Loaded {
  session: ChatSession;
  isNew: boolean;
  /** The person's consent, as it stands. */
  allowed: ConsentState;
  memory: ChatMemory | null;
  traits: Record<string, unknown>;
  erased: boolean;
}

export async function load(d: Deps, ws: string, req: ChatRequest, now: number): Promise<Loaded> {
  // An erased person (suppressed id) is answered without anything personal, and nothing naming them is stored.
  // The policy's flags are what may be used now (all off for an erased person).
  const { subject: _subject, erased, ...allowed } = await d.consentOf(ws, req.userId);
  let session = req.sessionId && !erased ? await d.chats.session(ws, req.sessionId) : null;
  if (session && session.userId !== req.userId) throw new AfinError('not_found', `chat session "${req.sessionId}" not found`, 'sessionId');
  const isNew = !session;
  session ??= newSession(req.sessionId ?? `ses_${randomBytes(12).toString('base64url')}`, req.userId, now);
  const kept = erased ? null : await d.chats.memory(ws, req.userId);
  // Withdrawn chatMemory consent: what was remembered from earlier conversations goes, at once.
  if (!allowed.chatMemory && kept) await d.chats.forget(ws, req.userId, session.id);
  const memory = allowed.chatMemory ? (kept ?? emptyMemory(now)) : null;
  const user = erased ? null : await d.store.getUser(ws, req.userId);
  return { session, isNew, allowed, memory, traits: user?.traits ?? {}, erased };
}

export async function understandTurn(d: Deps, ws: string, req: ChatRequest, caller: ChatCaller, l: Loaded, nlu: Nlu, now: number): Promise<Turn> {
  const { session, memory, traits, isNew, allowed, erased } = l;
  const traitLang = traits.language === 'en' || traits.language === 'es' ? traits.language : undefined;
  const previousLanguage = session.language ?? memory?.language ?? traitLang;
  let u = understand(nlu, req.message, { previousLanguage: previousLanguage ?? undefined });
  const explicitLanguage = requestedLanguage(req.message);
  const lang = replyLanguage(u, { explicit: explicitLanguage, trait: traitLang, session: session.language });
  // The message is read in the language the reply is in, when that is not the detector's first guess.
  if (lang !== u.language) u = { ...understand(nlu, req.message, { previousLanguage: lang, minLanguageConfidence: 1.01 }), detected: u.detected };
  session.language = lang;
  const catalog = await d.catalog(ws);
  const grounded = groundedOf(session.wanted, readProduct(req.message, shapesOf(catalog.items)), readMeasures(req.message));
  // A short answer to a question says nothing about how the person likes to talk.
  if (!session.requested) session.writing = observeWriting(session.writing, req.message, u.language);
  if (isNew && memory) session.pastWriting = memory.writing;
  const writing = session.pastWriting && memory ? addStats(session.pastWriting, session.writing) : session.writing;
  const style: Style = {
    lang,
    tone: session.tone ?? toneFromTrait(traits.tone) ?? memory?.tone ?? learnedTone(writing),
    address:
      session.address ?? (traits.address === 'usted' || traits.address === 'tu' ? traits.address : undefined) ?? memory?.address ?? learnedAddress(writing),
  };
  const profile = allowed.profiling ? ((await d.store.getProfile(ws, req.userId)) as Profile | null) : null;
  const turn: Turn = {
    ws,
    session,
    memory,
    style,
    u,
    intent: u.intent,
    profile,
    personalize: allowed.personalization,
    name: typeof traits.name === 'string' ? traits.name.split(' ')[0] : null,
    seed: `${session.id}:${session.turns.length}`,
    proven: caller.proven,
    erased,
    grounded,
    switchedLanguage: explicitLanguage !== null,
    isNew,
  };
  turn.intent = effectiveIntent(u, session, grounded);
  if (grounded.ask || Object.keys(grounded.measures).length) {
    if (turn.intent === 'recommend' || turn.intent === 'refine' || session.requested)
      session.wanted = mergeGrounded(session.wanted, grounded, u.slots, req.message);
  }
  session.turns.push({ role: 'user', text: req.message, at: now, intent: turn.intent });
  return turn;
}
