// Edges of the NLU's number reading and slot filling that the mutation run (stryker.config.mjs, slice
// `nlu`) found unguarded: each expectation is written out, never computed with the code under test.
import { describe, expect, it } from 'vitest';
import { parseDigits } from '../../../src/converse/nlu/numbers.ts';

describe('parseDigits: the edges', () => {
  it('ignores the spaces around a number, and reads nothing after its thousands suffix', () => {
    expect(parseDigits(' 59,99 ')).toBe(59.99);
    expect(parseDigits('\t2k ')).toBe(2000);
    expect(parseDigits('2k tickets')).toBeUndefined();
    expect(parseDigits('2 mil euros')).toBeUndefined();
  });
});

describe('parseDigits: which separator is a decimal point', () => {
  it('one separator before a thousands suffix is a decimal point, even before three digits', () => {
    expect(parseDigits('1.250k')).toBe(1250);
    expect(parseDigits('2,500 mil')).toBe(2500);
  });

  it('a separator repeated groups thousands, whatever the last group and the suffix', () => {
    expect(parseDigits('1.234.56')).toBe(123456);
    expect(parseDigits('1.000.000 mil')).toBe(1_000_000_000);
  });
});
