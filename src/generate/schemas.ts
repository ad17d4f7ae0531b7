import { z } from 'zod';
import { EVENT_TYPES, Id, UserId } from '../domain/schemas.ts';

export const EMAIL_GOALS = ['win-back', 'cart-reminder', 'new-arrivals', 'replenishment', 'post-purchase'] as const;
export type EmailGoal = (typeof EMAIL_GOALS)[number];

export const EmailBody = z
  .object({
    userId: UserId,
    goal: z.enum(EMAIL_GOALS),
    /** How many items the email shows (default 4). */
    n: z.number().int().min(1).max(10).optional(),
    /** Hold the email for a person to review (`GET /v1/review`) instead of answering its text; overrides the brand voice's `review`. */
    review: z.boolean().optional(),
  })
  .strict();
export type EmailBodyT = z.infer<typeof EmailBody>;

/** `POST /v1/content/description`: `review` as for the email. */
export const DescriptionBody = z.object({ userId: UserId, itemId: Id, review: z.boolean().optional() }).strict();
export type DescriptionBodyT = z.infer<typeof DescriptionBody>;

const Short = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/** The workspace's brand voice: how its content speaks when a person's own style is unknown. */
export const BrandVoice = z
  .object({
    /** The shop's name, signed under emails. */
    brand: Short(80).optional(),
    tone: z.enum(['informal', 'technical', 'direct']).default('informal'),
    /** Spanish form of address when the person's is unknown. */
    address: z.enum(['tu', 'usted']).default('tu'),
    /** The language when neither the person nor their events say one. */
    language: z.enum(['en', 'es']).default('en'),
    /** Emoji in informal emails. */
    emoji: z.boolean().default(true),
    /** Piece kinds held for review unless a request says `review: false`. */
    review: z
      .array(z.enum(['email', 'description']))
      .max(2)
      .optional(),
  })
  .strict();
export type BrandVoiceT = z.infer<typeof BrandVoice>;

// ------------------------------------------------------------------------------------ onboarding

/** Step ids, role names and tags name themselves in answers and events: short, URL-safe. */
const Name = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes or underscores, starting with a letter or digit');

/** A text in one language, or per language (the reader's is used, else English, else any). */
const Localised = (max: number) =>
  z.union([
    Short(max).pipe(z.string().min(1, 'must not be empty')),
    z
      .object({ en: Short(max).optional(), es: Short(max).optional() })
      .strict()
      .refine((o) => !!(o.en || o.es), 'needs an "en" or an "es" text'),
  ]);
export type LocalisedT = string | { en?: string; es?: string };

export const MAX_STEPS = 50;

export const OnboardingStep = z
  .object({
    id: Name,
    title: Localised(200),
    description: Localised(1000).optional(),
    /** What the step is about (`campaigns`, `sso`, …): matched against each role's tags. */
    tags: z.array(Name).max(20).default([]),
    /** Steps that must be done before this one. */
    prerequisites: z.array(Name).max(MAX_STEPS).default([]),
    /**
     * Besides any event whose `properties.step` names the step, an event of this type (on this item,
     * when given) marks it done.
     */
    doneWhen: z
      .object({ type: z.enum(EVENT_TYPES), itemId: Id.optional() })
      .strict()
      .optional(),
  })
  .strict();
export type OnboardingStepT = z.infer<typeof OnboardingStep>;

export const OnboardingSteps = z
  .object({
    steps: z.array(OnboardingStep).min(1, 'at least one step').max(MAX_STEPS, `at most ${MAX_STEPS} steps`),
    /** Roles and the tags that matter to each: a role's steps come first, and similar roles learn from each other. */
    roles: z
      .record(Name, z.object({ tags: z.array(Name).max(20) }).strict())
      .refine((r) => Object.keys(r).length <= 100, 'at most 100 roles')
      .default({}),
    /**
     * Let the `onboarding` decision point choose among the candidate orders (and learn which leads to
     * activation); false: always the learned order when there is one, else the role's, else the workspace's.
     */
    explore: z.boolean().default(true),
    /** The trait that holds a person's role. */
    roleTrait: Name.default('role'),
    /** What counts as activated: an event of this type, or this step done (default: every step done). */
    activation: z
      .object({ type: z.enum(EVENT_TYPES).optional(), step: Name.optional() })
      .strict()
      .refine((a) => !!(a.type || a.step), 'needs a "type" or a "step"')
      .optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const ids = new Set<string>();
    b.steps.forEach((s, k) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', k, 'id'], message: `"${s.id}" is used by two steps` });
      ids.add(s.id);
    });
    for (const [k, s] of b.steps.entries())
      for (const [j, p] of s.prerequisites.entries()) {
        if (!ids.has(p)) ctx.addIssue({ code: 'custom', path: ['steps', k, 'prerequisites', j], message: `"${p}" is no step` });
        else if (p === s.id) ctx.addIssue({ code: 'custom', path: ['steps', k, 'prerequisites', j], message: 'a step cannot require itself' });
      }
    const cycle = findCycle(b.steps);
    if (cycle)
      ctx.addIssue({
        code: 'custom',
        path: ['steps', b.steps.findIndex((s) => s.id === cycle[0]), 'prerequisites'],
        message: `prerequisites form a cycle: ${cycle.join(' → ')}`,
      });
    if (b.activation?.step && !ids.has(b.activation.step))
      ctx.addIssue({ code: 'custom', path: ['activation', 'step'], message: `"${b.activation.step}" is no step` });
  });
