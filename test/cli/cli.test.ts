import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { CLI_TIMEOUT as TIMEOUT, type Run, dataDirs, runAfin } from './harness.ts';

/** A fresh data folder (also the working directory, so nothing lands in the repository). */
const freshDir = dataDirs('cli');
const afin = (dir: string, ...args: string[]): Promise<Run> => runAfin(dir, args);

const SUMMARY = /^(\d+) rows read, (\d+) stored, (\d+) duplicates, (\d+) rejected \([\d.]+ s\)$/m;
function summaryOf(out: string) {
  const m = SUMMARY.exec(out);
  if (!m) throw new Error(`no summary line in:\n${out}`);
  return { read: Number(m[1]), stored: Number(m[2]), duplicates: Number(m[3]), rejected: Number(m[4]) };
}
/** The line numbers listed under the summary (`  line N: …`). */
const rejectedLines = (out: string) => [...out.matchAll(/^ {2}line (\d+): (.*)$/gm)].map((m) => Number(m[1]));
const rejectedLine = (out: string, n: number) => out.split('\n').find((l) => l.startsWith(`  line ${n}: `)) ?? '';

const ITEMS_CSV = [
  'id,title,categories,price,available,attributes.brand',
  'i1,Red shoe,shoes|red,19.5,true,Acme',
  'i2,,bags,10,true,Acme', // line 3: no title
  'i3,Blue bag,bags,30,false,Zed',
  '',
].join('\n');

const EVENTS_JSONL = [
  '{"messageId":"m1","type":"view","userId":"u1","itemId":"i1","timestamp":1700000000000}',
  '{"messageId":"m2","type":"view","userId":', // line 2: not JSON
  '{"messageId":"m3","type":"purchase","userId":"u2","itemId":"i3","timestamp":1700000001000}',
  '{"messageId":"m1","type":"view","userId":"u1","itemId":"i1","timestamp":1700000000000}', // line 4: duplicate of m1
  '', // line 5: blank, skipped
  '{"messageId":"m5","type":"purchase","userId":"u1","timestamp":1700000002000}', // line 6: purchase without itemId
  '{"messageId":"m6","type":"view","userId":"u2","itemId":"i1","timestamp":1700000003000}',
  '',
].join('\n');

