import { z } from 'zod';
import { Id, UserId } from '../domain/schemas.ts';

export const EMAIL_GOALS = ['win-back', 'cart-reminder', 'new-arrivals', 'replenishment', 'post-purchase'] as const;
export type EmailGoal = (typeof EMAIL_GOALS)[number];

export const EmailBody = z
  .object({
    userId: UserId,
    goal: z.enum(EMAIL_GOALS),
    /** How many items the email shows (default 4). */
    n: z.number().int().min(1).max(10).optional(),
  })
  .strict();
export type EmailBodyT = z.infer<typeof EmailBody>;

export const DescriptionBody = z.object({ userId: UserId, itemId: Id }).strict();
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
  })
  .strict();
export type BrandVoiceT = z.infer<typeof BrandVoice>;
