import type { FastifyInstance } from 'fastify';
import { jsonSchema } from '../http/json-schema.ts';
import type { ContentService } from './content-service.ts';
import { BrandVoice, DescriptionBody, EmailBody } from './schemas.ts';

const basis = {
  type: 'object',
  description: 'The profile signals and the catalogue facts the text was written from',
  properties: {
    signals: { type: 'array', items: { type: 'object', additionalProperties: true } },
    facts: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
};
const common = {
  contentId: { type: 'string' },
  by: { type: 'string', enum: ['embedded', 'llm'] },
  personalized: { type: 'boolean' },
  language: { type: 'string' },
  tone: { type: 'string' },
  address: { type: 'string' },
  basis,
  llm: { type: 'object', additionalProperties: true },
};

/**
 * Generated content. Server keys (content is for the shop's own systems: it reads a person's profile
 * and writes in their name), admin keys for the brand voice. A public key reaches none of it.
 */
export async function generateRoutes(app: FastifyInstance, { content }: { content: ContentService }) {
  app.post(
    '/v1/content/email',
    {
      config: { access: 'server' },
      schema: {
        tags: ['content'],
        summary:
          "An email for one person and a goal (`win-back`, `cart-reminder`, `new-arrivals`, `replenishment`, `post-purchase`): subject, text and HTML in their language and tone, their items each with its reason; needs the person's `marketing` consent (409 otherwise)",
        body: jsonSchema(EmailBody),
        response: {
          200: {
            type: 'object',
            properties: {
              ...common,
              kind: { type: 'string' },
              goal: { type: 'string' },
              subject: { type: 'string' },
              text: { type: 'string' },
              html: { type: 'string' },
              recommendationId: { type: ['string', 'null'] },
              items: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
        },
      },
    },
    async (req) => content.email(req.principal.workspace, req.body),
  );

  app.post(
    '/v1/content/description',
    {
      config: { access: 'server' },
      schema: {
        tags: ['content'],
        summary: "An item's description written for one reader: only the item's own facts, the ones matching their interests first",
        body: jsonSchema(DescriptionBody),
        response: {
          200: {
            type: 'object',
            properties: {
              ...common,
              kind: { type: 'string' },
              itemId: { type: 'string' },
              title: { type: 'string' },
              text: { type: 'string' },
              html: { type: 'string' },
            },
          },
        },
      },
    },
    async (req) => content.description(req.principal.workspace, req.body),
  );

  app.get(
    '/v1/content/voice',
    {
      config: { access: 'server' },
      schema: { tags: ['content'], summary: "The workspace's brand voice: shop name, default tone, address and language, emoji" },
    },
    async (req) => content.voice(req.principal.workspace),
  );

  app.put(
    '/v1/content/voice',
    { config: { access: 'admin' }, schema: { tags: ['content'], summary: "Set the workspace's brand voice", body: jsonSchema(BrandVoice) } },
    async (req) => content.saveVoice(req.principal.workspace, req.body),
  );
}
