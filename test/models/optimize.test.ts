import { describe, expect, it } from 'vitest';
import { gradientCheck, minimizeLbfgs, type Objective } from '../../src/models/optimize.js';
import { findRoot, minimizeScalar } from '../../src/models/optimize-scalar.js';

/** Extended Rosenbrock: Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1). */
const rosenbrock: Objective = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i] = g[i]! - 400 * x[i]! * a - 2 * b;
    g[i + 1] = g[i + 1]! + 200 * a;
  }
  return f;
};

describe('L-BFGS', () => {
  it('finds the Rosenbrock minimum from the classic start (−1.2, 1)', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
    expect(r.value).toBeLessThan(1e-10);
    expect(r.iterations).toBeLessThan(100);
  });

  it('solves the 20-dimensional extended Rosenbrock', () => {
    const x0 = Float64Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const r = minimizeLbfgs(rosenbrock, x0, { maxIterations: 1000 });
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(1, 4);
    expect(x0[0]).toBe(-1.2); // the start is not modified
  });

  it('hits the exact minimiser of an ill-conditioned quadratic', () => {
    // f = ½ Σ c_i (x_i − i)², condition number 1e4.
    const c = Float64Array.from({ length: 10 }, (_, i) => 10 ** ((4 * i) / 9));
    const r = minimizeLbfgs((x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        const d = x[i]! - i;
        f += 0.5 * c[i]! * d * d;
        g[i] = c[i]! * d;
      }
      return f;
    }, new Float64Array(10));
    for (let i = 0; i < 10; i++) expect(r.x[i]).toBeCloseTo(i, 6);
  });

  it('backs off when a step leaves the domain (f = +Infinity)', () => {
    // f = x − log x on x > 0 has its minimum at 1; a full first step from 20 overshoots to x < 0.
    const r = minimizeLbfgs((x, g) => {
      if (x[0]! <= 0) return Infinity;
      g[0] = 1 - 1 / x[0]!;
      return x[0]! - Math.log(x[0]!);
    }, [20]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
  });

  it('reports max-iterations without claiming convergence', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.reason).toBe('max-iterations');
    expect(r.iterations).toBe(3);
  });

  it('refuses a start where the objective is not finite', () => {
    expect(() => minimizeLbfgs(() => NaN, [0])).toThrow(RangeError);
  });
});

describe('scalar helpers', () => {
  it('findRoot (Brent) finds √2 and cos x = x to machine precision', () => {
    expect(findRoot((x) => x * x - 2, 0, 2)).toBeCloseTo(Math.SQRT2, 14);
    expect(findRoot((x) => Math.cos(x) - x, 0, 1)).toBeCloseTo(0.7390851332151607, 14);
    expect(() => findRoot((x) => x * x + 1, -1, 1)).toThrow(/not bracketed/);
  });

  it('minimizeScalar finds the minimum of a unimodal function', () => {
    expect(minimizeScalar((x) => (x - 0.3) ** 2 + 1, 0, 1).x).toBeCloseTo(0.3, 6);
  });

  it('gradientCheck passes a correct gradient and flags a wrong one', () => {
    expect(gradientCheck(rosenbrock, [0.3, -0.7, 1.1])).toBeLessThan(1e-6);
    const wrong: Objective = (x, g) => {
      g[0] = x[0]!; // true derivative of x² is 2x
      return x[0]! * x[0]!;
    };
    expect(gradientCheck(wrong, [1.5])).toBeGreaterThan(0.1);
  });
});
