import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { redactUrl, truncateIp } from '../../src/server/plugins/security.ts';
import { items } from '../helpers.ts';
import { makeConfiguredApp, type ConfiguredApp } from './app.ts';

let t: ConfiguredApp;
afterEach(async () => t?.close());

describe('log redaction', () => {
  it('masks person ids in paths and every query value', () => {
    expect(redactUrl('/v1/users/ana%40example.com/export')).toBe('/v1/users/:id/export');
    expect(redactUrl('/v1/recommendations?userId=ana&n=3')).toBe('/v1/recommendations?userId=*&n=*');
    expect(redactUrl('/v1/chat/ses_123')).toBe('/v1/chat/:sessionId');
    expect(redactUrl('/v1/chat/ses_123/agent')).toBe('/v1/chat/:sessionId/agent');
    expect(redactUrl('/v1/chat/opener?userId=ana')).toBe('/v1/chat/opener?userId=*');
    expect(redactUrl('/v1/recommendations/rec_1/why')).toBe('/v1/recommendations/:recommendationId/why');
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('::ffff:203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('2001:db8:1:2::5')).toBe('2001:db8:1::');
  });

  it('never writes keys, person ids or query values to the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    t = await makeConfiguredApp({}, { logger: { level: 'info', stream } });
    await t.call('PUT', '/v1/items', items(2));
    const pub = await t.key('public');
    await t.app.inject({
      method: 'GET',
      url: '/v1/recommendations?userId=secret-person-1&anonymousId=anon-secret-2',
      headers: { authorization: `Bearer ${pub.key}`, cookie: 'session=cookie-secret-3' },
    });
    await t.call('GET', '/v1/users/secret-person-1/export');
    await t.call('DELETE', '/v1/users/secret-person-1');
    await t.app.inject({ method: 'GET', url: '/v1/items/x', headers: { authorization: 'Bearer afin_public_wrong-guess-4' } });
    const log = lines.join('');
    expect(log).toContain('incoming request');
    expect(log).toContain('/v1/users/:id/export');
    for (const secret of [pub.key, 'test-root-key', 'secret-person-1', 'anon-secret-2', 'cookie-secret-3', 'wrong-guess-4'])
      expect(log, secret).not.toContain(secret);
  });
});
