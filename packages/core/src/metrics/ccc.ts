/**
 * Concordance correlation coefficient (Lin, 1989):
 *
 *   CCC = 2 cov(x, y) / (var x + var y + (mean x - mean y)^2)
 *
 * with population (1/n) variances and covariance, each mean taken from its own sequence.
 * Edge cases: no pairs gives NaN; a zero denominator (both sequences constant and equal) gives 0,
 * since no agreement in variation can be measured (the guard common NumPy implementations use).
 */
export function ccc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new Error(`ccc: ${x.length} values against ${y.length}`);
  if (n === 0) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let vx = 0;
  let vy = 0;
  let cov = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    vx += dx * dx;
    vy += dy * dy;
    cov += dx * dy;
  }
  vx /= n;
  vy /= n;
  cov /= n;
  const denominator = vx + vy + (mx - my) ** 2;
  return denominator === 0 ? 0 : (2 * cov) / denominator;
}
