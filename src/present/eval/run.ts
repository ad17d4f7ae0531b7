import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { ESTIMATORS, withInterval, type Estimate } from '../ope.ts';
import type { PolicySpec } from '../policies/policies.ts';
import { crossLog, readObd, servedShares } from './obd.ts';
import { makeWorld, runOnline, trueValue, uniformLog } from './world.ts';
import { makePeople, OPEN_ACTIVE, runSendTime, type SendTimePolicy } from './send-time-world.ts';

/** The project root, so the shared data is found as `../shared/data/…` from it wherever the command runs. */
const PROJECT_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const DEFAULT_OBD = '../shared/data/open-bandit-dataset-men';

export const SIMULATED_POLICIES: Array<{ name: string; spec: PolicySpec }> = [
  { name: 'uniform', spec: { kind: 'uniform' } },
  { name: 'ε-greedy (0.1, context-free)', spec: { kind: 'epsilon-greedy', epsilon: 0.1 } },
  { name: 'LinUCB (α 1, floor 0.05)', spec: { kind: 'linucb', alpha: 1, floor: 0.05 } },
  { name: 'Thompson (v 0.5, floor 0.05)', spec: { kind: 'thompson', v: 0.5, floor: 0.05, samples: 64 } },
];

const fmt = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const est = (e: Estimate | null) => (e ? `${fmt(e.estimate)} [${fmt(e.low)}, ${fmt(e.high)}]` : '—');
const covers = (e: Estimate, truth: number) => e.low <= truth && truth <= e.high;

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface BanditEvalOptions {
  seed: number;
  rounds: number;
  logRounds: number;
  obd: string;
}

