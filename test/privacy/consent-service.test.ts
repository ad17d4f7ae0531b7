import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AfinError } from '../../src/domain/errors.ts';
import type { ConsentChange } from '../../src/domain/schemas.ts';
import { ConsentService, DEFAULT_CONSENT, PURPOSE_DESCRIPTIONS, currentConsent, type ConsentState } from '../../src/privacy/consent.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

/**
 * The consent choke point straight on an in-memory SQLite store, without the HTTP app: fast enough to
 * run against every mutant of src/privacy/consent.ts (issue 11, mutation testing).
 */
const WS = 'shop';
const START = Date.UTC(2026, 0, 15, 12);
let now = START;
const clock = () => now;
const ALL_OFF: ConsentState = { personalization: false, profiling: false, marketing: false, chatMemory: false };
const DEFAULTS: ConsentState = { personalization: true, profiling: true, marketing: false, chatMemory: true };

let store: SqliteStore;
let erased: Set<string>;
let consent: ConsentService;

beforeEach(async () => {
  now = START;
  store = new SqliteStore(':memory:');
  await store.migrate();
  erased = new Set();
  consent = new ConsentService(store, DEFAULTS, clock, async (ws, subject) => ws === WS && erased.has(subject));
});
afterEach(async () => {
  await store.close();
});

describe('currentConsent', () => {
  it('folds the changes, oldest first, over the defaults, each purpose only where it was given', () => {
    const change = (purposes: ConsentChange['purposes']): ConsentChange => ({ purposes, source: 'api', policyVersion: null, at: 0 });
    expect(currentConsent([], DEFAULTS)).toEqual(DEFAULTS);
    expect(
      currentConsent([change({ marketing: true }), change({ personalization: false }), change({ marketing: false, chatMemory: false })], DEFAULTS),
    ).toEqual({ personalization: false, profiling: true, marketing: false, chatMemory: false });
    const defaults = { ...DEFAULTS };
    currentConsent([change({ profiling: false })], defaults);
    expect(defaults).toEqual(DEFAULTS); // the defaults are not changed in place
  });

  it('has built-in defaults: everything but marketing on, and words for every purpose', () => {
    expect(DEFAULT_CONSENT).toEqual(DEFAULTS);
    expect(Object.keys(PURPOSE_DESCRIPTIONS).sort()).toEqual(['chatMemory', 'marketing', 'personalization', 'profiling']);
  });
});

