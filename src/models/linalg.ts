// Dense symmetric positive-definite linear algebra for the small normal-equation systems of
// the rating models (at most a few hundred unknowns): Cholesky factorisation A = L Lᵀ,
// solves, and the diagonal of A⁻¹. Reference: Golub & Van Loan, "Matrix Computations",
// 4th ed., §4.2. Matrices are row-major Float64Arrays of size n·n.

/** Factorises the SPD matrix `a` in place into its lower Cholesky factor; throws if not SPD. */
export function choleskyInPlace(a: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    if (!(d > 0)) throw new RangeError(`matrix is not positive definite (pivot ${j} = ${d})`);
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) a[j * n + k] = 0; // keep the upper triangle clean
  }
  return a;
}

/** Solves L Lᵀ x = b given the factor from choleskyInPlace; returns x (b is untouched). */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** diag(A⁻¹) from the Cholesky factor of A: n solves, O(n³), fine for n in the hundreds. */
export function inverseDiagonal(l: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    e.fill(0);
    e[i] = 1;
    out[i] = choleskySolve(l, n, e)[i]!;
  }
  return out;
}
