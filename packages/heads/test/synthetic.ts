// A tiny synthetic multi-task problem: labels are simple functions of the features, some missing.
import type { FrameLabels } from '@affectzoo/core';
import { Rng, type FeatureRows } from '../src/index.js';

export function synthetic(n: number, dim: number, seed: number): FeatureRows {
  const rng = new Rng(seed);
  const features = new Float32Array(n * dim);
  for (let i = 0; i < features.length; i++) features[i] = rng.next() * 2 - 1 + 0.5; // off-centre, for standardisation
  const rows: FrameLabels[] = [];
  for (let i = 0; i < n; i++) {
    const x = (j: number) => features[i * dim + j]! - 0.5;
    const kind = i % 3;
    let arg = 0;
    for (let c = 1; c < 8; c++) if (x(c) > x(arg)) arg = c;
    rows.push({
      image: `img${i}.png`,
      valence: kind === 2 ? Math.tanh(2 * x(0)) : null,
      arousal: kind === 2 ? Math.tanh(2 * x(1)) : null,
      expression: kind === 1 ? arg : null,
      aus: kind === 0 ? Array.from({ length: 12 }, (_, j) => (x(j % dim) > 0 ? 1 : 0)) : new Array<null>(12).fill(null),
    });
  }
  return { features, dim, rows };
}
