/** A greeting: back to the last topic, or to the item last looked at, or a fresh welcome. */
import { label, useText } from '../labels.ts';
import { say } from '../templates.ts';
import type { Deps, Outcome, Turn } from '../turn/types.ts';

export async function greet(d: Deps, t: Turn): Promise<Outcome> {
  const name = t.name ? ` ${t.name}` : '';
  const topic = t.memory?.lastTopic;
  if (topic && (topic.productType || topic.category)) {
    const what = [label(topic.productType ?? topic.category!, t.style.lang), topic.use ? useText(topic.use, t.style.lang) : ''].filter(Boolean).join(' ');
    return { reply: say('greet_back_topic', t.style, { name, topic: what }, t.seed), quick: ['recommend', 'order_status'] };
  }
  if (t.personalize && t.memory) {
    const recent = (await d.store.eventsOf(t.ws, t.session.userId, 20)).filter((e) => e.itemId && (e.type === 'view' || e.type === 'add_to_cart')).at(-1);
    const item = recent?.itemId ? (await d.catalog(t.ws)).get(recent.itemId) : undefined;
    if (item) return { reply: say('greet_back_events', t.style, { name, item: item.title }, t.seed), quick: ['recommend', 'order_status'] };
  }
  return { reply: say('greet_new', t.style, {}, t.seed), quick: ['recommend', 'order_status', 'shipping'] };
}
