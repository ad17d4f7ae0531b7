import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStream, subjectMatches, type StreamMessage } from '../../src/bus/event-stream.ts';
import { NatsBus, type BusLog } from '../../src/bus/nats-bus.ts';
import { Engine } from '../../src/server/compose.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { decodeMessage, StreamIngester } from '../../src/worker/stream-ingest.ts';
import { ROOT_KEY, items } from '../helpers.ts';
import { suiteNotRun } from '../suite-not-run.ts';
import { eventually } from '../server/two-nodes.ts';

const natsUrl = process.env.AFIN_TEST_NATS_URL;
const dbUrl = process.env.AFIN_TEST_DATABASE_URL;
const BIN = join(import.meta.dirname, '../../bin/afin.mjs');
const quiet: BusLog = { info: () => undefined, warn: () => undefined };
const enc = new TextEncoder();

const msg = (body: unknown, seq: number, msgId?: string): StreamMessage => ({
  data: enc.encode(typeof body === 'string' ? body : JSON.stringify(body)),
  subject: 's.events',
  seq,
  msgId,
  deliveries: 1,
});

describe('stream ingest: messages to events (no servers)', () => {
  it('gives events without a messageId one from the message, stable across deliveries', () => {
    const one = decodeMessage(msg({ type: 'view', userId: 'u', itemId: 'i' }, 42), 'EV');
    expect(one).toEqual({ events: [{ type: 'view', userId: 'u', itemId: 'i', messageId: 'nats:EV:42' }] });
    const many = decodeMessage(
      msg(
        [
          { type: 'view', userId: 'u', itemId: 'i' },
          { messageId: 'mine', type: 'view', userId: 'u', itemId: 'j' },
        ],
        7,
        'p-1',
      ),
      'EV',
    );
    expect(many).toEqual({
      events: [
        { type: 'view', userId: 'u', itemId: 'i', messageId: 'p-1:0' },
        { messageId: 'mine', type: 'view', userId: 'u', itemId: 'j' },
      ],
    });
  });

  it('names what makes a message unusable', () => {
    expect(decodeMessage(msg('{not json', 1), 'EV')).toEqual({ bad: 'body: not JSON' });
    expect(decodeMessage(msg('"a string"', 1), 'EV')).toEqual({ bad: 'body: expected an event object or a JSON array of events' });
    expect(decodeMessage(msg(new Array(1001).fill({}), 1), 'EV')).toMatchObject({ bad: expect.stringContaining('at most 1000') });
  });

  it('maps rejections back to their message, with the index inside that message', async () => {
    const calls: unknown[][] = [];
    const ing = new StreamIngester(
      async (_ws, body) => {
        calls.push(body as unknown[]);
        // The combined call holds message 0 (1 event) then message 1 (2 events); its element 2 is bad.
        return { accepted: 2, duplicates: 0, rejected: [{ index: 2, field: '[2].itemId', error: '[2].itemId: itemId is required for a view event' }] };
      },
      'default',
      'EV',
    );
    const verdicts = await ing.handle([
      msg({ type: 'view', userId: 'a', itemId: 'x' }, 1),
      msg(
        [
          { type: 'view', userId: 'b', itemId: 'y' },
          { type: 'view', userId: 'b' },
        ],
        2,
      ),
    ]);
    expect(calls).toHaveLength(1);
    expect(verdicts).toEqual([{ kind: 'ack' }, { kind: 'dead', reason: '[1].itemId: itemId is required for a view event' }]);
  });

  it('retries every message of a batch the store failed to take', async () => {
    const ing = new StreamIngester(
      async () => {
        throw new Error('connection refused');
      },
      'default',
      'EV',
    );
    expect(await ing.handle([msg({ type: 'view', userId: 'a', itemId: 'x' }, 1), msg('oops', 2)])).toEqual([
      { kind: 'retry' },
      { kind: 'dead', reason: 'body: not JSON' },
    ]);
  });

  it('knows which subjects a filter reads', () => {
    expect(subjectMatches('shop.events.>', 'shop.events.dead')).toBe(true);
    expect(subjectMatches('shop.events.*', 'shop.events.a.b')).toBe(false);
    expect(subjectMatches('shop.events.*', 'shop.dead')).toBe(false);
    expect(subjectMatches('shop.events', 'shop.events')).toBe(true);
  });
});

