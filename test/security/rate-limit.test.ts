import { afterEach, describe, expect, it } from 'vitest';
import { parseRateLimits } from '../../src/config.ts';
import { RateLimiter } from '../../src/server/plugins/rate-limit.ts';
import { testClock } from '../helpers.ts';
import { bearer, makeConfiguredApp, type ConfiguredApp } from './app.ts';

let t: ConfiguredApp;
afterEach(async () => t?.close());

describe('RateLimiter', () => {
  it('allows a burst, then refills at the rate and says how long to wait', () => {
    const clock = testClock();
    const l = new RateLimiter(clock);
    for (let i = 0; i < 4; i++) expect(l.take('k', 2, 4)).toBe(0);
    expect(l.take('k', 2, 4)).toBe(1);
    expect(l.take('other', 2, 4)).toBe(0);
    clock.advance(500);
    expect(l.take('k', 2, 4)).toBe(0);
    expect(l.take('k', 0.1, 4)).toBe(10);
  });

  it('parses AFIN_RATE_LIMITS', () => {
    expect(parseRateLimits('public=50, admin=10')).toEqual({ public: 50, server: 5000, admin: 10 });
    expect(() => parseRateLimits('root=1')).toThrow(/AFIN_RATE_LIMITS/);
    expect(() => parseRateLimits('public=0')).toThrow(/AFIN_RATE_LIMITS/);
  });
});

describe('per-key rate limits', () => {
  it('answer 429 with Retry-After once a key exceeds its limit, and recover with time', async () => {
    t = await makeConfiguredApp();
    const k = await t.key('public', { rateLimit: 2 }); // bursts of 4
    const get = () => t.call('GET', '/v1/recommendations?userId=u', undefined, bearer(k.key));
    for (let i = 0; i < 4; i++) expect((await get()).statusCode).toBe(200);
    const r = await get();
    expect(r.statusCode).toBe(429);
    expect(r.json().error.code).toBe('rate_limited');
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another key is not affected; the root key is never limited.
    const other = await t.key('public', { rateLimit: 2 });
    expect((await t.call('GET', '/v1/recommendations?userId=u', undefined, bearer(other.key))).statusCode).toBe(200);
    for (let i = 0; i < 20; i++) expect((await t.call('GET', '/v1/recommendations?userId=u')).statusCode).toBe(200);
    t.clock.advance(1000);
    expect((await get()).statusCode).toBe(200);
  });

  it('limit a public key per visitor address, so one busy visitor does not block a whole site', async () => {
    t = await makeConfiguredApp();
    const k = await t.key('public', { rateLimit: 1 }); // bursts of 2
    const from = (ip: string) => t.app.inject({ method: 'GET', url: '/v1/items/x', headers: bearer(k.key), remoteAddress: ip });
    expect((await from('10.0.0.1')).statusCode).toBe(404);
    expect((await from('10.0.0.1')).statusCode).toBe(404);
    expect((await from('10.0.0.1')).statusCode).toBe(429);
    expect((await from('10.0.0.2')).statusCode).toBe(404);
  });

  it('apply the scope default from AFIN_RATE_LIMITS when the key sets none', async () => {
    t = await makeConfiguredApp({ rateLimits: { public: 1, server: 1000, admin: 1000 } });
    const k = await t.key('public');
    expect((await t.call('GET', '/v1/items/x', undefined, bearer(k.key))).statusCode).toBe(404);
    expect((await t.call('GET', '/v1/items/x', undefined, bearer(k.key))).statusCode).toBe(404);
    expect((await t.call('GET', '/v1/items/x', undefined, bearer(k.key))).statusCode).toBe(429);
  });

  it('slow down an address that keeps presenting wrong keys', async () => {
    t = await makeConfiguredApp();
    const codes: number[] = [];
    for (let i = 0; i < 35; i++) codes.push((await t.call('GET', '/v1/items/x', undefined, bearer(`afin_public_guess${i}`))).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
    expect(codes.slice(30).every((c) => c === 429)).toBe(true);
    // A valid key from the same address still works.
    expect((await t.call('GET', '/v1/items/x')).statusCode).toBe(404);
  });
});
