import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { Engine } from '../../src/server/compose.ts';
import { FOREIGN_POLL_MS, untilForeignCommit } from '../../src/server/foreign-commits.ts';

/**
 * Issue 13: on the embedded store a person's cached reads hold until another connection commits to the
 * file, instead of expiring every 10 s (each person's events were read and parsed again: 6 to 12 % of a
 * served recommendation's CPU). This process's own writes invalidate as before; another process's
 * (a CLI import into the same folder) are seen within FOREIGN_POLL_MS rather than 10 s.
 */
describe('untilForeignCommit', () => {
  it('keeps entries while the counter holds, and drops those read before a change once it is polled', () => {
    let now = 1_000_000;
    let version = 7;
    const reads = vi.fn(() => version);
    const limit = untilForeignCommit(reads, { pollMs: 200, maxAgeMs: 300_000, clock: () => now });
    const readAt = now + 5;
    now += 60_000;
    expect(now - readAt < limit()).toBe(true); // a minute old, nobody else wrote: still good
    version = 8; // another connection commits
    now += 100;
    expect(now - readAt < limit()).toBe(true); // not polled yet: at most pollMs unseen
    const calls = reads.mock.calls.length;
    now += 100;
    expect(now - readAt < limit()).toBe(false); // polled: what was read before is dropped
    expect(reads.mock.calls.length).toBe(calls + 1);
    const fresh = now + 1;
    now += 250_000;
    expect(now - fresh < limit()).toBe(true);
    now += 60_000;
    expect(now - fresh < limit()).toBe(false); // the safety net
  });

  it('trusts nothing read before a poll that fails', () => {
    let now = 0;
    let fail = false;
    const limit = untilForeignCommit(
      () => {
        if (fail) throw new Error('closed');
        return 1;
      },
      { pollMs: 10, clock: () => now },
    );
    now = 50;
    expect(limit()).toBe(50);
    fail = true;
    now = 100;
    expect(limit()).toBe(0);
  });
});

describe('the embedded store behind a serving engine', () => {
  const ws = 'default';
  let dir: string;
  let engine: Engine;
  let other: Engine | undefined;
  beforeEach(async () => {
    // Fake Date before the engine exists, so that its caches count time by it.
    vi.useFakeTimers({ toFake: ['Date'] });
    dir = mkdtempSync(join(tmpdir(), 'afin-foreign-'));
    engine = await Engine.open({ ...loadConfig({}), dataDir: dir });
    await engine.ingest.putItems(ws, [
      { id: 'i1', title: 'One' },
      { id: 'i2', title: 'Two' },
    ]);
    await engine.ingest.postEvents(ws, [{ type: 'view', userId: 'p', itemId: 'i1', timestamp: Date.now() - 1000 }]);
    vi.setSystemTime(Date.now() + 1000); // the faked clock stands still otherwise
  });
  afterEach(async () => {
    await other?.close();
    other = undefined;
    await engine.close();
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });
  const read = () => engine.store.eventsOf(ws, 'p', 1000);
  const misses = () => engine.metrics.caches.person.miss;

  it('does not read a person again while nobody else writes, and sees another process write within the poll', async () => {
    expect(await read()).toHaveLength(1);
    const m0 = misses();
    vi.setSystemTime(Date.now() + 60_000);
    expect(await read()).toHaveLength(1);
    expect(misses()).toBe(m0); // a minute later, still from memory

    // Another process on the same folder (a CLI import) writes an event for p.
    other = await Engine.open({ ...loadConfig({}), dataDir: dir });
    await other.ingest.postEvents(ws, [{ type: 'purchase', userId: 'p', itemId: 'i2', timestamp: Date.now() - 500 }]);
    vi.setSystemTime(Date.now() + FOREIGN_POLL_MS + 1);
    expect(await read()).toHaveLength(2);
    expect(misses()).toBe(m0 + 1);
  });

  it("this process's own writes still drop the person at once", async () => {
    expect(await read()).toHaveLength(1);
    await engine.ingest.postEvents(ws, [{ type: 'purchase', userId: 'p', itemId: 'i2', timestamp: Date.now() - 500 }]);
    expect(await read()).toHaveLength(2);
  });
});
