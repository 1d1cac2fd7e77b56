/**
 * A simple IoU tracker: each frame's faces are matched greedily (highest IoU first) to the live
 * tracks' last boxes; a match needs IoU above a threshold, an unmatched face starts a new track,
 * and a track unseen for more than `maxAge` frames ends. Enough to keep face ids stable while
 * people move at video frame rates.
 */
import { iou } from './nms.js';

export interface TrackerOptions {
  /** Least IoU between a track's last box and a face for them to be the same person. */
  iouThreshold: number;
  /** Frames a track survives without a match. */
  maxAge: number;
}

interface Track {
  id: number;
  box: readonly number[];
  age: number;
}

export class IouTracker {
  private tracks: Track[] = [];
  private nextId = 0;

  constructor(readonly options: TrackerOptions = { iouThreshold: 0.3, maxAge: 5 }) {}

  /**
   * Assign track ids to one frame's boxes (in order). Returns the ids and the ids of the tracks
   * that ended with this frame.
   */
  update(boxes: readonly (readonly number[])[]): { ids: number[]; ended: number[] } {
    const pairs: [number, number, number][] = [];
    this.tracks.forEach((t, ti) => boxes.forEach((b, bi) => {
      const overlap = iou(t.box, b);
      if (overlap > this.options.iouThreshold) pairs.push([overlap, ti, bi]);
    }));
    pairs.sort((a, b) => b[0] - a[0]);
    const ids = new Array<number>(boxes.length).fill(-1);
    const matched = new Set<number>();
    for (const [, ti, bi] of pairs) {
      if (matched.has(ti) || ids[bi] !== -1) continue;
      matched.add(ti);
      const track = this.tracks[ti]!;
      ids[bi] = track.id;
      track.box = boxes[bi]!;
      track.age = 0;
    }
    const ended: number[] = [];
    this.tracks = this.tracks.filter((t, ti) => {
      if (matched.has(ti)) return true;
      t.age++;
      if (t.age > this.options.maxAge) ended.push(t.id);
      return t.age <= this.options.maxAge;
    });
    boxes.forEach((b, bi) => {
      if (ids[bi] !== -1) return;
      ids[bi] = this.nextId++;
      this.tracks.push({ id: ids[bi]!, box: b, age: 0 });
    });
    return { ids, ended };
  }

  /** Ids of the live tracks. */
  live(): number[] {
    return this.tracks.map((t) => t.id);
  }
}
