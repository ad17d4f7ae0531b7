/**
 * Bayesian chance to beat control: the posterior probability that the treatment's true rate (or mean)
 * is above the control's.
 */
import { logBeta, normalCdf } from './distributions.ts';

/**
 * P(p_B > p_A) for independent Beta(αA, βA) and Beta(αB, βB) posteriors, exactly (the finite sum for an
 * integer αB): Σ_{i<αB} B(αA+i, βA+βB) / ((βB+i) B(1+i, βB) B(αA, βA)). With a uniform prior, a
 * variant with x conversions of n people has Beta(1 + x, 1 + n − x).
 */
export function probabilityBBeatsA(alphaA: number, betaA: number, alphaB: number, betaB: number): number {
  if (!Number.isInteger(alphaB)) throw new RangeError('probabilityBBeatsA: alphaB must be an integer');
  // The sum has αB terms; beyond a million the normal approximation of the two Betas is exact enough.
  if (alphaB > 1_000_000) return betaNormalApproximation(alphaA, betaA, alphaB, betaB);
  let total = 0;
  const base = logBeta(alphaA, betaA);
  for (let i = 0; i < alphaB; i++) {
    total += Math.exp(logBeta(alphaA + i, betaA + betaB) - Math.log(betaB + i) - logBeta(1 + i, betaB) - base);
  }
  return Math.min(1, Math.max(0, total));
}

function betaNormalApproximation(aA: number, bA: number, aB: number, bB: number): number {
  const m = (a: number, b: number) => a / (a + b);
  const v = (a: number, b: number) => (a * b) / ((a + b) ** 2 * (a + b + 1));
  return normalCdf((m(aB, bB) - m(aA, bA)) / Math.sqrt(v(aA, bA) + v(aB, bB)));
}

/** Chance to beat control for conversions: x of n in each group, uniform Beta(1, 1) prior. */
export function chanceToBeatProportion(xControl: number, nControl: number, xTreatment: number, nTreatment: number): number {
  return probabilityBBeatsA(1 + xControl, 1 + nControl - xControl, 1 + xTreatment, 1 + nTreatment - xTreatment);
}

/**
 * Chance to beat control for a mean or a ratio: with a flat prior and many people, each mean's
 * posterior is normal about the estimate with the estimate's variance, so P(B > A) = Φ(d / se).
 */
export function chanceToBeatNormal(difference: number, se: number): number {
  if (!(se > 0)) return difference > 0 ? 1 : difference < 0 ? 0 : 0.5;
  return normalCdf(difference / se);
}
