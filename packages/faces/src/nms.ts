/** Intersection over union of two `[x, y, w, h]` boxes. */
export function iou(a: readonly number[], b: readonly number[]): number {
  const x1 = Math.max(a[0]!, b[0]!);
  const y1 = Math.max(a[1]!, b[1]!);
  const x2 = Math.min(a[0]! + a[2]!, b[0]! + b[2]!);
  const y2 = Math.min(a[1]! + a[3]!, b[1]! + b[3]!);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a[2]! * a[3]! + b[2]! * b[3]! - inter;
  return union <= 0 ? 0 : inter / union;
}

/**
 * Greedy non-maximum suppression: keep the best-scoring box, drop every box that overlaps it by
 * more than `threshold` IoU, repeat. Returns the kept indices, best first.
 */
export function nms(boxes: readonly (readonly number[])[], scores: readonly number[], threshold: number): number[] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const keep: number[] = [];
  const dropped = new Uint8Array(boxes.length);
  for (const i of order) {
    if (dropped[i]) continue;
    keep.push(i);
    for (const j of order) {
      if (!dropped[j] && j !== i && iou(boxes[i]!, boxes[j]!) > threshold) dropped[j] = 1;
    }
  }
  return keep;
}
