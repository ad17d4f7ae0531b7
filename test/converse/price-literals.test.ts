import { describe, expect, it } from 'vitest';
import { formatPrice } from '../../src/converse/templates.ts';

/**
 * Issue 11: prices the assistant writes, as literals. The assistant's other tests derive their
 * expected prices from the catalogue independently; these pin the exact text.
 */
describe('prices as the assistant writes them', () => {
  it.each([
    [164.99, 'EUR', 'en', '164.99 €'],
    [164.99, 'EUR', 'es', '164,99 €'],
    [74.5, 'EUR', 'en', '74.50 €'],
    [74.5, undefined, 'es', '74,50 €'],
    [1249, 'EUR', 'en', '1249 €'],
    [0.99, 'EUR', 'es', '0,99 €'],
    [19.99, 'USD', 'en', '$19.99'],
    [19.99, 'GBP', 'es', '£19,99'],
    [5, 'SEK', 'en', '5 SEK'],
    [12345.5, 'EUR', 'es', '12345,50 €'],
    [3.999, 'USD', 'en', '$4'],
  ] as const)('%s %s in %s reads "%s"', (value, currency, lang, text) => {
    expect(formatPrice(value, currency, lang)).toBe(text);
  });
});
