import {
  ANON_PREFIX,
  EVENT_TYPES,
  FREE_FORM_MAX_BYTES,
  FREE_FORM_MAX_DEPTH,
  ITEM_EVENT_TYPES,
  MAX_AMOUNT,
  MAX_TIME,
  MIN_TIME,
  depthOf,
  parseIsoTime,
  type EventInputT,
  type EventType,
} from '../domain/schemas.ts';

const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters an id must not contain (as Id says)
const CONTROL = /[\u0000-\u001f\u007f]/;

const isId = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 256 && !CONTROL.test(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max && !v.includes('\u0000');

/** A JSON object as the body parser makes them (zod's record takes nothing else either). */
function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `properties` as freeForm() takes it, when zod would return the same object (no `__proto__` key to strip). */
function isProperties(v: unknown): boolean {
  if (!isPlainRecord(v) || Object.hasOwn(v, '__proto__')) return false;
  for (const k of Object.keys(v)) if (k.length > 200) return false;
  if (depthOf(v, FREE_FORM_MAX_DEPTH) > FREE_FORM_MAX_DEPTH) return false;
  return Buffer.byteLength(JSON.stringify(v)) <= FREE_FORM_MAX_BYTES;
}

/**
 * The checks of `EventInput` written out for one plain JSON event, at a fraction of zod's cost per
 * event (issue 13: zod was a tenth of the ingest CPU). It only ever says yes: the event as zod would
 * return it (the same fields, unchanged) when every check passes, else undefined, and the caller asks
 * zod, whose issue names the field. So what is refused, and how, stays zod's alone.
 */
export function plainEvent(raw: unknown): EventInputT | undefined {
  if (!isPlainRecord(raw)) return undefined;
  const e = raw as Record<string, unknown>;
  for (const key in e) {
    const v = e[key];
    switch (key) {
      case 'messageId':
      case 'anonymousId':
      case 'itemId':
      case 'recommendationId':
        if (!isId(v)) return undefined;
        break;
      case 'userId':
        if (!isId(v) || v.startsWith(ANON_PREFIX)) return undefined;
        break;
      case 'type':
        if (typeof v !== 'string' || !TYPES.has(v)) return undefined;
        break;
      case 'value':
        if (typeof v !== 'number' || !(v >= -MAX_AMOUNT && v <= MAX_AMOUNT)) return undefined;
        break;
      case 'query':
        if (!isText(v, 2000)) return undefined;
        break;
      case 'channel':
        if (!isText(v, 64) || v.length === 0) return undefined;
        break;
      case 'variant':
        if (!isText(v, 256)) return undefined;
        break;
      case 'timestamp':
        if (typeof v === 'number') {
          if (!Number.isInteger(v) || v < MIN_TIME || v > MAX_TIME) return undefined;
        } else if (typeof v !== 'string' || v.length > 64 || Number.isNaN(parseIsoTime(v))) return undefined;
        break;
      case 'properties':
        if (!isProperties(v)) return undefined;
        break;
      default:
        return undefined; // an unknown field (or an inherited one): zod says which
    }
  }
  const type = e.type as EventType | undefined;
  if (type === undefined || (!e.userId && !e.anonymousId)) return undefined;
  if (ITEM_EVENT_TYPES.has(type) && !e.itemId) return undefined;
  const value = e.value as number | undefined;
  if (type === 'rating' && !(value !== undefined && value >= 1 && value <= 5)) return undefined;
  if (type === 'survey' && !(value !== undefined && Number.isInteger(value) && value >= 0 && value <= 10)) return undefined;
  return e as EventInputT;
}
