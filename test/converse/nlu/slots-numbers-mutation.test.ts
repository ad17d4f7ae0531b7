import { describe, expect, it } from 'vitest';
import { parseDigits, parseNumberWords } from '../../../src/converse/nlu/numbers.js';

describe('numbers.ts survivors (Stryker run on 089c026)', () => {
  // Kills numbers.ts:166 StringLiteral "" ('one', 'un', 'uno' or 'una' emptied; emptying 'a' is equivalent: a lone 'a' is not in the word values, so it is undefined either way): a lone article is not a number.
  it('a lone "one"/"un"/"uno" is not a number', () => {
    expect(parseNumberWords('one', 'en')).toBe(undefined);
    expect(parseNumberWords('un', 'es')).toBe(undefined);
    expect(parseNumberWords('uno', 'es')).toBe(undefined);
    expect(parseNumberWords('a', 'en')).toBe(undefined);
    expect(parseNumberWords('una', 'es')).toBe(undefined);
  });
  // Kills numbers.ts:182 ConditionalExpression true (`w in values`): an unknown word makes the run no number, not NaN.
  it('a word outside the number words gives undefined', () => {
    expect(parseNumberWords('two apples', 'en')).toBe(undefined);
  });
  // Kills numbers.ts:144 (the digits check dropped, or its `^` or `$`; Stryker run of 2026-12-03):
  // `Number` reads more than digits and separators, so the check is what refuses these.
  it('only digits and separators are digits: no exponent, no hex, not nothing', () => {
    expect(parseDigits('1e3')).toBe(undefined);
    expect(parseDigits('0x10')).toBe(undefined);
    expect(parseDigits('')).toBe(undefined);
    expect(parseDigits('k')).toBe(undefined);
    expect(parseDigits('1,5 mil')).toBe(1500);
  });
});
