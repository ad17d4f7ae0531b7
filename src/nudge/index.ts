/**
 * Proactive nudges: triggers evaluated every minute, guarded by consent, caps, quiet hours, erasure and
 * a holdout, delivered to the chat, a signed webhook or an email payload, or held for review.
 */
export { NudgeService, NUDGE_COLLECTION, NUDGE_OUTBOX_COLLECTION, nudgeView, type NudgeDeps, type RunReport, type NudgeView } from './nudge-service.ts';
export { NudgeScheduler, NUDGE_INTERVAL_MS, type SchedulerPorts } from './scheduler.ts';
export { nudgeRoutes } from './routes.ts';
export { signWebhook, verifyWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, RETRY_DELAYS_MS } from './webhook.ts';
export { TRIGGER_KINDS, NUDGE_CHANNELS, type TriggerKind, type NudgeChannel } from './schemas.ts';
