import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runEval } from '../../src/eval/command.ts';
import { openFreshServer } from '../../src/server/fresh.ts';
import { rng } from '../../src/stats/random.ts';

/** A small generated dataset with group structure (so models beat popularity), as CSV. */
function writeToyCsv(dir: string): string {
  const r = rng(11);
  const lines = ['user,item,rating,timestamp'];
  for (let u = 0; u < 60; u++) {
    const g = u % 3;
    for (let i = 0; i < 30; i++) {
      const inGroup = Math.floor(i / 10) === g;
      if (r() < (inGroup ? 0.7 : 0.05)) lines.push(`u${u},i${i},${1 + Math.floor(r() * 5)},${1_700_000_000 + u * 1000 + i}`);
    }
  }
  const p = join(dir, 'toy.csv');
  writeFileSync(p, lines.join('\n'));
  return p;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err.push(String(s));
    return true;
  });
  return {
    out,
    err,
    restore: () => {
      o.mockRestore();
      e.mockRestore();
    },
  };
}

describe('afin eval', () => {
  const dir = mkdtempSync(join(tmpdir(), 'afin-eval-'));
  const csv = writeToyCsv(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints usage on --help', async () => {
    const c = capture();
    const code = await runEval(['--help'], openFreshServer);
    c.restore();
    expect(code).toBe(0);
    expect(c.out.join('')).toMatch(/usage: afin eval --dataset/);
  });

  it('rejects bad arguments with a clear message', async () => {
    for (const args of [
      [],
      ['--dataset', 'nope', '--path', 'x'],
      ['--dataset', 'csv'],
      ['--dataset', 'csv', '--path', csv, '--models', 'magic'],
      ['--dataset', 'csv', '--path', csv, '--protocol', 'x'],
      ['--dataset', 'csv', '--path', csv, '--ablate-stages', 'magic'],
      ['--dataset', 'csv', '--path', csv, '--settings', '{nope'],
      ['--bogus'],
    ]) {
      const c = capture();
      const code = await runEval(args, openFreshServer);
      c.restore();
      expect(code).toBe(2);
      expect(c.err.join('')).toMatch(/afin eval/);
    }
    const c = capture();
    expect(await runEval(['--dataset', 'csv', '--path', join(dir, 'missing.csv')], openFreshServer)).toBe(2);
    c.restore();
    expect(c.err.join('')).toMatch(/cannot read/);
  });

  it.each(['ms', 'strong', 'loo'])('runs protocol %s end to end: a table and one JSON line', async (protocol) => {
    const c = capture();
    const code = await runEval(
      ['--dataset', 'csv', '--path', csv, '--protocol', protocol, '--seeds', '2', '--quick', '--models', 'popularity,ease,als,itemknn'],
      openFreshServer,
    );
    c.restore();
    expect(code).toBe(0);
    const lines = c.out.join('').trim().split('\n');
    const json = JSON.parse(lines[lines.length - 1]).eval;
    expect(json.protocol).toBe(protocol);
    expect(json.seeds).toEqual([1, 2]);
    // The models alone, then what a fresh server answered through the API on the same split.
    expect(json.results.map((r: { model: string }) => r.model)).toEqual(['popularity', 'ease', 'als', 'itemknn', 'served']);
    const served = json.results[4].metrics;
    for (const m of Object.keys(json.results[0].metrics)) expect(Number.isFinite(served[m].mean)).toBe(true);
    const primary = Object.keys(json.results[0].metrics)[0];
    const pop = json.results[0].metrics[primary].mean;
    const ease = json.results[1].metrics[primary].mean;
    expect(ease).toBeGreaterThan(pop);
    expect(lines[1]).toMatch(/^model\s+/);
    expect(c.err.join('')).toMatch(/seed 1/);
  });

  it('skips text models when the dataset has no texts', async () => {
    const c = capture();
    const code = await runEval(['--dataset', 'csv', '--path', csv, '--seeds', '1', '--quick', '--models', 'popularity,content'], openFreshServer);
    c.restore();
    expect(code).toBe(0);
    const json = JSON.parse(c.out.join('').trim().split('\n').pop()!).eval;
    expect(json.results[1].skipped).toMatch(/no item texts/);
  });
});
