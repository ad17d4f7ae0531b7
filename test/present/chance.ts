/**
 * The chance the policy gave `option` in a two-option decision. The draw itself is random (seeded by the
 * decision id; an ε floor shows the other option now and then by design), so tests check the chance the
 * answer reports, never which option was drawn.
 */
export function chanceOf(option: string, d: { option?: string; propensity?: number }): number {
  if (d.propensity === undefined) throw new Error(`no propensity in ${JSON.stringify(d)}`);
  return d.option === option ? d.propensity : 1 - d.propensity;
}