export function parseArgs(args: string[]): BanditEvalOptions | string {
  const o: BanditEvalOptions = { seed: 1, rounds: 20_000, logRounds: 20_000, obd: DEFAULT_OBD };
  for (let i = 0; i < args.length; i++) {
    const v = args[i + 1];
    const num = () => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${args[i]} needs a positive whole number`);
      i++;
      return n;
    };
    try {
      if (args[i] === '--seed') o.seed = num();
      else if (args[i] === '--rounds') o.rounds = num();
      else if (args[i] === '--log-rounds') o.logRounds = num();
      else if (args[i] === '--obd' && v) {
        o.obd = v;
        i++;
      } else return `unknown option ${args[i]} (options: --seed, --rounds, --log-rounds, --obd DIR)`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  return o;
}

/** The simulated world: cumulative clicks of each policy online, then the estimators against each frozen policy's true value. */
export function simulationTables(o: BanditEvalOptions): { online: string; ope: string; covered: number; checks: number } {
  const world = makeWorld(o.seed);
  const runs = SIMULATED_POLICIES.map((p, i) => ({ ...p, run: runOnline(world, p.name, p.spec, o.rounds, o.seed * 31 + i) }));
  const online = table(
    ['policy', 'clicks', 'click rate', "share of the oracle's clicks"],
    runs.map(({ name, run }) => [name, String(run.clicks), fmt(run.clicks / run.rounds), `${((100 * run.clicks) / run.oracle).toFixed(1)} %`]),
  );
  let covered = 0,
    checks = 0;
  const rows = runs.map(({ name, spec, run }, i) => {
    const truth = trueValue(world, spec, run.arms, 20_000, o.seed * 101 + i);
    const log = uniformLog(world, spec, run.arms, o.logRounds, o.seed * 211 + i);
    const cells = Object.values(ESTIMATORS).map((f) => {
      const e = withInterval(f, log, o.seed + i);
      checks++;
      if (covers(e, truth)) covered++;
      return `${est(e)}${covers(e, truth) ? '' : ' ✗'}`;
    });
    return [name, fmt(truth), ...cells];
  });
  const ope = table(['frozen policy', 'true value', 'replay', 'IPS', 'SNIPS', 'DR'], rows);
  return { online, ope, covered, checks };
}

export const SEND_TIME_POLICIES: Array<{ name: string; spec: SendTimePolicy }> = [
  { name: 'uniform', spec: { kind: 'uniform' } },
  { name: 'ε-greedy (0.1, context-free)', spec: { kind: 'epsilon-greedy', epsilon: 0.1 } },
  { name: 'LinUCB (α 1, floor 0.05)', spec: { kind: 'linucb', alpha: 1, floor: 0.05 } },
  { name: 'hybrid LinUCB (α 1, floor 0.05; the default)', spec: { kind: 'hybrid-linucb', alpha: 1, floor: 0.05 } },
];

/** The send-time point on people with known active hours: each policy's sends in those hours and opens. */
export function sendTimeTable(seed: number, people = 300, rounds = 3000): string {
  const world = makePeople(seed, people, Date.UTC(2026, 0, 15, 12));
  const rows = SEND_TIME_POLICIES.map(({ name, spec }, i) => {
    const r = runSendTime(world, spec, rounds, seed * 37 + i);
    return [name, `${((100 * r.inActiveHours) / rounds).toFixed(1)} %`, String(r.opens), `${((100 * r.opens) / (OPEN_ACTIVE * rounds)).toFixed(1)} %`];
  });
  return table(['policy', 'sends in active hours', 'opens', "share of the oracle's opens (expected)"], rows);
}

/** Open Bandit: each logging policy's click rate estimated from the other's log, beside its own. */
export async function obdTable(dir: string, seed: number): Promise<string> {
  const [random, bts] = await Promise.all([readObd(dir, 'random'), readObd(dir, 'bts')]);
  const items = Math.max(random.items, bts.items);
  const slots = Math.max(...random.position, ...bts.position) + 1;
  const uniform = new Float64Array(slots * items).fill(1 / items);
  const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
  const rows: string[][] = [];
  for (const [name, own, other, targetShares, replayValid] of [
    ['bts (from the random log)', bts, random, servedShares(bts, items), true],
    ['random (from the bts log)', random, bts, uniform, false],
  ] as const) {
    const onPolicy = mean(own.click);
    const log = crossLog(other, items, targetShares, seed);
    const cells = (['replay', 'ips', 'snips', 'dr'] as const).map((k) => {
      if (k === 'replay' && !replayValid) return '— (log not uniform)';
      const e = withInterval(ESTIMATORS[k], log, seed);
      return `${est(e)} (${e.estimate >= onPolicy ? '+' : ''}${((100 * (e.estimate - onPolicy)) / onPolicy).toFixed(1)} %)`;
    });
    rows.push([name, fmt(onPolicy), ...cells]);
  }
  return table(['policy', 'on-policy click rate', 'replay', 'IPS', 'SNIPS', 'DR'], rows);
}

/** `afin eval bandit`: prints the simulated comparison, the estimator check, and Open Bandit when its sample is there. */
export async function runBanditEval(args: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const o = parseArgs(args);
  if (typeof o === 'string') {
    process.stderr.write(`afin eval bandit: ${o}\n`);
    return 2;
  }
  const sim = simulationTables(o);
  out(`Simulated world (seed ${o.seed}; 5 options, 4 context features, logistic click chances; ${o.rounds} people per policy)\n\n${sim.online}\n\n`);
  out(
    `Off-policy estimates of each frozen policy from a uniform log of ${o.logRounds} rounds (95 % bootstrap intervals; ✗: misses the truth) — ${sim.covered}/${sim.checks} cover\n\n${sim.ope}\n\n`,
  );
  out(
    `Send-time (seed ${o.seed}; 300 people in seven time zones, each active within an hour of their own peak; opens ${OPEN_ACTIVE * 100} % in those hours, 5 % outside; 3000 sends)\n\n${sendTimeTable(o.seed)}\n\n`,
  );
  const dir = resolve(PROJECT_ROOT, o.obd);
  if (!existsSync(dir)) {
    out(`Open Bandit Dataset: not found at ${o.obd} (from the project root); skipped\n`);
    return 0;
  }
  out(
    `Open Bandit Dataset, "men" sample (${o.obd}): each logging policy estimated from the other's log, relative error against its on-policy rate\n\n${await obdTable(dir, o.seed)}\n`,
  );
  return 0;
}
