import type { FastifyInstance } from 'fastify';
import { parseOr } from '../domain/errors.ts';
import { jsonSchema } from '../http/json-schema.ts';
import type { ContentService } from './content-service.ts';
import { BrandVoice, ContentParams, DescriptionBody, EmailBody, HeadlinesBody, OnboardingSteps } from './schemas.ts';

const basis = {
  type: 'object',
  description: 'The profile signals (each with its source) and the facts the piece was made from',
  properties: {
    signals: { type: 'array', items: { type: 'object', additionalProperties: true } },
    facts: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
};

/** Fields of a piece that can be held for review: its answer may be `{ contentId, kind, userId, status: "held", review }` only. */
const heldFields = {
  userId: { type: 'string' },
  status: { type: 'string', enum: ['held', 'released', 'rejected'] },
  review: { description: 'Where to decide a held piece, or the decision made', anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }] },
};

/** Every generated piece's answer: the fields all of them carry, and the piece's own. */
function pieceSchema(own: Record<string, unknown>, required: string[] = [], holdable = false) {
  return {
    200: {
      type: 'object',
      properties: {
        contentId: { type: 'string' },
        kind: { type: 'string' },
        by: { type: 'string', enum: ['embedded', 'llm'] },
        personalized: { type: 'boolean' },
        language: { type: 'string' },
        tone: { type: 'string' },
        address: { type: 'string' },
        basis,
        llm: { type: 'object', additionalProperties: true },
        ...(holdable ? heldFields : {}),
        ...own,
      },
      required: holdable ? ['contentId', 'kind'] : ['contentId', 'kind', 'by', 'personalized', 'language', 'tone', 'basis', ...required],
    },
  };
}

const looseArray = { type: 'array', items: { type: 'object', additionalProperties: true } };

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
          'An email for one person and a goal (`win-back`, `cart-reminder`, `new-arrivals`, `replenishment`, `post-purchase`): subject, text and HTML in their language and tone, their items each with its reason; needs the person\'s `marketing` consent (409 otherwise); with `review: true` (or the brand voice\'s `review`) held for a person (`GET /v1/review`) and answered `{ contentId, status: "held" }`',
        body: jsonSchema(EmailBody),
        response: pieceSchema(
          {
            goal: { type: 'string' },
            subject: { type: 'string' },
            text: { type: 'string' },
            html: { type: 'string' },
            recommendationId: { type: ['string', 'null'] },
            items: looseArray,
          },
          ['subject', 'text', 'html', 'items'],
          true,
        ),
      },
    },
    async (req) => content.serve(req.principal.workspace, 'email', req.body),
  );

  app.post(
    '/v1/content/description',
    {
      config: { access: 'server' },
      schema: {
        tags: ['content'],
        summary:
          "An item's description written for one reader: only the item's own facts, the ones matching their interests first; with `review: true` (or the brand voice's `review`) held for a person (`GET /v1/review`) and answered `{ contentId, status: \"held\" }`",
        body: jsonSchema(DescriptionBody),
        response: pieceSchema(
          { itemId: { type: 'string' }, title: { type: 'string' }, text: { type: 'string' }, html: { type: 'string' } },
          ['text', 'html'],
          true,
        ),
      },
    },
    async (req) => content.serve(req.principal.workspace, 'description', req.body),
  );

  app.get(
    '/v1/content/:contentId',
    {
      config: { access: 'server' },
      schema: {
        tags: ['content'],
        summary:
          'A piece requested with review: its status (`held`, `released`, `rejected`) and the review decision; the piece itself (the edited text when edited) only once released',
        params: jsonSchema(ContentParams),
        response: pieceSchema(
          {
            goal: { type: 'string' },
            itemId: { type: 'string' },
            subject: { type: 'string' },
            title: { type: 'string' },
            text: { type: 'string' },
            html: { type: 'string' },
            items: looseArray,
            recommendationId: { type: ['string', 'null'] },
          },
          [],
          true,
        ),
      },
    },
    async (req) => content.review.get(req.principal.workspace, parseOr(ContentParams, req.params, 'invalid_param').contentId),
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

  app.post(
    '/v1/content/headlines',
    {
      config: { access: 'server' },
      schema: {
        tags: ['content'],
        summary:
          'A front page (`items`) in this reader\'s order of interests, and among headline or ad `variants` (and one `write`s from an item\'s facts) the one the decision point chooses for them, with its propensity; an ad (`kind: "ad"`) needs `marketing` consent (409 otherwise)',
        body: jsonSchema(HeadlinesBody),
        response: pieceSchema({
          items: looseArray,
          variant: { type: 'object', additionalProperties: true },
          written: { type: 'object', additionalProperties: true },
        }),
      },
    },
    async (req) => content.headlines.serve(req.principal.workspace, req.body),
  );

  const stepsAnswer = { 200: { type: 'object', additionalProperties: true } };
  app.get(
    '/v1/onboarding/steps',
    {
      config: { access: 'server' },
      schema: { tags: ['content'], summary: "The workspace's onboarding steps, roles and activation (404 until set)", response: stepsAnswer },
    },
    async (req) => content.onboarding.steps(req.principal.workspace),
  );

  app.put(
    '/v1/onboarding/steps',
    {
      config: { access: 'server' },
      schema: {
        tags: ['content'],
        summary:
          "Set the workspace's onboarding steps (titles per language, tags, prerequisites, `doneWhen`), its roles and their tags, the role trait and what counts as activation",
        body: jsonSchema(OnboardingSteps),
        response: stepsAnswer,
      },
    },
    async (req) => content.onboarding.saveSteps(req.principal.workspace, req.body),
  );

  app.get(
    '/v1/users/:id/onboarding',
    {
      config: { access: 'server' },
      schema: {
        tags: ['content'],
        summary:
          "The person's onboarding plan: the steps in the order for their role and what they have done (their role's, the workspace's, or the one that led people like them to activate), prerequisites first, with a message in their language and tone",
        response: pieceSchema(
          {
            userId: { type: 'string' },
            role: { type: ['string', 'null'] },
            order: { type: 'string', enum: ['learned', 'role', 'defined'] },
            candidates: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
            decisionId: { type: ['string', 'null'] },
            propensity: { type: 'number' },
            activated: { type: 'boolean' },
            next: { type: ['string', 'null'] },
            steps: looseArray,
            text: { type: 'string' },
            html: { type: 'string' },
          },
          ['steps', 'order', 'text'],
        ),
      },
    },
    async (req) => content.onboarding.plan(req.principal.workspace, req.params),
  );
}
