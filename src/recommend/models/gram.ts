/**
 * The lower triangle of a Gram matrix XᵀX from a sparse X, a row of the result at a time: for each
 * column a, every row of X holding a adds its entries up to a into G[a, ·]. The work is that of
 * the obvious row-by-row accumulation (Σ over rows of length²/2), but each destination row is
 * finished while it sits in cache instead of being revisited at random for every row of X — on an
 * m×m matrix of tens of megabytes that is most of the cost.
 */

/** A sparse matrix by rows, each row's columns ascending. */
export interface SparseRows {
  nRows: number;
  /** Row r's entries are at [indptr[r], indptr[r + 1]). */
  indptr: Int32Array;
  /** Column of each entry (ascending within a row). */
  indices: Int32Array;
  values: Float64Array;
}

/**
 * G[a·m + b] += Σ_r X[r, a] · X[r, b] for b ≤ a < m (the strict upper triangle is left alone).
 * Columns must be below m and ascending within each row.
 */
export function addGramLower(X: SparseRows, m: number, G: Float64Array): void {
  const { indptr, indices, values } = X;
  const nnz = indptr[X.nRows];
  // The entries of each column (their positions in X), and the row each position belongs to.
  const start = new Int32Array(m + 1);
  for (let p = 0; p < nnz; p++) start[indices[p] + 1]++;
  for (let a = 0; a < m; a++) start[a + 1] += start[a];
  const fill = start.slice(0, m);
  const at = new Int32Array(nnz);
  const rowStart = new Int32Array(nnz);
  for (let r = 0; r < X.nRows; r++) {
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      at[fill[indices[p]]++] = p;
      rowStart[p] = indptr[r];
    }
  }
  for (let a = 0; a < m; a++) {
    const ga = a * m;
    for (let e = start[a]; e < start[a + 1]; e++) {
      const p = at[e];
      const va = values[p];
      // The row's columns up to and including a (ascending, so they end at p).
      for (let q = rowStart[p]; q <= p; q++) G[ga + indices[q]] += va * values[q];
    }
  }
}
