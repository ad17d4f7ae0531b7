import { describe, expect, it } from 'vitest';
import { DatasetError, parseCsv, parseJsonl, parseMovieLens100k, parseMovieLens1m, parseMovieLensItems, parseTime } from '../../src/eval/datasets.ts';

describe('dataset loaders', () => {
  it('reads MovieLens 100K u.data', () => {
    const d = parseMovieLens100k('196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t5\t881250950\n');
    expect(d.userIds).toEqual(['196', '186']);
    expect(d.itemIds).toEqual(['242', '302']);
    expect([...d.users]).toEqual([0, 1, 0]);
    expect([...d.values]).toEqual([3, 3, 5]);
    expect(d.times[0]).toBe(881250949000);
  });

  it('reads MovieLens 1M ratings.dat', () => {
    const d = parseMovieLens1m('1::1193::5::978300760\n1::661::3::978302109\n');
    expect(d.itemIds).toEqual(['1193', '661']);
    expect(d.times[1]).toBe(978302109000);
  });

  it('reads MovieLens item texts', () => {
    const docs = parseMovieLensItems('1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n');
    expect(docs.get('1')).toEqual({ title: 'Toy Story', categories: ['Animation', "Children's", 'Comedy'], language: 'en' });
  });

  it('reads CSV with a header, in any column order, with quotes and ISO dates', () => {
    const d = parseCsv('timestamp,rating,itemId,userId\n2024-01-01T00:00:00Z,4,"item, one",alice\n1700000000,2,b,bob\n');
    expect(d.userIds).toEqual(['alice', 'bob']);
    expect(d.itemIds).toEqual(['item, one', 'b']);
    expect([...d.values]).toEqual([4, 2]);
    expect(d.times[0]).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect(d.times[1]).toBe(1700000000000);
  });

  it('reads headerless CSV as user, item[, value[, timestamp]]', () => {
    const d = parseCsv('u1;i1\nu2;i1\n');
    expect(d.users.length).toBe(2);
    expect([...d.values]).toEqual([1, 1]);
  });

  it('reads JSON lines', () => {
    const d = parseJsonl('{"user":"a","item":"x","value":2,"timestamp":"2024-05-01T00:00:00Z"}\n\n{"userId":1,"itemId":2}\n');
    expect(d.userIds).toEqual(['a', '1']);
    expect([...d.values]).toEqual([2, 1]);
  });

  it('names the line of bad input', () => {
    expect(() => parseMovieLens100k('1\t2\tx\t3\n')).toThrow(/line 1: rating/);
    expect(() => parseJsonl('{"user":"a"}')).toThrow(DatasetError);
    expect(() => parseCsv('userId,foo\n1,2\n')).toThrow(/no item column/);
    expect(() => parseTime('yesterday', 4)).toThrow(/line 4/);
  });
});
