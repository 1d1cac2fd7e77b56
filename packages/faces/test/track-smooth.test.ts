import { describe, expect, it } from 'vitest';
import { IouTracker } from '../src/tracker.js';
import { TemporalSmoother, type SmoothItem } from '../src/smooth.js';

describe('IouTracker', () => {
  it('keeps ids across frames for moving boxes, starts new ids, and ends stale tracks', () => {
    const t = new IouTracker({ iouThreshold: 0.3, maxAge: 1 });
    expect(t.update([[0, 0, 10, 10], [100, 100, 10, 10]]).ids).toEqual([0, 1]);
    // Order swapped and moved a little: ids follow the boxes.
    expect(t.update([[102, 101, 10, 10], [1, 1, 10, 10]]).ids).toEqual([1, 0]);
    // A new face far away; face 1 missing.
    expect(t.update([[2, 1, 10, 10], [300, 300, 10, 10]])).toEqual({ ids: [0, 2], ended: [] });
    expect(t.update([[2, 1, 10, 10]]).ended).toEqual([1]);
  });
});

const item = (track: number, frame: number, v: number): SmoothItem => ({ track, frame, values: Float32Array.of(v) });

describe('TemporalSmoother', () => {
  it('passes rows through in frame order when sigma is 0', () => {
    const s = new TemporalSmoother<SmoothItem>(0);
    expect(s.push(0, [item(0, 0, 1)]).map((r) => r.values[0])).toEqual([1]);
  });

  it('smooths a track with a centred Gaussian and releases frames in order', () => {
    const sigma = 1;
    const s = new TemporalSmoother<SmoothItem>(sigma); // radius 3
    const out: SmoothItem[] = [];
    const raw = [0, 0, 0, 10, 0, 0, 0, 0];
    raw.forEach((v, f) => out.push(...s.push(f, [item(7, f, v)])));
    // Frame 0 is final once frames 1..3 arrived, so 8 pushes release frames 0..4.
    expect(out.map((r) => r.frame)).toEqual([0, 1, 2, 3, 4]);
    out.push(...s.flush());
    expect(out.map((r) => r.frame)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Frame 3: weights exp(-d^2/2) for d = -3..3; only d = 0 carries 10.
    const w = (d: number) => Math.exp(-(d * d) / 2);
    const full = [-3, -2, -1, 0, 1, 2, 3].reduce((a, d) => a + w(d), 0);
    expect(out[3]!.values[0]).toBeCloseTo(10 / full, 5);
    expect(out[4]!.values[0]).toBeCloseTo((10 * w(1)) / full, 5);
    // Frame 0 has a one-sided window (d = 0..3), frame 3 is at d = 3.
    expect(out[0]!.values[0]).toBeCloseTo((10 * w(3)) / (w(0) + w(1) + w(2) + w(3)), 5);
  });

  it('holds a frame until every track in it is final, and lets no-face rows through', () => {
    const s = new TemporalSmoother<SmoothItem>(1);
    expect(s.push(0, [item(-1, 0, 5)]).length).toBe(1);
    expect(s.push(1, [item(0, 1, 1)])).toEqual([]);
    // Track 0 is not seen again: 4 frames later (radius 3) its row is final.
    expect(s.push(2, []).map((r) => r.frame)).toEqual([]);
    expect(s.push(5, []).map((r) => r.frame)).toEqual([1]);
  });
});