if (!natsUrl || !dbUrl) suiteNotRun('Stream ingest suite (NATS JetStream + PostgreSQL)', 'AFIN_TEST_NATS_URL and AFIN_TEST_DATABASE_URL');
else {
  describe('afin ingest --from nats, against the real NATS and PostgreSQL', () => {
    const tag = randomBytes(4).toString('hex');
    const schema = `afin_test_${randomBytes(6).toString('hex')}`;
    const root = `afintest_${tag}`;
    const streamName = `AFINTEST_${tag.toUpperCase()}_EVENTS`;
    const url = new URL(dbUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    let store: PostgresStore;
    let engine: Engine;
    let nc: NatsConnection;
    const children: ChildProcess[] = [];

    const count = async () => Number((await store.countEvents('default')) ?? 0);

    beforeAll(async () => {
      store = new PostgresStore({ connectionString: dbUrl, schema, max: 4 });
      await store.migrate();
      await store.createWorkspace({ id: 'default', name: null, createdAt: Date.now() });
      engine = new Engine(store, { adminKey: ROOT_KEY }, { bus: await NatsBus.start(natsUrl, { log: quiet }), retrainAfterErasureMs: null });
      await engine.ingest.putItems('default', items(20));
      nc = await connect({ servers: natsUrl });
    });

    afterAll(async () => {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      const jsm = await nc.jetstreamManager();
      for (const s of [streamName, `${streamName}B`, `${streamName}B_DEAD`, `${streamName}C`]) await jsm.streams.delete(s).catch(() => undefined);
      await nc.close();
      await engine.close();
      const admin = new PostgresStore({ connectionString: dbUrl, schema });
      await admin.dropSchema();
      await admin.close();
    });

    it('stores good messages once, dead-letters bad ones with the reason, drops an erased person’s events', async () => {
      const subject = `${root}.a.events.>`;
      const dead = `${root}.a.dead`;
      const logs: string[] = [];
      const s = await EventStream.connect(natsUrl, { subject, stream: `${streamName}B`, consumer: 'in-process', deadLetter: dead, log: (l) => logs.push(l) });
      // The ingester must refuse a dead-letter subject it would read back.
      await expect(EventStream.connect(natsUrl, { subject, deadLetter: `${root}.a.events.dead` })).rejects.toThrow(/would be read again/);
      await engine.privacy.erase('default', 'gone', { source: 'test' });
      const before = await count();
      await s.publish(`${root}.a.events.web`, { messageId: 'm1', type: 'view', userId: 'ann', itemId: 'i1' });
      await s.publish(`${root}.a.events.web`, [
        { type: 'view', userId: 'ann', itemId: 'i2' },
        { type: 'add_to_cart', userId: 'ann', itemId: 'i3' },
      ]);
      await s.publish(`${root}.a.events.web`, enc.encode('{broken'));
      await s.publish(`${root}.a.events.web`, [
        { messageId: 'm4', type: 'view', userId: 'bob', itemId: 'i1' },
        { messageId: 'm5', type: 'view', userId: 'bob' },
      ]);
      await s.publish(`${root}.a.events.web`, { messageId: 'm6', type: 'view', userId: 'gone', itemId: 'i1' });
      await s.publish(`${root}.a.events.web`, { messageId: 'm1', type: 'view', userId: 'ann', itemId: 'i1' }); // a producer's resend
      const ing = new StreamIngester((ws, body, o) => engine.ingest.postEvents(ws, body, o), 'default', s.stream);
      const run = s.run((b) => ing.handle(b));
      await eventually(15_000)(async () => {
        const p = await s.pending();
        expect(p.waiting + p.inFlight).toBe(0);
        expect(ing.totals.messages).toBe(6);
      });
      s.stop();
      await run;
      // m1, the two derived ids and m4; m5 has no item, m6 is about an erased person, the resend is a duplicate.
      expect((await count()) - before).toBe(4);
      expect(ing.totals).toMatchObject({ accepted: 4, duplicates: 1, suppressed: 1, dead: 2 });
      expect((await store.eventsOf('default', 'ann')).map((e) => e.messageId).sort()).toEqual(['m1', `nats:${s.stream}:2:0`, `nats:${s.stream}:2:1`]);
      // The dead letters: the unreadable message and the one with a bad event, each with its reason.
      const jsm = await nc.jetstreamManager();
      const deadStream = await jsm.streams.find(dead);
      const first = await jsm.streams.getMessage(deadStream, { seq: 1 });
      const second = await jsm.streams.getMessage(deadStream, { seq: 2 });
      const reasons = [first, second].map((m) => m.header.get('Afin-Reason')).sort();
      expect(reasons).toEqual(['[1].itemId: itemId is required for a view event', 'body: not JSON']);
      expect(logs.filter((l) => l.includes(dead))).toHaveLength(2);
      await s.close();
    });

    it('a message stored but never acknowledged (the ingester died first) is delivered again and counted as a duplicate', async () => {
      const subject = `${root}.c.events`;
      const s = await EventStream.connect(natsUrl, { subject, stream: `${streamName}C`, consumer: 'crashy', ackWaitMs: 1000, log: () => undefined });
      await s.publish(subject, [
        { type: 'view', userId: 'cid', itemId: 'i1' },
        { type: 'view', userId: 'cid', itemId: 'i2' },
      ]);
      const ing = new StreamIngester((ws, body, o) => engine.ingest.postEvents(ws, body, o), 'default', s.stream);
      let deliveries = 0;
      const run = s.run(async (b) => {
        const v = await ing.handle(b);
        deliveries++;
        if (deliveries === 1) throw new Error('died after the store had it, before the ack');
        return v;
      });
      await eventually(15_000)(async () => {
        expect(deliveries).toBe(2);
        const p = await s.pending();
        expect(p.waiting + p.inFlight).toBe(0);
      });
      s.stop();
      await run;
      expect(ing.totals).toMatchObject({ accepted: 2, duplicates: 2 });
      expect(await store.eventsOf('default', 'cid')).toHaveLength(2);
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(s.stream).catch(() => undefined);
      await s.close();
    });

    it('kill -9 mid-stream, restart: every published event stored exactly once', { timeout: 180_000 }, async () => {
      const subject = `${root}.k.events.>`;
      const producer = await EventStream.connect(natsUrl, { subject, stream: streamName, consumer: 'afin-ingest', log: () => undefined });
      const start = () => {
        const child = spawn(
          process.execPath,
          [BIN, 'ingest', '--from', 'nats', '--subject', subject, '--stream', streamName, '--ack-wait', '2', '--batch', '50'],
          {
            env: { ...process.env, AFIN_DATABASE_URL: url.toString(), AFIN_NATS_URL: natsUrl, AFIN_ADMIN_KEY: ROOT_KEY, AFIN_LLM_URL: '', NO_COLOR: '1' },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        children.push(child);
        const out: string[] = [];
        child.stdout?.on('data', (d: Buffer) => out.push(d.toString()));
        child.stderr?.on('data', (d: Buffer) => out.push(d.toString()));
        return { child, out };
      };
      const before = await count();
      const N = 3000;
      // Half the events carry the producer's id, half rely on the id taken from their message.
      const publishing = (async () => {
        for (let i = 0; i < N; i += 100) {
          await Promise.all(
            Array.from({ length: 100 }, (_, j) =>
              producer.publish(`${root}.k.events.web`, {
                ...(((i + j) & 1) === 0 ? { messageId: `k-${i + j}` } : {}),
                type: 'view',
                userId: `p${(i + j) % 97}`,
                itemId: `i${(i + j) % 20}`,
              }),
            ),
          );
        }
      })();
      const first = start();
      await eventually(60_000)(async () => expect((await count()) - before).toBeGreaterThan(300));
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      const atKill = (await count()) - before;
      await publishing;
      expect(atKill).toBeLessThan(N); // killed mid-stream, with events still to store
      const second = start();
      await eventually(120_000)(async () => {
        const p = await producer.pending();
        expect(p.waiting + p.inFlight).toBe(0);
        expect((await count()) - before).toBe(N);
      });
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
      expect(second.out.join('')).toMatch(/ingest stopped/);
      // Exactly N events, each id once (the store's count, and the distinct ids among them).
      const ids = new Set<string>();
      let total = 0;
      for await (const page of store.scanEvents('default')) {
        for (const e of page) {
          if (e.userId && /^p\d+$/.test(e.userId)) {
            total++;
            ids.add(e.messageId);
          }
        }
      }
      expect(total).toBe(N);
      expect(ids.size).toBe(N);
      await producer.close();
    });
  });
}
