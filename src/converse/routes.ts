import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AfinError, parseOr } from '../domain/errors.ts';
import { CHANNELS, Id, Text } from '../domain/schemas.ts';
import { jsonSchema } from '../http/json-schema.ts';
import { Assistant, type ChatCaller } from './assistant.ts';
import { FAQ_DOC, loadFaq } from './faq.ts';
import type { LlmSettings } from './llm-reply.ts';
import { opener } from './opener.ts';
import type { ChatPorts } from './ports.ts';
import type { ChatSession } from './session.ts';

export const ChatBody = z
  .object({
    userId: Id,
    sessionId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
      .optional(),
    message: Text(4000).pipe(z.string().trim().min(1, 'must not be empty')),
    channel: z.enum(CHANNELS).optional(),
  })
  .strict();
const SessionParams = z.object({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a session id') }).strict();
const AgentBody = z
  .object({ message: Text(4000).pipe(z.string().trim().min(1, 'must not be empty')), agent: Text(200).optional(), resolve: z.boolean().optional() })
  .strict();
const OpenerQuery = z.object({ userId: Id }).strict();
const FaqText = z.object({ en: Text(2000).optional(), es: Text(2000).optional() }).strict();
const FaqBody = z.object({ order_status: FaqText.optional(), return_policy: FaqText.optional(), shipping: FaqText.optional() }).strict();

function transcript(s: ChatSession) {
  return {
    sessionId: s.id,
    userId: s.userId,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
    language: s.language,
    flagged: s.flagged ? { at: new Date(s.flagged.at).toISOString(), reason: s.flagged.reason } : null,
    slots: s.wanted,
    turns: s.turns.map((t) => ({
      role: t.role,
      text: t.text,
      at: new Date(t.at).toISOString(),
      ...(t.intent ? { intent: t.intent } : {}),
      ...(t.items?.length ? { items: t.items } : {}),
      ...(t.agent ? { agent: t.agent } : {}),
    })),
  };
}

/** The conversational assistant: chat, transcripts, proactive openers and the human hand-off. */
export async function converseRoutes(app: FastifyInstance, { chat, llm }: { chat: ChatPorts; llm?: LlmSettings }) {
  const assistant = new Assistant(chat, llm);

  /**
   * Whether the request proves it comes from the person it names: a server or admin key (the shop's
   * backend), or a user token for exactly this userId. A public key alone proves nothing: any visitor
   * can type any userId, so the chat then neither discloses nor changes that person's privacy data.
   */
  async function caller(req: FastifyRequest, userId: string): Promise<ChatCaller> {
    const p = req.principal;
    if (p.root || p.scope !== 'public') return { proven: true };
    const token = req.headers['afin-user-token'];
    if (typeof token !== 'string') return { proven: false };
    return { proven: (await chat.verifyUserToken(p.workspace, token)) === userId };
  }

  app.post(
    '/v1/chat',
    {
      config: { access: 'public' },
      schema: {
        tags: ['chat'],
        summary:
          'Talk with the shop assistant (English or Spanish); it asks, recommends from the catalogue and remembers. What it knows about the person, export, consent and "forget me" need an Afin-User-Token for userId or a server key',
        body: jsonSchema(ChatBody),
      },
    },
    async (req) => {
      const body = parseOr(ChatBody, req.body, 'invalid_body');
      return assistant.reply(req.principal.workspace, body, await caller(req, body.userId));
    },
  );

  app.get(
    '/v1/chat/opener',
    {
      config: { access: 'public' },
      schema: {
        tags: ['chat'],
        summary: 'Start a conversation from a recent signal: an abandoned cart, a price drop, an item back in stock',
        querystring: jsonSchema(OpenerQuery),
      },
    },
    async (req) => {
      const { userId } = parseOr(OpenerQuery, req.query, 'invalid_query');
      return opener(chat, assistant, req.principal.workspace, userId, (await caller(req, userId)).proven);
    },
  );

  app.get(
    '/v1/chat/flagged',
    {
      config: { access: 'server' },
      schema: { tags: ['chat'], summary: 'Sessions waiting for a human agent' },
    },
    async (req) => ({ sessions: (await assistant.chats.flagged(req.principal.workspace)).map(transcript) }),
  );

  app.get(
    '/v1/chat/:sessionId',
    {
      config: { access: 'server' },
      schema: { tags: ['chat'], summary: 'The transcript of a session' },
    },
    async (req) => {
      const { sessionId } = parseOr(SessionParams, req.params, 'invalid_param');
      const s = await assistant.chats.session(req.principal.workspace, sessionId);
      if (!s) throw new AfinError('not_found', `chat session "${sessionId}" not found`, 'sessionId');
      return transcript(s);
    },
  );

  app.post(
    '/v1/chat/:sessionId/agent',
    {
      config: { access: 'server' },
      schema: { tags: ['chat'], summary: 'A human agent replies in the session; the person gets it in the same conversation', body: jsonSchema(AgentBody) },
    },
    async (req) => {
      const { sessionId } = parseOr(SessionParams, req.params, 'invalid_param');
      const b = parseOr(AgentBody, req.body, 'invalid_body');
      await assistant.agentReply(req.principal.workspace, sessionId, b.message, b.agent);
      const s = b.resolve ? await assistant.resolve(req.principal.workspace, sessionId) : await assistant.chats.session(req.principal.workspace, sessionId);
      return transcript(s!);
    },
  );

  app.get(
    '/v1/chat/faq',
    {
      config: { access: 'server' },
      schema: { tags: ['chat'], summary: 'The answers the assistant gives about orders, returns and shipping' },
    },
    async (req) => loadFaq(chat.store, req.principal.workspace),
  );

  app.put(
    '/v1/chat/faq',
    {
      config: { access: 'admin' },
      schema: { tags: ['chat'], summary: "Set the shop's own answers about orders, returns and shipping (per language)", body: jsonSchema(FaqBody) },
    },
    async (req) => {
      const b = parseOr(FaqBody, req.body, 'invalid_body');
      await chat.store.putDocs(req.principal.workspace, [{ ...FAQ_DOC, subject: null, createdAt: chat.clock(), body: b }]);
      return loadFaq(chat.store, req.principal.workspace);
    },
  );
}
