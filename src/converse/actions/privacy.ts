/** "Forget me", "stop personalising", "what do you know about me?" — for the proven person only (checked by the caller). */
import { joinList, label, useText } from '../labels.ts';
import { phrase, say } from '../templates.ts';
import type { Deps, Outcome, Turn } from '../turn/types.ts';
import { capitalise } from '../wording.ts';

const PERSONALIZATION_WORDS = /recommend|recomend|personali[sz]|suggest|suger/i;

export async function forget(d: Deps, t: Turn): Promise<Outcome> {
  const { ws, session: s } = t;
  // An erased person: nothing is held and nothing will be kept, so there is nothing to record either.
  if (t.erased) return { reply: say(PERSONALIZATION_WORDS.test(t.u.text) ? 'personalization_off' : 'forgot', t.style, {}, t.seed) };
  if (PERSONALIZATION_WORDS.test(t.u.text)) {
    await d.withdrawConsent(ws, s.userId, 'personalization');
    t.personalize = false;
    return { reply: say('personalization_off', t.style, {}, t.seed) };
  }
  await d.withdrawConsent(ws, s.userId, 'chatMemory');
  await d.chats.forget(ws, s.userId, s.id);
  t.memory = null;
  return { reply: say('forgot', t.style, {}, t.seed) };
}

export async function whatIKnow(_d: Deps, t: Turn): Promise<Outcome> {
  const lang = t.style.lang;
  const p = t.profile;
  const parts: string[] = [];
  if (p) {
    const cats = Object.entries(p.categories)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([c]) => label(c, lang));
    const views = p.events.view?.count ?? 0;
    if (cats.length) parts.push(phrase('known_interests', t.style, { list: joinList(cats, lang) }));
    parts.push(phrase('known_activity', t.style, { views, purchases: p.purchases }));
  }
  const m = t.memory;
  const topic = m?.lastTopic ?? (t.session.wanted.productType || t.session.wanted.category ? t.session.wanted : null);
  if (topic && (topic.productType || topic.category)) {
    const what = [label((topic.productType ?? topic.category)!, lang), topic.use ? useText(topic.use, lang) : ''].filter(Boolean).join(' ');
    parts.push(phrase('known_topic', t.style, { what }));
  }
  if (m?.dislikes.brands.length || m?.dislikes.colours.length) {
    const dis = [...(m?.dislikes.brands ?? []), ...(m?.dislikes.colours ?? []).map((c) => label(c, lang))];
    parts.push(phrase('known_dislikes', t.style, { list: joinList(dis, lang) }));
  }
  if (!m) parts.push(phrase('known_no_memory', t.style));
  const summary = parts.length ? `${capitalise(parts.join('; '))}.` : phrase('known_nothing', t.style);
  return { reply: say('what_you_know', t.style, { summary }, t.seed), quick: ['recommend'] };
}
