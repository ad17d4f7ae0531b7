import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatExperiment, formatList, formatResults, table } from '../../src/cli/commands/experiments.ts';
import { analyse } from '../../src/experiment/analysis.ts';
import type { PersonOutcome } from '../../src/experiment/attribution.ts';
import type { Experiment } from '../../src/experiment/schemas.ts';

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'bin/afin.mjs');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function afin(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'afin-exp-cli-'));
  dirs.push(dir);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, AFIN_DATA_DIR: dir, AFIN_DATABASE_URL: '', AFIN_ADMIN_KEY: '', AFIN_NATS_URL: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const exp: Experiment = {
  key: 'shelf',
  name: 'Home shelf',
  variants: [
    { name: 'seg', weight: 1, strategy: 'segment' },
    { name: 'afin', weight: 1, strategy: 'personalized', model: 'ease' },
  ],
  control: 'seg',
  primaryMetric: 'conversion',
  guardrailMetrics: ['churn'],
  attributionWindowDays: 7,
  churnDays: 14,
  status: 'running',
  createdAt: Date.UTC(2026, 0, 1),
  startedAt: Date.UTC(2026, 0, 2),
  stoppedAt: null,
  history: [],
};
const none = { addedToCart: 0, converted: 0, revenue: 0, orders: 0, purchases: 0, returns: 0, events: 0, activeDays: 0 };
const person = (variant: string, i: number, converted: number): PersonOutcome => ({
  person: `${variant}${i}`,
  variant,
  firstExposure: 0,
  ...none,
  converted,
  answers: 2,
  clickedAnswers: 1,
  churned: null,
  npsScore: null,
  pre: { ...none },
});

describe('afin experiments: readable tables', () => {
  it('aligns columns under an underlined header', () => {
    expect(
      table([
        ['a', 'bb'],
        ['ccc', 'd'],
      ]),
    ).toBe('a    bb\n───  ──\nccc  d');
  });

  it('lists and shows experiments', () => {
    expect(formatList([])).toMatch(/^No experiments yet/);
    expect(formatList([exp]).split('\n')[2]).toMatch(/^shelf\s+running\s+seg \(segment, 1\), afin \(personalized, 1\)\s+conversion\s+2026-01-02\s+—$/);
    const shown = formatExperiment(exp);
    expect(shown).toContain('seg (control)  segment       50 %');
    expect(shown).toContain('afin           personalized  50 %   ease');
  });

  it('prints each variant against control with its uplift interval, p, chance to beat and the SRM verdict', () => {
    const outcomes = [
      ...Array.from({ length: 1000 }, (_, i) => person('seg', i, i < 100 ? 1 : 0)),
      ...Array.from({ length: 1000 }, (_, i) => person('afin', i, i < 150 ? 1 : 0)),
    ];
    const text = formatResults(analyse(exp, outcomes, { end: Date.UTC(2026, 0, 20) }));
    expect(text).toContain('SRM: χ² = 0.00, p = 1.0000 (ok)');
    const conversion = text
      .split('\n')
      .filter((l) => /^(conversion \*|\s+afin)/.test(l))
      .slice(0, 2);
    expect(conversion[0]).toMatch(/^conversion \*\s+seg\s+10\.00 %\s+1000$/);
    expect(conversion[1]).toMatch(/afin\s+15\.00 %\s+1000\s+\+50\.0 % \[\+\d+\.\d %, \+\d+\.\d %\]\s+0\.0007\s+> 99\.9 %/);
    expect(text).toContain('afin vs seg on conversion: +50.0 %');
  });
});

describe('afin experiments (the command)', () => {
  it('lists none on a fresh store, and names a missing experiment', async () => {
    const listed = await afin('experiments', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^No experiments yet/);
    const missing = await afin('experiments', 'results', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('experiment "nope" not found');
  }, 60_000);
});
