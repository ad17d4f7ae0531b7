import { OPTION_DIMS } from './context.ts';

/**
 * The built-in `send-time` decision point: which hour of the day to send a person a message. Its
 * options are hours of the person's own day (0–23 in their time zone); each hour's features say how
 * much of the person's past activity fell in that hour, so a policy whose shared part learns "people
 * open what arrives when they are usually active" (hybrid LinUCB, the point's default) carries that to
 * every person and every hour from the first rewards.
 */
export const SEND_TIME_POINT = 'send-time';
export const HOURS: readonly string[] = Array.from({ length: 24 }, (_, h) => String(h));
/** How many of the person's latest events their activity hours are read from. */
export const ACTIVITY_EVENTS = 500;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    if (formatters.size > 1000) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The hour and minute of the day at `ts` in `timeZone`. */
export function localTime(ts: number, timeZone: string): { hour: number; minute: number } {
  let hour = 0;
  let minute = 0;
  for (const p of formatter(timeZone).formatToParts(ts)) {
    if (p.type === 'hour') hour = Number(p.value) % 24;
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { hour, minute };
}

/**
 * The share of the person's activity in each local hour, smoothed over the neighbouring hours
 * (¼, ½, ¼ around the clock), since someone who acts at 20:50 is as reachable at 21:00. All zeros
 * when there is no history.
 */
export function activityByHour(timestamps: readonly number[], timeZone: string): Float64Array {
  const raw = new Float64Array(24);
  for (const ts of timestamps) raw[localTime(ts, timeZone).hour] += 1;
  const out = new Float64Array(24);
  const n = timestamps.length;
  if (n === 0) return out;
  for (let h = 0; h < 24; h++) out[h] = (0.25 * raw[(h + 23) % 24] + 0.5 * raw[h] + 0.25 * raw[(h + 1) % 24]) / n;
  return out;
}

/**
 * An hour's option features (OPTION_DIMS slots): the person's activity then (scaled so a habitual
 * hour is near 1), whether it is their busiest hour, and the hour on the clock (sine, cosine), from
 * which a population-wide preference can be learnt for people without history.
 */
export function hourFeatures(activity: Float64Array, hour: number): Float64Array {
  const f = new Float64Array(OPTION_DIMS);
  let max = 0;
  for (const a of activity) max = Math.max(max, a);
  f[0] = 3 * activity[hour];
  f[1] = max > 0 && activity[hour] === max ? 1 : 0;
  f[2] = Math.sin((2 * Math.PI * hour) / 24);
  f[3] = Math.cos((2 * Math.PI * hour) / 24);
  return f;
}

/** The next moment after `now` when the clock in `timeZone` shows `hour`:00 (found in 15-minute steps, so half-hour zones work). */
export function nextSendAt(now: number, hour: number, timeZone: string): number {
  const step = 15 * 60_000;
  let t = Math.floor(now / step) * step + step;
  // As far ahead as the clock says, checked once: right unless the offset changes on the way (summer time).
  const l = localTime(t, timeZone);
  const guess = t + ((((hour * 60 - (l.hour * 60 + l.minute)) % 1440) + 1440) % 1440) * 60_000;
  const g = localTime(guess, timeZone);
  if (g.hour === hour && g.minute === 0) return guess;
  for (let i = 0; i < 4 * 26; i++, t += step) {
    const l = localTime(t, timeZone);
    if (l.hour === hour && l.minute === 0) return t;
  }
  // A zone whose offset is not a multiple of 15 minutes (none today): the top of the hour nearest.
  return Math.floor(now / 3_600_000) * 3_600_000 + 3_600_000;
}
