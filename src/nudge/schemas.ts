import { z } from 'zod';
import { Id, Text } from '../domain/schemas.ts';

/** What can fire a nudge. The opener's three signals (cart, price drop, restock) are the first three. */
export const TRIGGER_KINDS = ['abandoned_cart', 'price_drop', 'back_in_stock', 'replenishment', 'churn_risk', 'new_item_match', 'reminder'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/** Where a nudge goes: the chat (the assistant opens the next conversation with it), a signed webhook, or an email for the shop's mailer. */
export const NUDGE_CHANNELS = ['chat', 'webhook', 'email'] as const;
export type NudgeChannel = (typeof NUDGE_CHANNELS)[number];

const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Madrid');

/** What every trigger has: on or off, its channel, review mode, and the share of people held out to measure it. */
const common = {
  enabled: z.boolean().default(false),
  channel: z.enum(NUDGE_CHANNELS).default('chat'),
  /** Its nudges wait in `GET /v1/review` until a person approves, edits or rejects them. */
  review: z.boolean().default(false),
  /** The share of people who get no nudge from this trigger (logged, so its effect can be measured). */
  holdout: z.number().min(0).max(0.5).default(0.1),
};
const days = (d: number, max = 365) => z.number().min(0).max(max).default(d);

export const TriggerSettings = z
  .object({
    abandoned_cart: z
      .object({ ...common, afterHours: z.number().min(0.25).max(720).default(4), maxAgeDays: days(7, 90) })
      .strict()
      .default(() => ({ enabled: false, channel: 'chat' as const, review: false, holdout: 0.1, afterHours: 4, maxAgeDays: 7 })),
    price_drop: z
      .object({ ...common, withinDays: days(7, 90) })
      .strict()
      .default(() => ({ enabled: false, channel: 'chat' as const, review: false, holdout: 0.1, withinDays: 7 })),
    back_in_stock: z
      .object({ ...common, withinDays: days(7, 90) })
      .strict()
      .default(() => ({ enabled: false, channel: 'chat' as const, review: false, holdout: 0.1, withinDays: 7 })),
    replenishment: z
      .object({ ...common, leadDays: days(1, 60) })
      .strict()
      .default(() => ({ enabled: false, channel: 'chat' as const, review: false, holdout: 0.1, leadDays: 1 })),
    churn_risk: z
      .object({ ...common, threshold: z.number().min(0).max(1).default(0.7), cooldownDays: z.number().min(1).max(365).default(30) })
      .strict()
      .default(() => ({ enabled: false, channel: 'chat' as const, review: false, holdout: 0.1, threshold: 0.7, cooldownDays: 30 })),
    new_item_match: z
      .object({
        ...common,
        minShare: z.number().min(0).max(1).default(0.4),
        minEvents: z.number().int().min(1).max(10_000).default(5),
        withinDays: days(7, 90),
      })
      .strict()
      .default(() => ({ enabled: false, channel: 'chat' as const, review: false, holdout: 0.1, minShare: 0.4, minEvents: 5, withinDays: 7 })),
    reminder: z
      .object({ ...common, hour: z.number().int().min(0).max(23).default(10) })
      .strict()
      .default(() => ({ enabled: false, channel: 'chat' as const, review: false, holdout: 0, hour: 10 })),
  })
  .strict();

const Cap = z
  .object({
    max: z.number().int().min(0).max(100),
    perHours: z
      .number()
      .min(1)
      .max(24 * 90),
  })
  .strict();

/** `PUT /v1/nudges/triggers`: the workspace's triggers, caps, quiet hours and webhook. Omitted parts take their defaults. */
export const NudgeSettingsBody = z
  .object({
    triggers: TriggerSettings.default(() => TriggerSettings.parse({})),
    /** At most `max` nudges per person per channel in any `perHours` window (held-out and waiting ones count). */
    caps: z.object({ chat: Cap.optional(), webhook: Cap.optional(), email: Cap.optional() }).strict().default({}),
    /** No nudge between `start` and `end` o'clock in the person's time zone (trait `timeZone`, else `timeZone` here). */
    quietHours: z
      .object({ start: z.number().int().min(0).max(23), end: z.number().int().min(0).max(23), timeZone: TimeZone.default('UTC') })
      .strict()
      .nullable()
      .default({ start: 21, end: 8, timeZone: 'UTC' }),
    /** Where webhook and email nudges are POSTed, signed with the secret (generated when not given). */
    webhook: z
      .object({
        url: z.string().max(2000),
        secret: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type NudgeSettingsInput = z.input<typeof NudgeSettingsBody>;
export type NudgeSettings = Omit<z.infer<typeof NudgeSettingsBody>, 'webhook'> & { webhook: { url: string; secret: string } | null };
export type TriggerConfig<K extends TriggerKind = TriggerKind> = z.infer<typeof TriggerSettings>[K];

export const DEFAULT_CAP = { max: 1, perHours: 24 } as const;

/** `POST /v1/nudges/run`: evaluate now (all people, or one). */
export const RunBody = z.object({ userId: Id.optional() }).strict();

export const NUDGE_STATUSES = ['review', 'holdout', 'waiting', 'opened', 'delivering', 'delivered', 'failed', 'ready', 'rejected'] as const;
export type NudgeStatus = (typeof NUDGE_STATUSES)[number];

/** `GET /v1/users/:id/nudges` */
export const UserNudgesQuery = z
  .object({
    channel: z.enum(NUDGE_CHANNELS).optional(),
    status: z.enum(NUDGE_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

/** `GET /v1/review` */
export const ReviewQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }).strict();

export const ReviewParams = z
  .object({
    id: z
      .string()
      .max(300)
      .regex(/^(ndg_[A-Za-z0-9_-]{1,64}|cnt_[A-Za-z0-9_-]{1,64}|chat:[A-Za-z0-9_-]{1,64})$/, 'must be a review item id (ndg_…, cnt_… or chat:…)'),
  })
  .strict();

/** `POST /v1/review/:id`: approve, reject, or edit the message (an edit approves the edited text). */
export const ReviewDecision = z
  .object({
    action: z.enum(['approve', 'reject', 'edit']),
    /** The new message, or a held piece's new text (required for `edit`). */
    message: Text(2000).pipe(z.string().trim().min(1, 'must not be empty')).optional(),
    /** Who decided, as the reviewer wants it recorded (the key id is recorded too). */
    reviewer: Text(200).optional(),
    note: Text(1000).optional(),
  })
  .strict()
  .refine((b) => b.action !== 'edit' || b.message !== undefined, { message: 'is required when action is "edit"', path: ['message'] });
