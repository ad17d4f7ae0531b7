import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng } from '../../stats/random.ts';
import { meanRewardModel, type OpeLog } from '../ope.ts';

/** One logging policy's rows from the Open Bandit Dataset: item chosen, slot, click, true propensity. */
export interface ObdLog {
  n: number;
  items: number;
  item: Int32Array;
  position: Int32Array;
  click: Float64Array;
  propensity: Float64Array;
}

/** Reads `<dir>/<policy>/men.csv` (columns: index, timestamp, item_id, position, click, propensity_score, …). */
export async function readObd(dir: string, policy: 'random' | 'bts'): Promise<ObdLog> {
  const text = await readFile(join(dir, policy, 'men.csv'), 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  const head = lines[0].split(',');
  const col = (name: string) => {
    const i = head.indexOf(name);
    if (i < 0) throw new Error(`${policy}/men.csv has no ${name} column`);
    return i;
  };
  const [ci, cp, cc, cs] = [col('item_id'), col('position'), col('click'), col('propensity_score')];
  const n = lines.length - 1;
  const log: ObdLog = { n, items: 0, item: new Int32Array(n), position: new Int32Array(n), click: new Float64Array(n), propensity: new Float64Array(n) };
  for (let r = 0; r < n; r++) {
    const f = lines[r + 1].split(',');
    log.item[r] = Number(f[ci]);
    log.position[r] = Number(f[cp]) - 1;
    log.click[r] = Number(f[cc]);
    log.propensity[r] = Number(f[cs]);
  }
  log.items = Math.max(...log.item) + 1;
  return log;
}

/**
 * A context-free logging policy's chance of each item per slot, as its own log shows it (what
 * Bernoulli Thompson sampling served at each slot over the period): n_slot(item) / n_slot.
 */
export function servedShares(log: ObdLog, items: number): Float64Array {
  const slots = Math.max(...log.position) + 1;
  const share = new Float64Array(slots * items);
  const per = new Float64Array(slots);
  for (let r = 0; r < log.n; r++) {
    share[log.position[r] * items + log.item[r]]++;
    per[log.position[r]]++;
  }
  for (let s = 0; s < slots; s++) for (let a = 0; a < items; a++) share[s * items + a] /= per[s] || 1;
  return share;
}

/**
 * The log of one policy set up to evaluate another: the target's chance of each item in each row's
 * slot (`targetShares`, slots × items), a draw from it for replay, and the per-slot mean-click model.
 */
export function crossLog(log: ObdLog, items: number, targetShares: Float64Array, seed: number): OpeLog {
  const r = rng(seed);
  const target = new Float64Array(log.n * items);
  const targetAction = new Int32Array(log.n);
  for (let i = 0; i < log.n; i++) {
    const row = targetShares.subarray(log.position[i] * items, (log.position[i] + 1) * items);
    target.set(row, i * items);
    let u = r(),
      a = 0;
    for (; a < items - 1; a++) {
      u -= row[a];
      if (u < 0) break;
    }
    targetAction[i] = a;
  }
  const base = { n: log.n, k: items, action: log.item, reward: log.click };
  return { ...base, propensity: log.propensity, target, targetAction, q: meanRewardModel(base, log.position) };
}
