import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exportLines } from '../../src/cli/commands/export.ts';
import { importFile, planImport } from '../../src/cli/commands/import.ts';
import { items, makeTestApp } from '../helpers.ts';
import { dataDirs, runAfin } from './harness.ts';

/** Issue 20: `afin export events|items|profiles` as JSON lines; events and items import back as they were. */
const freshDir = dataDirs('export');

async function collect(write: (out: PassThrough) => Promise<number>): Promise<{ n: number; lines: Array<Record<string, unknown>> }> {
  const out = new PassThrough();
  let text = '';
  out.setEncoding('utf8').on('data', (s: string) => (text += s));
  const n = await write(out);
  out.end();
  return {
    n,
    lines: text.trim()
      ? text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [],
  };
}

const EVENTS = [
  { messageId: 'm1', type: 'view', userId: 'ana', itemId: 'i1', timestamp: 1768400000000 },
  { messageId: 'm2', type: 'purchase', userId: 'ana', itemId: 'i2', value: 11, timestamp: 1768400001000, properties: { orderId: 'o1' } },
  { messageId: 'm3', type: 'search', anonymousId: 'v9', query: 'red shoes', channel: 'web', timestamp: 1768400002000 },
  { messageId: 'm4', type: 'rating', userId: 'bo', itemId: 'i3', value: 4, recommendationId: 'rec_x', timestamp: 1768400003000 },
];

describe('afin export', () => {
  it('writes events and items as the importer takes them: an export imports into another Afín unchanged', async () => {
    const a = await makeTestApp();
    const b = await makeTestApp();
    try {
      await a.engine.ingest.putItems('default', items(4));
      expect((await a.engine.ingest.postEvents('default', EVENTS)).accepted).toBe(4);

      const ev = await collect((out) => exportLines(a.engine, 'default', 'events', out));
      expect(ev.n).toBe(4);
      expect(ev.lines).toEqual(EVENTS);
      const it = await collect((out) => exportLines(a.engine, 'default', 'items', out));
      expect(it.lines).toEqual(items(4).map((x) => ({ ...x, available: true })));

      // Into another Afín through the importer: the same items and events, and a second import is all duplicates.
      const dir = freshDir();
      writeFileSync(join(dir, 'items.jsonl'), it.lines.map((l) => JSON.stringify(l)).join('\n'));
      writeFileSync(join(dir, 'events.jsonl'), ev.lines.map((l) => JSON.stringify(l)).join('\n'));
      await importFile(b.engine, 'default', planImport('items', join(dir, 'items.jsonl')), join(dir, 'items.jsonl'), true);
      const first = await importFile(b.engine, 'default', planImport('events', join(dir, 'events.jsonl')), join(dir, 'events.jsonl'), true);
      expect(first).toMatchObject({ stored: 4, rejected: [] });
      const again = await importFile(b.engine, 'default', planImport('events', join(dir, 'events.jsonl')), join(dir, 'events.jsonl'), true);
      expect(again).toMatchObject({ stored: 0, duplicates: 4 });
      expect((await collect((out) => exportLines(b.engine, 'default', 'events', out))).lines).toEqual(EVENTS);
      expect((await collect((out) => exportLines(b.engine, 'default', 'items', out))).lines).toEqual(it.lines);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('writes one profile per person with events, as the API shows it', async () => {
    const a = await makeTestApp();
    try {
      await a.engine.ingest.putItems('default', items(4));
      await a.engine.ingest.postEvents('default', EVENTS);
      await a.engine.ingest.putUser('default', 'ana', { traits: { name: 'Ana' } });
      const { n, lines } = await collect((out) => exportLines(a.engine, 'default', 'profiles', out));
      expect(n).toBe(3);
      expect(lines.map((l) => l.subject).sort()).toEqual(['ana', 'anon:v9', 'bo']);
      const ana = lines.find((l) => l.subject === 'ana')!;
      expect(ana).toMatchObject({ userId: 'ana', traits: { name: 'Ana' } });
      expect(ana).toEqual({ subject: 'ana', ...(JSON.parse(JSON.stringify(await a.engine.profiles.view('default', 'ana'))) as object) });
    } finally {
      await a.close();
    }
  });

  it('the command writes a file and refuses an unknown kind', { timeout: 60_000 }, async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'events.jsonl'), EVENTS.map((e) => JSON.stringify(e)).join('\n'));
    const run = (...args: string[]) => runAfin(dir, args);
    expect((await run('import', 'events', 'events.jsonl')).code).toBe(0);
    const r = await run('export', 'events', '-o', 'out.jsonl');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('4 events exported to out.jsonl');
    expect(
      readFileSync(join(dir, 'out.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(EVENTS);
    const bad = await run('export', 'users');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('kind must be one of events, items, profiles');
  });
});
