import { describe, expect, it } from 'vitest';
import { Cooccurrence } from '../../../src/recommend/models/cooccurrence.ts';
import type { Interactions } from '../../../src/recommend/models/types.ts';

/** One person's events, in the order given: (item, weight), a minute apart. */
function onePerson(nItems: number, events: Array<[number, number]>): Interactions {
  return {
    nUsers: 1,
    nItems,
    users: new Int32Array(events.length),
    items: Int32Array.from(events, ([i]) => i),
    weights: Float32Array.from(events, ([, w]) => w),
    times: Float64Array.from(events, (_, k) => 1_700_000_000_000 + k * 60_000),
  };
}

describe('Cooccurrence neighbours', () => {
  it('breaks ties by the lower item index, whatever order the items were seen in', () => {
    // Item 0 co-occurs equally with 7, 3, 5 and 4 (seen in that order); two neighbours: the lowest two.
    const m = new Cooccurrence({ neighbours: 2, maxItemsPerUser: 200 });
    m.fit(
      onePerson(9, [
        [7, 1],
        [0, 1],
        [3, 1],
        [5, 1],
        [4, 1],
      ]),
    );
    expect(Array.from(m.similar(0, 10).items)).toEqual([3, 4]);
  });

  it('takes its candidates only among the items seen with it, best first', () => {
    const m = new Cooccurrence({ neighbours: 5, maxItemsPerUser: 200 });
    // Item 2 bought (weight 5) and 6 viewed with 1; items 0, 3, 4, 5 never seen: no neighbours of 1 there.
    m.fit(
      onePerson(7, [
        [1, 1],
        [6, 1],
        [2, 5],
      ]),
    );
    expect(Array.from(m.similar(1, 10).items)).toEqual([2, 6]);
    expect(Array.from(m.similar(0, 10).items)).toEqual([]);
  });

  it('keeps the most recent `maxItemsPerUser` items of a person, whatever order they were first seen in', () => {
    // Seen 1, 2, 3, 1 again, then 4: the two most recent are 4 and 1.
    const m = new Cooccurrence({ neighbours: 5, maxItemsPerUser: 2 });
    m.fit(
      onePerson(5, [
        [1, 1],
        [2, 1],
        [3, 1],
        [1, 1],
        [4, 1],
      ]),
    );
    expect(Array.from(m.similar(4, 10).items)).toEqual([1]);
    expect(Array.from(m.similar(1, 10).items)).toEqual([4]);
    expect(Array.from(m.similar(2, 10).items)).toEqual([]);
  });
});
