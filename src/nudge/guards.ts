/** The guards between a signal and a person: quiet hours, frequency caps and the per-trigger holdout. */
import { createHash } from 'node:crypto';
import { localTime } from '../present/send-time.ts';
import { DEFAULT_CAP, type NudgeChannel, type NudgeSettings, type TriggerKind } from './schemas.ts';
import { HOUR_MS } from './signals.ts';

/** Whether `now` falls in the quiet hours in `timeZone` (a window may run over midnight: 21 → 8). */
export function inQuietHours(now: number, quiet: NudgeSettings['quietHours'], timeZone: string): boolean {
  if (!quiet || quiet.start === quiet.end) return false;
  const { hour } = localTime(now, timeZone);
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/** Whether the person already had the channel's allowance in the window ending now. */
export function capReached(
  past: readonly { channel: NudgeChannel; createdAt: number; counts: boolean }[],
  channel: NudgeChannel,
  caps: NudgeSettings['caps'],
  now: number,
): boolean {
  const cap = caps[channel] ?? DEFAULT_CAP;
  const since = now - cap.perHours * HOUR_MS;
  return past.filter((n) => n.counts && n.channel === channel && n.createdAt > since).length >= cap.max;
}

/**
 * Whether the person is in the trigger's holdout, and the chance of the arm they are in. Drawn from a
 * keyed hash, so a person stays in the same arm of a trigger from run to run (as in an experiment).
 */
export function holdoutArm(ws: string, trigger: TriggerKind, userId: string, share: number): { arm: 'holdout' | 'nudged'; propensity: number } {
  const h = createHash('sha256').update(`nudge-holdout\0${ws}\0${trigger}\0${userId}`).digest();
  const u = h.readUInt32BE(0) / 2 ** 32;
  return u < share ? { arm: 'holdout', propensity: share } : { arm: 'nudged', propensity: 1 - share };
}
