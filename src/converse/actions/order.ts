/** "Where is my order?": the last purchase, told only to the proven person; the shop's FAQ otherwise. */
import { faqAnswer } from '../faq.ts';
import { say } from '../templates.ts';
import type { Deps, Outcome, Turn } from '../turn/types.ts';

export async function orderStatus(d: Deps, t: Turn): Promise<Outcome> {
  // What someone bought, and when, is told only to that person.
  if (!t.proven)
    return {
      reply: say('order_signin', t.style, { faq: await faqAnswer(d.store, t.ws, 'order_status', t.style) }, t.seed),
      quick: ['shipping', 'return_policy', 'human'],
    };
  const events = await d.store.eventsOf(t.ws, t.session.userId, 200);
  const last = events.filter((e) => e.type === 'purchase' && e.itemId).at(-1);
  const faq = await faqAnswer(d.store, t.ws, 'order_status', t.style);
  if (!last) return { reply: say('order_none', t.style, { faq }, t.seed), quick: ['recommend', 'human'] };
  const item = (await d.catalog(t.ws)).get(last.itemId!);
  const date = new Date(last.timestamp).toLocaleDateString(t.style.lang === 'es' ? 'es-ES' : 'en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' });
  return { reply: say('order_last', t.style, { title: item?.title ?? last.itemId!, date, faq }, t.seed), quick: ['shipping', 'return_policy', 'human'] };
}
