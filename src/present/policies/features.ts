/**
 * The vector a policy scores for one option: the context (with a leading 1, so an option has a base
 * rate) crossed with the option's features (with a leading 1, so the context alone still counts).
 * Kronecker product: [1, c] ⊗ [1, f], length (1+|c|)(1+|f|).
 */
export function crossFeatures(context: ArrayLike<number>, option: ArrayLike<number> = []): Float64Array {
  const nc = context.length + 1;
  const nf = option.length + 1;
  const x = new Float64Array(nc * nf);
  for (let i = 0; i < nc; i++) {
    const ci = i === 0 ? 1 : context[i - 1];
    for (let j = 0; j < nf; j++) x[i * nf + j] = ci * (j === 0 ? 1 : option[j - 1]);
  }
  return x;
}
