/**
 * A weighted blend of several fitted recommenders. Each member's scores are standardised per
 * request (z-scores over the items it has an opinion on) so scales do not matter; the blend is
 * Σ wₘ·zₘ(i) over the members with an opinion on i, renormalised by their total weight. An item no
 * member has an opinion on stays NaN. `because` comes from the member contributing most.
 */
import { bestOf } from './top-k.ts';
import { pack, unpackModel } from './pack.ts';
import type { FitOptions, HistoryEntry, Interactions, Recommender, ScoreResult } from './types.ts';

function standardise(s: Float32Array): Float64Array {
  let m = 0;
  let c = 0;
  for (let i = 0; i < s.length; i++)
    if (Number.isFinite(s[i])) {
      m += s[i];
      c++;
    }
  const out = new Float64Array(s.length).fill(NaN);
  if (c === 0) return out;
  m /= c;
  let v = 0;
  for (let i = 0; i < s.length; i++) if (Number.isFinite(s[i])) v += (s[i] - m) ** 2;
  const sd = Math.sqrt(v / c) || 1;
  for (let i = 0; i < s.length; i++) if (Number.isFinite(s[i])) out[i] = (s[i] - m) / sd;
  return out;
}

export class Ensemble implements Recommender {
  readonly name = 'ensemble';
  readonly weights: number[];

  constructor(
    readonly members: Recommender[],
    weights?: number[],
  ) {
    if (members.length === 0) throw new RangeError('an ensemble needs at least one member');
    this.weights = weights ?? members.map(() => 1 / members.length);
    if (this.weights.length !== members.length || !this.weights.every((w) => w >= 0)) throw new RangeError('one non-negative weight per member');
  }

  fit(data: Interactions, opts: FitOptions = {}): void {
    this.members.forEach((m, k) => {
      m.fit(data, { ...opts, onProgress: (f) => opts.onProgress?.((k + f) / this.members.length) });
    });
  }

  score(history: readonly HistoryEntry[], now: number): ScoreResult {
    const parts = this.members.map((m) => m.score(history, now));
    const n = parts[0].scores.length;
    const zs = parts.map((p) => standardise(p.scores));
    const scores = new Float32Array(n);
    const because = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      let s = 0;
      let w = 0;
      let top = -Infinity;
      for (let k = 0; k < zs.length; k++) {
        const z = zs[k][i];
        if (!Number.isFinite(z)) continue;
        const c = this.weights[k] * z;
        s += c;
        w += this.weights[k];
        if (c > top) {
          top = c;
          because[i] = parts[k].because?.[i] ?? -1;
        }
      }
      scores[i] = w > 0 ? s / w : NaN;
    }
    return { scores, because };
  }

  similar(item: number, n: number): { items: Int32Array; scores: Float32Array } {
    const blend = new Map<number, number>();
    this.members.forEach((m, k) => {
      const r = m.similar(item, Math.max(3 * n, 30));
      const top = r.scores.length && r.scores[0] > 0 ? r.scores[0] : 1;
      for (let q = 0; q < r.items.length; q++) blend.set(r.items[q], (blend.get(r.items[q]) ?? 0) + (this.weights[k] * r.scores[q]) / top);
    });
    const ids = [...blend.keys()];
    const r = bestOf(n, ids.length, (q) => blend.get(ids[q])!, -1);
    return { items: Int32Array.from(r.items, (q) => ids[q]), scores: r.scores };
  }

  save(): Uint8Array {
    const arrays: Record<string, Uint8Array> = {};
    for (const [k, m] of this.members.entries()) arrays[`m${k}`] = m.save();
    return pack({ model: 'ensemble', version: 1, weights: this.weights, members: this.members.length }, arrays);
  }

  /** `restore` rebuilds each member, whatever model it is (the registry passes its own). */
  static load(bytes: Uint8Array, restore: (bytes: Uint8Array) => Recommender): Ensemble {
    const { header, arrays } = unpackModel(bytes, 'ensemble', 1);
    const members = Array.from({ length: header.members as number }, (_, k) => restore(arrays[`m${k}`] as Uint8Array));
    return new Ensemble(members, header.weights as number[]);
  }
}