describe('afin CLI', () => {
  describe('help', () => {
    it('prints the program help with every command', { timeout: TIMEOUT }, async () => {
      const r = await afin(freshDir(), '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: afin');
      for (const word of ['serve', 'demo', 'import', 'train', 'keys', '--version', '--help']) expect(r.stdout).toContain(word);
    });

    const commands: Array<{ args: string[]; mentions: string[] }> = [
      { args: ['serve'], mentions: ['Usage: afin serve', 'AFIN_PORT', 'AFIN_HOST', 'AFIN_DATA_DIR', 'AFIN_DATABASE_URL', 'AFIN_ADMIN_KEY'] },
      { args: ['demo'], mentions: ['Usage: afin demo', '--seed <n>', '--items <n>', '--shoppers <n>', '--weeks <n>', '--no-serve'] },
      { args: ['import'], mentions: ['Usage: afin import', '<kind>', '<file>', 'items | events', '--workspace <id>', '.csv', 'JSON lines'] },
      { args: ['train'], mentions: ['Usage: afin train', '--workspace <id>', '--model <name>', 'popularity', 'trending', 'cooccurrence'] },
      { args: ['keys'], mentions: ['Usage: afin keys', 'create', 'list', 'revoke'] },
      { args: ['keys', 'create'], mentions: ['Usage: afin keys create', '--scope <scope>', 'admin, server, public', '--name <name>', '--workspace <id>'] },
    ];
    for (const c of commands) {
      it(`prints the help of \`${c.args.join(' ')}\` with its options`, { timeout: TIMEOUT }, async () => {
        const r = await afin(freshDir(), ...c.args, '--help');
        expect(r.code).toBe(0);
        for (const m of c.mentions) expect(r.stdout).toContain(m);
      });
    }
  });

  describe('keys', () => {
    it('creates a server key, printed once as JSON, and lists it without its secret', { timeout: TIMEOUT }, async () => {
      const dir = freshDir();
      const created = await afin(dir, 'keys', 'create', '--scope', 'server', '--name', 'checkout');
      expect(created.code).toBe(0);
      const k = JSON.parse(created.stdout) as { id: string; key: string; scope: string; workspace: string; name: string | null; createdAt: string };
      expect(k.key).toMatch(/^afin_server_[A-Za-z0-9_-]{20,}$/);
      expect(k.scope).toBe('server');
      expect(k.workspace).toBe('default');
      expect(k.name).toBe('checkout');
      expect(k.id).toMatch(/^key_/);
      expect(Number.isNaN(Date.parse(k.createdAt))).toBe(false);

      const listed = await afin(dir, 'keys', 'list');
      expect(listed.code).toBe(0);
      const rows = listed.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const row = rows.find((r) => r[0] === k.id);
      expect(row).toBeDefined();
      expect(row!.slice(0, 3)).toEqual([k.id, 'server', 'checkout']);
      expect(listed.stdout).not.toContain(k.key);
      expect(listed.stdout).not.toContain('afin_server_');
    });

    it('refuses an unknown scope, naming the scope', { timeout: TIMEOUT }, async () => {
      const dir = freshDir();
      const r = await afin(dir, 'keys', 'create', '--scope', 'wrong');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/scope/i);
      expect(r.stdout).not.toContain('afin_');
      // Nothing was created.
      const listed = await afin(dir, 'keys', 'list');
      expect(listed.code).toBe(0);
      expect(listed.stdout.trim()).toBe('');
    });

    it('requires --scope', { timeout: TIMEOUT }, async () => {
      const r = await afin(freshDir(), 'keys', 'create');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('--scope');
    });
  });

  describe('import', () => {
    it('imports items from CSV, reporting the rejected row by line number', { timeout: TIMEOUT }, async () => {
      const dir = freshDir();
      const file = join(dir, 'items.csv');
      writeFileSync(file, ITEMS_CSV);
      const r = await afin(dir, 'import', 'items', file);
      expect(summaryOf(r.stdout)).toEqual({ read: 3, stored: 2, duplicates: 0, rejected: 1 });
      expect(rejectedLines(r.stdout)).toEqual([3]);
      expect(rejectedLine(r.stdout, 3)).toMatch(/title/);
      expect(r.code).toBe(1);

      // What was stored is typed: lists split on |, numbers, booleans, attributes.x columns.
      const store = new SqliteStore(join(dir, 'afin.db'));
      try {
        const items = (await store.listItems('default')).sort((a, b) => a.id.localeCompare(b.id));
        expect(items.map((i) => i.id)).toEqual(['i1', 'i3']);
        expect(items[0]).toMatchObject({
          id: 'i1',
          title: 'Red shoe',
          categories: ['shoes', 'red'],
          price: 19.5,
          available: true,
          attributes: { brand: 'Acme' },
        });
        expect(items[1]).toMatchObject({ id: 'i3', title: 'Blue bag', categories: ['bags'], price: 30, available: false, attributes: { brand: 'Zed' } });
      } finally {
        await store.close();
      }
    });

    it('exits 0 when nothing is rejected', { timeout: TIMEOUT }, async () => {
      const dir = freshDir();
      const file = join(dir, 'good.csv');
      writeFileSync(file, 'id,title,price\na,Alpha,1\nb,Beta,2\n');
      const r = await afin(dir, 'import', 'items', file);
      expect(summaryOf(r.stdout)).toEqual({ read: 2, stored: 2, duplicates: 0, rejected: 0 });
      expect(rejectedLines(r.stdout)).toEqual([]);
      expect(r.code).toBe(0);
    });

    it('reports the physical line of a rejected CSV row after a blank line', { timeout: TIMEOUT }, async () => {
      const dir = freshDir();
      const file = join(dir, 'gap.csv');
      writeFileSync(file, 'id,title\na,Alpha\n\nb,\n'); // line 3 is blank; line 4 has no title
      const r = await afin(dir, 'import', 'items', file);
      expect(summaryOf(r.stdout)).toEqual({ read: 2, stored: 1, duplicates: 0, rejected: 1 });
      expect(rejectedLines(r.stdout)).toEqual([4]);
      expect(r.code).toBe(1);
    });

    it('imports events from JSON lines, counting duplicates and rejecting bad lines by number', { timeout: TIMEOUT }, async () => {
      const dir = freshDir();
      const file = join(dir, 'events.jsonl');
      writeFileSync(file, EVENTS_JSONL);
      const r = await afin(dir, 'import', 'events', file);
      // 6 non-blank lines: m1, m3, m6 stored; m1 again a duplicate; line 2 not JSON; line 6 invalid.
      expect(summaryOf(r.stdout)).toEqual({ read: 6, stored: 3, duplicates: 1, rejected: 2 });
      expect(rejectedLines(r.stdout)).toEqual([2, 6]);
      expect(rejectedLine(r.stdout, 2)).toMatch(/not valid JSON/);
      expect(rejectedLine(r.stdout, 6)).toMatch(/itemId/);
      expect(r.code).toBe(1);

      // Importing the same file again stores nothing new: every valid line is a duplicate now.
      const again = await afin(dir, 'import', 'events', file);
      expect(summaryOf(again.stdout)).toEqual({ read: 6, stored: 0, duplicates: 4, rejected: 2 });
      expect(again.code).toBe(1);

      const store = new SqliteStore(join(dir, 'afin.db'));
      try {
        expect(await store.countEvents('default')).toBe(3);
        expect((await store.eventsOf('default', 'u1')).map((e) => e.messageId)).toEqual(['m1']);
        expect((await store.eventsOf('default', 'u2')).map((e) => e.messageId)).toEqual(['m3', 'm6']);
      } finally {
        await store.close();
      }
    });

    it('refuses an unknown kind and a missing file with exit code 2', { timeout: TIMEOUT }, async () => {
      const dir = freshDir();
      const file = join(dir, 'x.csv');
      writeFileSync(file, 'id,title\na,A\n');
      const kind = await afin(dir, 'import', 'users', file);
      expect(kind.code).toBe(2);
      expect(kind.stderr).toContain('kind must be "items" or "events"');
      const missing = await afin(dir, 'import', 'items', join(dir, 'nope.csv'));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('cannot read');
    });
  });

  describe('train', () => {
    it('trains the serving models after an import, one line per model', { timeout: TIMEOUT }, async () => {
      const dir = freshDir();
      writeFileSync(join(dir, 'items.csv'), ITEMS_CSV);
      writeFileSync(join(dir, 'events.jsonl'), EVENTS_JSONL);
      await afin(dir, 'import', 'items', join(dir, 'items.csv'));
      await afin(dir, 'import', 'events', join(dir, 'events.jsonl'));
      const r = await afin(dir, 'train');
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines.map((l) => l.split(':')[0])).toEqual(['popularity', 'trending', 'cooccurrence', 'hybrid']);
      // Catalogue i1 and i3; u1 viewed i1, u2 bought i3 and viewed i1.
      for (const l of lines) expect(l).toMatch(/^\w+: 2 users × 2 items, 3 interactions, [\d.]+s$/);

      const one = await afin(dir, 'train', '--model', 'popularity');
      expect(one.code).toBe(0);
      expect(one.stdout.trim().split('\n')).toHaveLength(1);
      expect(one.stdout).toMatch(/^popularity: 2 users × 2 items, 3 interactions/);
    });

    it('refuses an unknown model', { timeout: TIMEOUT }, async () => {
      const r = await afin(freshDir(), 'train', '--model', 'nope');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('unknown model "nope"');
      expect(r.stdout).toBe('');
    });
  });

  describe('demo', () => {
    it('generates, loads and trains a small demo store without serving', { timeout: TIMEOUT }, async () => {
      const dir = freshDir();
      const r = await afin(dir, 'demo', '--no-serve', '--items', '40', '--shoppers', '15', '--weeks', '2');
      expect(r.code).toBe(0);
      const m = /^Demo store: (\d+) items, (\d+) shoppers, (\d+) events \((\d+) purchases\)$/m.exec(r.stdout);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBe(40);
      expect(Number(m![2])).toBe(15);
      expect(Number(m![3])).toBeGreaterThan(0);
      expect(Number(m![4])).toBeLessThanOrEqual(Number(m![3]));
      expect(r.stdout).not.toContain('is running');
    });

    it('refuses a non-numeric size', { timeout: TIMEOUT }, async () => {
      const r = await afin(freshDir(), 'demo', '--no-serve', '--items', 'many');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('--items must be a positive integer');
    });
  });
});