describe('ConsentService', () => {
  it('uses the built-in defaults when given none', async () => {
    const plain = new ConsentService(store);
    expect(plain.defaults).toEqual(DEFAULTS);
    expect(await plain.state(WS, 'ana')).toEqual(DEFAULTS);
    expect(await plain.policy(WS, 'ana')).toMatchObject({ erased: false });
  });

  it('answers the defaults for someone who never said anything, then what they said', async () => {
    const optIn = new ConsentService(store, ALL_OFF, clock);
    expect(await optIn.state(WS, 'ana')).toEqual(ALL_OFF);
    await optIn.update(WS, 'ana', { marketing: true });
    expect(await optIn.state(WS, 'ana')).toEqual({ ...ALL_OFF, marketing: true });
    expect(await optIn.allows(WS, 'ana', 'marketing')).toBe(true);
    expect(await optIn.allows(WS, 'ana', 'personalization')).toBe(false);
    expect(await optIn.state(WS, 'bo')).toEqual(ALL_OFF);
  });

  it('answers nothing at all for an erased person, whatever was recorded since', async () => {
    await consent.update(WS, 'gone', { marketing: true });
    erased.add('gone');
    expect(await consent.state(WS, 'gone')).toEqual(ALL_OFF);
    expect(await consent.allows(WS, 'gone', 'personalization')).toBe(false);
    expect(await consent.policy(WS, 'gone')).toEqual({ subject: 'gone', erased: true, ...ALL_OFF });
    // The answer is a copy: changing it changes nothing for the next caller.
    const s = await consent.state(WS, 'gone');
    s.personalization = true;
    expect((await consent.state(WS, 'gone')).personalization).toBe(false);
  });

  it('answers a policy for users and anonymous subjects alike', async () => {
    expect(await consent.policy(WS, 'anon:v1')).toEqual({ subject: 'anon:v1', erased: false, ...DEFAULTS });
    await consent.update(WS, 'anon:v1', { personalization: false });
    expect(await consent.policy(WS, 'anon:v1')).toEqual({ subject: 'anon:v1', erased: false, ...DEFAULTS, personalization: false });
  });

  describe('record and update', () => {
    it('shows the defaults and their basis for someone who never said anything', async () => {
      expect(await consent.record(WS, 'ana')).toEqual({
        userId: 'ana',
        ...DEFAULTS,
        updatedAt: { personalization: null, profiling: null, marketing: null, chatMemory: null },
        basis: { personalization: 'default-on', profiling: 'default-on', marketing: 'default-off', chatMemory: 'default-on' },
        policyVersion: null,
        history: [],
      });
    });

    it('keeps the full history with time, source and policy version, and each purpose’s last change', async () => {
      const first = await consent.update(WS, 'ana', { marketing: true, personalization: false, policyVersion: 'v1' });
      expect(first.history).toEqual([
        { at: new Date(START).toISOString(), source: 'api', policyVersion: 'v1', purposes: { personalization: false, marketing: true } },
      ]);
      now = START + 1000;
      const r = await consent.update(WS, 'ana', { marketing: false, source: 'banner' }, 'chat');
      expect(r).toEqual({
        userId: 'ana',
        personalization: false,
        profiling: true,
        marketing: false,
        chatMemory: true,
        updatedAt: { personalization: new Date(START).toISOString(), profiling: null, marketing: new Date(START + 1000).toISOString(), chatMemory: null },
        basis: { personalization: 'withdrawn', profiling: 'default-on', marketing: 'withdrawn', chatMemory: 'default-on' },
        policyVersion: null,
        history: [
          { at: new Date(START).toISOString(), source: 'api', policyVersion: 'v1', purposes: { personalization: false, marketing: true } },
          { at: new Date(START + 1000).toISOString(), source: 'banner', policyVersion: null, purposes: { marketing: false } },
        ],
      });
      now = START + 2000;
      const third = await consent.update(WS, 'ana', { marketing: true, profiling: true, policyVersion: 'v2' }, 'chat');
      expect(third.basis).toEqual({ personalization: 'withdrawn', profiling: 'given', marketing: 'given', chatMemory: 'default-on' });
      expect(third.policyVersion).toBe('v2');
      expect(third.history.at(-1)).toEqual({
        at: new Date(START + 2000).toISOString(),
        source: 'chat',
        policyVersion: 'v2',
        purposes: { profiling: true, marketing: true },
      });
      expect(await consent.record(WS, 'ana')).toEqual(third);
      expect(await store.consentHistory(WS, 'ana')).toHaveLength(3);
    });

    it('hands the store only the purposes given', async () => {
      const changes: unknown[] = [];
      const recording = new Proxy(store, {
        get(t, prop, receiver) {
          if (prop === 'appendConsent')
            return async (ws: string, userId: string, change: ConsentChange) => {
              changes.push(change);
              return t.appendConsent(ws, userId, change);
            };
          const v = Reflect.get(t, prop, receiver);
          return typeof v === 'function' ? v.bind(t) : v;
        },
      }) as SqliteStore;
      await new ConsentService(recording, DEFAULTS, clock).update(WS, 'ana', { marketing: true, chatMemory: false });
      expect(changes).toStrictEqual([{ purposes: { marketing: true, chatMemory: false }, source: 'api', policyVersion: null, at: START }]);
    });

    it('refuses an empty change, unknown fields and wrong types, storing nothing', async () => {
      for (const body of [{}, { source: 'x' }, { marketing: 'yes' }, { tracking: true }, null]) {
        const e = await consent.update(WS, 'ana', body).then(
          () => null,
          (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(AfinError);
        expect(e).toMatchObject({ code: 'invalid_body' });
      }
      expect(await store.consentHistory(WS, 'ana')).toEqual([]);
    });
  });
});
