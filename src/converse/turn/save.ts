/**
 * The last step of a turn: the answer joins the transcript, the session and long-term memory are
 * saved, the conversation is logged as `chat` events, and the question counter is bumped. An erased
 * person's turn is answered but nothing naming them is stored.
 */
import { funnelStage } from '../../profile/profile.ts';
import type { ChatItem, ChatRequest, Deps, Outcome, Turn } from './types.ts';
import { remember } from './memory.ts';

export async function save(
  d: Deps,
  t: Turn,
  req: ChatRequest,
  out: Outcome,
  now: number,
): Promise<{ items: ChatItem[]; agentMessages: Array<{ text: string; at: string; agent?: string }> }> {
  const { ws, session } = t;
  const items = out.items ?? [];
  session.turns.push({
    role: 'assistant',
    text: out.reply,
    at: now,
    intent: t.intent,
    items: items.map(({ id, title, price, currency }) => ({ id, title, price, currency })),
  });
  session.updatedAt = now;
  const agentMessages = session.pendingAgent.map((a) => ({ text: a.text, at: new Date(a.at).toISOString(), ...(a.agent ? { agent: a.agent } : {}) }));
  session.pendingAgent = [];
  if (!t.erased) {
    await d.chats.saveTurn(ws, session, remember(t, now));
    await logTurn(d, req, session.id, t.intent, out.reply, items, now, t.memory !== null, ws);
  }
  await d.store.bumpCounter(ws, `chat:q:${funnelStage(t.profile, now)}:${t.intent}`);
  return { items, agentMessages };
}

/**
 * The conversation itself is stored as `chat` events (so export, retention and erasure cover it).
 * Without chatMemory consent the events keep only what happened (the intent, the items), not the words.
 */
async function logTurn(
  d: Deps,
  req: ChatRequest,
  sessionId: string,
  intent: string,
  reply: string,
  items: ChatItem[],
  now: number,
  keepText: boolean,
  ws: string,
) {
  const channel = req.channel ?? 'chat';
  await d.recordEvents(ws, [
    {
      type: 'chat',
      userId: req.userId,
      channel,
      timestamp: now,
      ...(keepText ? { query: req.message.slice(0, 2000) } : {}),
      properties: { sessionId, role: 'user', intent },
    },
    {
      type: 'chat',
      userId: req.userId,
      channel,
      timestamp: now,
      properties: { sessionId, role: 'assistant', ...(keepText ? { text: reply.slice(0, 4000) } : {}), items: items.map((i) => i.id) },
    },
  ]);
}
