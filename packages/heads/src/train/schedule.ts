/** Stages, learning-rate schedules and the batch sampler of the trainer. */
import type { FrameLabels } from '@affectzoo/core';
import { Rng } from '../rng.js';

export type StageTask = 'au' | 'expression' | 'va' | 'joint';

export function hasLabel(row: FrameLabels, task: StageTask): boolean {
  switch (task) {
    case 'au': return row.aus.some((a) => a !== null);
    case 'expression': return row.expression !== null;
    case 'va': return row.valence !== null && row.arousal !== null;
    default: return true;
  }
}

/** Learning rate at `step` of `total` (cosine decays to 0 at the end of the stage). */
export function learningRate(base: number, schedule: 'constant' | 'cosine', step: number, total: number): number {
  return schedule === 'cosine' ? 0.5 * base * (1 + Math.cos((Math.PI * step) / Math.max(total, 1))) : base;
}

export interface SamplerState {
  order: number[];
  position: number;
  rng: number;
}

/**
 * Batches drawn from a fresh shuffle of the stage's rows each pass; a batch that runs past the end
 * continues into the next shuffle, so every batch is full (batch norm wants full batches).
 */
export class Sampler {
  private readonly rng: Rng;
  private order: number[] = [];
  private position = 0;

  constructor(readonly rows: readonly number[], seed: number) {
    this.rng = new Rng(seed);
  }

  next(size: number): Int32Array {
    const batch = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      if (this.position >= this.order.length) {
        this.order = this.rng.shuffle([...this.rows]);
        this.position = 0;
      }
      batch[i] = this.order[this.position++]!;
    }
    return batch;
  }

  getState(): SamplerState {
    return { order: this.order, position: this.position, rng: this.rng.getState() };
  }

  setState(s: SamplerState): void {
    this.order = s.order;
    this.position = s.position;
    this.rng.setState(s.rng);
  }
}