export type OnboardingStepsT = z.infer<typeof OnboardingSteps>;

export const OnboardingParams = z.object({ id: UserId }).strict();

// ------------------------------------------------------------------------------------ headlines and ads

export const MAX_FRONT_PAGE = 200;
export const MAX_HEADLINE_VARIANTS = 20;

/** A front-page entry: an article (its own tags) or a catalogue item (`itemId`: its categories and tags are read). */
const FrontPageItem = z
  .object({
    id: Id,
    title: Short(300).optional(),
    categories: z
      .array(Short(200).pipe(z.string().min(1)))
      .max(20)
      .optional(),
    tags: z
      .array(Short(200).pipe(z.string().min(1)))
      .max(50)
      .optional(),
    itemId: Id.optional(),
  })
  .strict();

const HeadlineVariant = z
  .object({
    id: Name,
    text: Short(300).pipe(z.string().min(1, 'must not be empty')),
    /** Tags the decision point learns across variants and readers (`{ "angle": "price" }`). */
    features: z
      .record(z.string().min(1).max(64), z.union([z.number().finite().min(-1e6).max(1e6), z.boolean(), Short(200)]))
      .refine((m) => Object.keys(m).length <= 50, 'at most 50 features')
      .optional(),
  })
  .strict();

export const HeadlinesBody = z
  .object({
    userId: UserId,
    /** `headline` (editorial) or `ad` (needs the person's `marketing` consent). */
    kind: z.enum(['headline', 'ad']).default('headline'),
    items: z
      .array(FrontPageItem)
      .max(MAX_FRONT_PAGE, `at most ${MAX_FRONT_PAGE} items`)
      .refine((xs) => new Set(xs.map((x) => x.id)).size === xs.length, 'item ids must be distinct')
      .optional(),
    variants: z
      .array(HeadlineVariant)
      .max(MAX_HEADLINE_VARIANTS, `at most ${MAX_HEADLINE_VARIANTS} variants`)
      .refine((xs) => new Set(xs.map((x) => x.id)).size === xs.length, 'variant ids must be distinct')
      .optional(),
    /** Also write a variant from this catalogue item's facts, for this reader (it competes with the others as `written`). */
    write: z.object({ itemId: Id }).strict().optional(),
    /** The decision point choosing among the variants (default `headlines`, or `ads` for an ad). */
    point: Name.optional(),
  })
  .strict()
  .refine((b) => !!(b.items?.length || b.variants?.length || b.write), { message: 'items, variants or write is required', path: ['items'] })
  .refine((b) => !b.variants?.some((v) => v.id === 'written') || !b.write, {
    message: '"written" names the written variant; give yours another id',
    path: ['variants'],
  });
export type HeadlinesBodyT = z.infer<typeof HeadlinesBody>;

/** A cycle among the steps' prerequisites, as the ids walked (first repeated last), or null. */
export function findCycle(steps: ReadonlyArray<{ id: string; prerequisites: readonly string[] }>): string[] | null {
  const req = new Map(steps.map((s) => [s.id, s.prerequisites]));
  const state = new Map<string, 1 | 2>(); // 1: on the path, 2: finished
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 2) return null;
    if (state.get(id) === 1) return [...path.slice(path.indexOf(id)), id];
    state.set(id, 1);
    path.push(id);
    for (const p of req.get(id) ?? []) {
      const c = visit(p);
      if (c) return c;
    }
    path.pop();
    state.set(id, 2);
    return null;
  };
  for (const s of steps) {
    const c = visit(s.id);
    if (c) return c;
  }
  return null;
}

/** `GET /v1/content/:contentId` */
export const ContentParams = z.object({ contentId: z.string().regex(/^cnt_[A-Za-z0-9_-]{1,64}$/, 'must be a content id (cnt_…)') }).strict();
