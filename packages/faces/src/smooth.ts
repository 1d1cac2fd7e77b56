/**
 * Per-track temporal smoothing with a centred Gaussian window, streamed: a value is final once
 * `radius` later values of its track have arrived (or the track ended), so memory stays bounded
 * by the window, not the video. Output keeps frame order: a frame is released once every one of
 * its rows is final. (Gaussian smoothing of per-frame predictions is the largest cheap gain
 * reported on Aff-Wild2 video; see DESIGN.md.)
 */

export interface SmoothItem {
  /** Track id; rows without a track (`-1`, such as "no face" rows) pass through unchanged. */
  track: number;
  frame: number;
  /** The values to smooth (raw in, smoothed out, in place). */
  values: Float32Array;
}

interface TrackState<T extends SmoothItem> {
  /** Raw values and frames of the last `2 * radius + 1` entries of the track. */
  history: { frame: number; raw: Float32Array; item: T; done: boolean }[];
}

export class TemporalSmoother<T extends SmoothItem> {
  private readonly radius: number;
  private readonly weights: Float64Array;
  private readonly tracks = new Map<number, TrackState<T>>();
  /** Rows per frame, in arrival order; `pending` counts rows not yet final. */
  private readonly frames = new Map<number, { items: T[]; pending: number }>();
  private readonly order: number[] = [];

  /** `sigma` in frames; 0 disables smoothing (rows pass through in order). */
  constructor(readonly sigma: number) {
    this.radius = sigma > 0 ? Math.ceil(2.5 * sigma) : 0;
    this.weights = new Float64Array(this.radius + 1);
    for (let d = 0; d <= this.radius; d++) this.weights[d] = sigma > 0 ? Math.exp(-(d * d) / (2 * sigma * sigma)) : 1;
  }

  /**
   * Add one frame's rows (possibly none), frames in increasing order; returns the rows that became
   * final, in frame order. A track not seen for more than `radius` frames is over: its last rows
   * become final with a one-sided window.
   */
  push(frame: number, items: readonly T[]): T[] {
    for (const [id, state] of this.tracks) {
      if (state.history[state.history.length - 1]!.frame < frame - this.radius) {
        this.settle(state, true);
        this.tracks.delete(id);
      }
    }
    const entry = { items: [...items], pending: 0 };
    this.frames.set(frame, entry);
    this.order.push(frame);
    for (const item of items) {
      if (item.track < 0 || this.radius === 0) continue;
      entry.pending++;
      let state = this.tracks.get(item.track);
      if (!state) this.tracks.set(item.track, (state = { history: [] }));
      state.history.push({ frame, raw: Float32Array.from(item.values), item, done: false });
      this.settle(state, false);
    }
    return this.release();
  }

  /** End of input: everything becomes final. */
  flush(): T[] {
    for (const state of this.tracks.values()) this.settle(state, true);
    this.tracks.clear();
    return this.release();
  }

  private settle(state: TrackState<T>, ending: boolean): void {
    const h = state.history;
    for (let i = 0; i < h.length; i++) {
      const e = h[i]!;
      if (e.done || (!ending && h.length - 1 - i < this.radius)) continue;
      const out = e.item.values;
      out.fill(0);
      let total = 0;
      for (let j = Math.max(0, i - this.radius); j <= Math.min(h.length - 1, i + this.radius); j++) {
        const d = Math.abs(h[j]!.frame - e.frame);
        if (d > this.radius) continue;
        const w = this.weights[d]!;
        total += w;
        const raw = h[j]!.raw;
        for (let k = 0; k < out.length; k++) out[k]! += w * raw[k]!;
      }
      for (let k = 0; k < out.length; k++) out[k]! /= total;
      e.done = true;
      this.frames.get(e.frame)!.pending--;
    }
    // Keep only what later windows can still reach.
    while (h.length > 2 * this.radius + 1 && h[0]!.done) h.shift();
  }

  private release(): T[] {
    const out: T[] = [];
    while (this.order.length > 0) {
      const frame = this.order[0]!;
      const entry = this.frames.get(frame)!;
      if (entry.pending > 0) break;
      out.push(...entry.items);
      this.frames.delete(frame);
      this.order.shift();
    }
    return out;
  }
}
