import { describe, expect, it } from 'vitest';
import { learnOrder, orderSteps, progressOf, rolePriority, roleSimilarity, type Journey } from '../../src/generate/onboarding.ts';
import { OnboardingSteps } from '../../src/generate/schemas.ts';
import { SAAS_STEPS } from './onboarding-fixtures.ts';

const def = OnboardingSteps.parse(SAAS_STEPS);
const precedes = (order: string[], a: string, b: string) => order.indexOf(a) < order.indexOf(b);

describe('onboarding orders', () => {
  it('puts every step after its prerequisites, whatever the priorities say, and a wanted step pulls its prerequisite forward', () => {
    // Priorities that want the dependent steps first.
    const order = orderSteps(
      def,
      new Map([
        ['pipeline', 9],
        ['campaign', 8],
        ['sso', 7],
      ]),
      [],
    );
    expect(precedes(order, 'invite', 'pipeline')).toBe(true);
    expect(precedes(order, 'connect', 'campaign')).toBe(true);
    expect(precedes(order, 'connect', 'sso')).toBe(true);
    expect(order.slice(0, 2)).toEqual(['invite', 'pipeline']);
    expect(new Set(order).size).toBe(def.steps.length);
  });

  it('lists the steps done first, in the order done', () => {
    const order = orderSteps(def, new Map(), ['invite', 'profile']);
    expect(order.slice(0, 2)).toEqual(['invite', 'profile']);
  });

  it('reads progress and activation from events: properties.step, doneWhen, the activation type', () => {
    const withDoneWhen = OnboardingSteps.parse({
      ...SAAS_STEPS,
      steps: SAAS_STEPS.steps.map((s) => (s.id === 'invite' ? { ...s, doneWhen: { type: 'like', itemId: 'team' } } : s)),
    });
    const p = progressOf(
      [
        { type: 'click', itemId: 'app', properties: { step: 'connect' }, timestamp: 2 },
        { type: 'like', itemId: 'team', properties: null, timestamp: 1 },
        { type: 'like', itemId: 'other', properties: null, timestamp: 0 },
        { type: 'purchase', itemId: 'plan', properties: null, timestamp: 3 },
      ],
      withDoneWhen,
    );
    expect([...p.doneAt]).toEqual([
      ['invite', 1],
      ['connect', 2],
    ]);
    expect(p.activatedAt).toBe(3);
  });

  it("ranks a role's steps by its tags, and roles by the tags they share", () => {
    expect(rolePriority(def, 'it')!.get('sso')).toBe(2);
    expect(rolePriority(def, 'nobody')).toBeNull();
    expect(roleSimilarity(def, 'growth', 'marketing')).toBeCloseTo(2 / 4, 9);
    expect(roleSimilarity(def, 'it', 'sales')).toBe(0);
    expect(roleSimilarity(def, 'x', 'x')).toBe(1);
  });

  it('learns which of two free steps first led to activation, from similar roles when a role has few journeys', () => {
    const journeys: Journey[] = [];
    for (let k = 0; k < 20; k++) {
      const first = k % 2 === 0;
      journeys.push({ subject: `m${k}`, role: 'marketing', order: first ? ['invite', 'campaign'] : ['campaign', 'invite'], activated: first });
    }
    const growth = learnOrder(def, 'growth', journeys)!;
    expect(growth.ownRole).toBe(0);
    expect(growth.weight).toBeCloseTo(20 * 0.5, 9);
    expect(growth.priority.get('invite')!).toBeGreaterThan(growth.priority.get('campaign')!);
    // Unrelated roles count a little (0.1 each): 20 journeys are 2, too few to learn from.
    expect(learnOrder(def, 'it', journeys)).toBeNull();
    // A pair a prerequisite orders teaches nothing: everyone did connect before campaign, and few activated.
    const forced = Array.from({ length: 20 }, (_, k): Journey => ({ subject: `f${k}`, role: 'marketing', order: ['connect', 'campaign'], activated: k < 4 }));
    const f = learnOrder(def, 'marketing', forced)!;
    // Each margin against a step nobody did is 5/22 − 1/2; connect has three such free pairs (sso and
    // campaign require it), campaign four (sso is free of it): connect–campaign counts for neither.
    const m = 5 / 22 - 1 / 2;
    expect(f.priority.get('connect')).toBeCloseTo(3 * m, 9);
    expect(f.priority.get('campaign')).toBeCloseTo(4 * m, 9);
  });
});
