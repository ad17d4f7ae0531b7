import { describe, expect, it } from 'vitest';
import { capReached, holdoutArm, inQuietHours } from '../../src/nudge/guards.ts';
import { NudgeSettingsBody } from '../../src/nudge/schemas.ts';
import { reminderDay, reminderDue } from '../../src/nudge/signals.ts';

const HOUR = 3_600_000;

describe('reminders asked for in the chat', () => {
  it('reads the day in English and Spanish', () => {
    expect(reminderDay('Remind me on Friday please')).toBe(5);
    expect(reminderDay('ok, remind me next monday')).toBe(1);
    expect(reminderDay('remind me tomorrow')).toBe('tomorrow');
    expect(reminderDay('recuérdamelo el viernes')).toBe(5);
    expect(reminderDay('Recuérdame el miércoles')).toBe(3);
    expect(reminderDay('recuerdame mañana')).toBe('tomorrow');
    // "mañana" here is the morning of the day named, not tomorrow.
    expect(reminderDay('recuérdamelo el sábado por la mañana')).toBe(6);
  });

  it('finds no reminder where none was asked for', () => {
    expect(reminderDay('I will buy it on Friday')).toBeNull();
    expect(reminderDay('remind me')).toBeNull();
    expect(reminderDay('¿llega el viernes?')).toBeNull();
    expect(reminderDay('recuerda que es para el lunes')).toBeNull();
  });

  it("is due at the hour set on the day named, in the person's zone, never the same day", () => {
    const thuNoonUtc = Date.UTC(2026, 0, 15, 12);
    expect(new Date(reminderDue(thuNoonUtc, 5, 10, 'UTC')).toISOString()).toBe('2026-01-16T10:00:00.000Z');
    // Madrid is an hour ahead in January.
    expect(new Date(reminderDue(thuNoonUtc, 5, 10, 'Europe/Madrid')).toISOString()).toBe('2026-01-16T09:00:00.000Z');
    // Asked on a Thursday for "Thursday": next week's.
    expect(new Date(reminderDue(thuNoonUtc, 4, 10, 'UTC')).toISOString()).toBe('2026-01-22T10:00:00.000Z');
    // Asked at 01:00 for tomorrow at 10: the next day, not nine hours later.
    expect(new Date(reminderDue(Date.UTC(2026, 0, 15, 1), 'tomorrow', 10, 'UTC')).toISOString()).toBe('2026-01-16T10:00:00.000Z');
    // Across the spring change in Madrid (29 March 2026), still 10:00 local.
    expect(new Date(reminderDue(Date.UTC(2026, 2, 27, 12), 0, 10, 'Europe/Madrid')).toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });
});

describe('guards', () => {
  it("quiet hours run over midnight, in the person's zone", () => {
    const q = { start: 21, end: 8, timeZone: 'UTC' };
    expect(inQuietHours(Date.UTC(2026, 0, 15, 20, 59), q, 'UTC')).toBe(false);
    expect(inQuietHours(Date.UTC(2026, 0, 15, 21), q, 'UTC')).toBe(true);
    expect(inQuietHours(Date.UTC(2026, 0, 16, 7, 59), q, 'UTC')).toBe(true);
    expect(inQuietHours(Date.UTC(2026, 0, 16, 8), q, 'UTC')).toBe(false);
    expect(inQuietHours(Date.UTC(2026, 0, 15, 20, 30), q, 'Europe/Madrid')).toBe(true);
    expect(inQuietHours(Date.UTC(2026, 0, 15, 12), { start: 13, end: 15, timeZone: 'UTC' }, 'Europe/Madrid')).toBe(true);
    expect(inQuietHours(Date.UTC(2026, 0, 15, 3), null, 'UTC')).toBe(false);
  });

  it("caps count the channel's nudges in the window only", () => {
    const now = Date.UTC(2026, 0, 15, 12);
    const caps = NudgeSettingsBody.parse({ caps: { chat: { max: 2, perHours: 24 } } }).caps;
    const chat = (hoursAgo: number, counts = true) => ({ channel: 'chat' as const, createdAt: now - hoursAgo * HOUR, counts });
    expect(capReached([chat(1)], 'chat', caps, now)).toBe(false);
    expect(capReached([chat(1), chat(23)], 'chat', caps, now)).toBe(true);
    expect(capReached([chat(1), chat(25)], 'chat', caps, now)).toBe(false);
    expect(capReached([chat(1), chat(2, false)], 'chat', caps, now)).toBe(false);
    // The webhook's own cap (the default, one a day) is not touched by chat nudges.
    expect(capReached([chat(1), chat(2)], 'webhook', caps, now)).toBe(false);
    expect(capReached([{ channel: 'webhook', createdAt: now - HOUR, counts: true }], 'webhook', caps, now)).toBe(true);
  });

  it('holdout: the chance of each arm is the share set, and a person keeps their arm', () => {
    for (const share of [0, 0.1, 0.5]) {
      const arms = Array.from({ length: 2000 }, (_, i) => holdoutArm('default', 'abandoned_cart', `u${i}`, share));
      for (const a of arms) expect(a.propensity).toBe(a.arm === 'holdout' ? share : 1 - share);
      const held = arms.filter((a) => a.arm === 'holdout').length / arms.length;
      // 2,000 keyed hashes: within five standard errors of the share.
      expect(Math.abs(held - share)).toBeLessThanOrEqual(5 * Math.sqrt((share * (1 - share)) / 2000) + 1e-9);
    }
    expect(holdoutArm('default', 'churn_risk', 'ana', 0.3)).toEqual(holdoutArm('default', 'churn_risk', 'ana', 0.3));
  });
});
