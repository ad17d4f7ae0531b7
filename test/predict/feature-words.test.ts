import { describe, expect, it } from 'vitest';
import { CHURN_FEATURES, type PersonFacts } from '../../src/predict/person-features.ts';

/** The reasons people read beside a prediction: counts with the right English plural. */
const words = (name: string, facts: Partial<PersonFacts>) => {
  const spec = CHURN_FEATURES.find((f) => f.name === name);
  if (!spec) throw new Error(`no feature ${name}`);
  return spec.words(facts as PersonFacts, 3);
};

describe('feature words', () => {
  it('says categories, days and messages in the plural, and one of each in the singular', () => {
    expect(words('category spread', { categories: 3 })).toBe('shops in 3 categories');
    expect(words('category spread', { categories: 1 })).toBe('shops in 1 category');
    expect(words('active days', { activeDays: 5 })).toBe('active on 5 days');
    expect(words('chat', { chats: 2 })).toBe('2 chat messages');
  });
});
