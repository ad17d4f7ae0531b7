import { describe, expect, it } from 'vitest';
import { TurnBatcher } from '../../src/store/postgres/turn-batch.ts';

/** PostgreSQL point reads asked in one loop turn share one query (issue 13: consent for a whole batch). */
describe('TurnBatcher', () => {
  const recording = () => {
    const fetches: Array<{ group: string; keys: string[] }> = [];
    const data: Record<string, number[]> = { a: [1, 2], b: [3] };
    const batcher = new TurnBatcher<number, number[]>(
      async (group, keys) => {
        fetches.push({ group, keys });
        return new Map(keys.filter((k) => data[k]).map((k) => [k, data[k]]));
      },
      (rows) => [...(rows ?? [])],
    );
    return { fetches, batcher };
  };

  it('answers the reads of one turn with one fetch per group, each key once', async () => {
    const { fetches, batcher } = recording();
    const answers = await Promise.all([batcher.get('w1', 'a'), batcher.get('w1', 'b'), batcher.get('w1', 'a'), batcher.get('w1', 'x'), batcher.get('w2', 'a')]);
    expect(answers).toEqual([[1, 2], [3], [1, 2], [], [1, 2]]);
    expect(fetches).toEqual([
      { group: 'w1', keys: ['a', 'b', 'x'] },
      { group: 'w2', keys: ['a'] },
    ]);
  });

  it('gives every caller its own value, and a later turn a new fetch', async () => {
    const { fetches, batcher } = recording();
    const [one, two] = await Promise.all([batcher.get('w', 'a'), batcher.get('w', 'a')]);
    one.push(99);
    expect(two).toEqual([1, 2]);
    expect(await batcher.get('w', 'a')).toEqual([1, 2]);
    expect(fetches).toHaveLength(2);
  });

  it('rejects every read of a failed fetch, and only those', async () => {
    let fail = true;
    const batcher = new TurnBatcher<number, number>(
      async (group) => {
        if (fail && group === 'bad') throw new Error('connection lost');
        return new Map([['k', [7]]]);
      },
      (rows) => rows?.[0] ?? 0,
    );
    const bad = [batcher.get('bad', 'k'), batcher.get('bad', 'j')];
    const good = batcher.get('ok', 'k');
    for (const p of bad) await expect(p).rejects.toThrow('connection lost');
    expect(await good).toBe(7);
    fail = false;
    expect(await batcher.get('bad', 'k')).toBe(7);
  });
});
