import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPOSURE_COLLECTION } from '../../src/experiment/exposure-log.ts';
import { makeTestApp, type TestApp } from '../helpers.ts';
import { call, seedShop } from './fixtures.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await seedShop(t);
});
afterEach(async () => t.close());

const req = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, headers?: Record<string, string>) => {
  const r = await call(t, method, url, body, headers);
  return { status: r.statusCode, body: r.json() };
};
const queue = async () => (await req('GET', '/v1/review')).body;
const exposed = async (id: string) => {
  await t.engine.experiments.log.flush();
  return (await t.engine.store.listDocs('default', EXPOSURE_COLLECTION)).some((d) => d.id === id);
};

describe('generated content through the review queue', () => {
  it('holds a piece asked for review: its text is not served, it waits in the queue, approval releases it', async () => {
    const held = await req('POST', '/v1/content/email', { userId: 'ana', goal: 'win-back', review: true });
    expect(held.status).toBe(200);
    expect(held.body).toEqual({
      contentId: expect.stringMatching(/^cnt_/),
      kind: 'email',
      userId: 'ana',
      status: 'held',
      review: `POST /v1/review/${held.body.contentId}`,
    });
    const id = held.body.contentId;
    const before = await req('GET', `/v1/content/${id}`);
    expect(before.body).toEqual({ contentId: id, kind: 'email', userId: 'ana', status: 'held' });
    expect(await exposed(id)).toBe(false);

    const q = await queue();
    expect(q.counts.content).toBe(1);
    const entry = q.items.find((i: { id: string }) => i.id === id);
    expect(entry).toMatchObject({ kind: 'content', contentKind: 'email', userId: 'ana', language: 'es' });
    expect(entry.text).toContain('Ana');
    expect(entry.subject).toEqual(expect.any(String));

    const ok = await req('POST', `/v1/review/${id}`, { action: 'approve', reviewer: 'marta' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      contentId: id,
      status: 'released',
      text: entry.text,
      subject: entry.subject,
      review: { action: 'approve', reviewer: 'marta' },
    });
    const after = await req('GET', `/v1/content/${id}`);
    expect(after.body).toMatchObject({ status: 'released', kind: 'email', text: entry.text, by: 'embedded', language: 'es' });
    expect(after.body.html).toContain('<html');
    expect(await exposed(id)).toBe(true);
    expect((await queue()).items.find((i: { id: string }) => i.id === id)).toBeUndefined();
    // Decided once.
    const twice = await req('POST', `/v1/review/${id}`, { action: 'reject' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.field).toBe('id');
  });

  it('an edit replaces the text and keeps the original; a rejection serves nothing; both are audited', async () => {
    const a = (await req('POST', '/v1/content/description', { userId: 'ben', itemId: 'shoe-2', review: true })).body.contentId;
    const b = (await req('POST', '/v1/content/description', { userId: 'ana', itemId: 'shoe-1', review: true })).body.contentId;
    const original = (await queue()).items.find((i: { id: string }) => i.id === a).text;
    const edited = await req('POST', `/v1/review/${a}`, { action: 'edit', message: 'A sturdy leather shoe for the commute.', reviewer: 'luis' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      status: 'released',
      text: 'A sturdy leather shoe for the commute.',
      review: { action: 'edit', originalText: original },
    });
    expect(edited.body.html).toContain('A sturdy leather shoe for the commute.');
    expect((await req('GET', `/v1/content/${a}`)).body.text).toBe('A sturdy leather shoe for the commute.');

    const rejected = await req('POST', `/v1/review/${b}`, { action: 'reject', reviewer: 'marta', note: 'off brand' });
    expect(rejected.body).toEqual({
      contentId: b,
      kind: 'description',
      userId: 'ana',
      status: 'rejected',
      review: expect.objectContaining({ action: 'reject', note: 'off brand' }),
    });
    expect((await req('GET', `/v1/content/${b}`)).body.text).toBeUndefined();
    expect(await exposed(b)).toBe(false);

    const audit = (await req('GET', '/v1/audit')).body.entries as Array<{
      action: string;
      target: string;
      userId: string;
      detail: Record<string, unknown>;
      actor: Record<string, unknown>;
    }>;
    const decisions = audit.filter((e) => e.action.startsWith('content.review.'));
    expect(decisions.map((e) => [e.action, e.target, e.detail.reviewer, e.detail.kind]).sort()).toEqual(
      [
        ['content.review.edit', a, 'luis', 'description'],
        ['content.review.reject', b, 'marta', 'description'],
      ].sort(),
    );
    for (const e of decisions) expect(e.actor.keyId).toBeDefined();
  });

  it('will not release an email to someone who withdrew marketing consent meanwhile (409 naming consent.marketing)', async () => {
    const id = (await req('POST', '/v1/content/email', { userId: 'ben', goal: 'new-arrivals', review: true })).body.contentId;
    await req('PUT', '/v1/users/ben/consent', { marketing: false });
    const r = await req('POST', `/v1/review/${id}`, { action: 'approve' });
    expect(r.status).toBe(409);
    expect(r.body.error.field).toBe('consent.marketing');
    expect((await req('GET', `/v1/content/${id}`)).body.status).toBe('held');
    // A rejection is still possible, and a description needs no marketing consent.
    expect((await req('POST', `/v1/review/${id}`, { action: 'reject' })).body.status).toBe('rejected');
    const d = (await req('POST', '/v1/content/description', { userId: 'ben', itemId: 'bag-1', review: true })).body.contentId;
    expect((await req('POST', `/v1/review/${d}`, { action: 'approve' })).body.status).toBe('released');
  });

  it('holds every piece of a kind the brand voice names, unless the request says review: false', async () => {
    expect((await req('PUT', '/v1/content/voice', { review: ['description'] })).status).toBe(200);
    expect((await req('POST', '/v1/content/description', { userId: 'ana', itemId: 'shoe-1' })).body.status).toBe('held');
    expect((await req('POST', '/v1/content/description', { userId: 'ana', itemId: 'shoe-1', review: false })).body.text).toEqual(expect.any(String));
    expect((await req('POST', '/v1/content/email', { userId: 'ana', goal: 'win-back' })).body.text).toEqual(expect.any(String));
  });

  it('is server-only, and names the bad field', async () => {
    const id = (await req('POST', '/v1/content/email', { userId: 'ana', goal: 'win-back', review: true })).body.contentId;
    const pub = (await call(t, 'POST', '/v1/keys', { scope: 'public' })).json().key;
    const asPublic = { authorization: `Bearer ${pub}` };
    expect((await req('GET', `/v1/content/${id}`, undefined, asPublic)).status).toBe(403);
    expect((await req('POST', `/v1/review/${id}`, { action: 'approve' }, asPublic)).status).toBe(403);
    const bad = await req('GET', '/v1/content/nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('contentId');
    expect((await req('GET', '/v1/content/cnt_unknown')).status).toBe(404);
    const review = await req('POST', '/v1/content/email', { userId: 'ana', goal: 'win-back', review: 'yes' });
    expect(review.status).toBe(400);
    expect(review.body.error.field).toBe('review');
  });
});
