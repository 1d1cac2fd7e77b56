/** `affectzoo inspect`: read annotation files and print their per-task label counts. */
import { AU_NAMES, EXPRESSION_NAMES, readAnnotations, type LabelStats } from '@affectzoo/core';

export function formatStats(file: string, s: LabelStats): string {
  const pct = (x: number) => (Number.isNaN(x) ? '-' : `${(100 * x).toFixed(1)}%`);
  return [
    `${file}: ${s.frames} frames; VA ${s.va}, expression ${s.expression}, AU ${Math.max(0, ...s.auLabelled)}`,
    `  expression: ${EXPRESSION_NAMES.map((n, c) => `${n} ${s.expressionCounts[c]}`).join(', ')}`,
    `  AU positive rate: ${AU_NAMES.map((n, j) => `${n} ${pct(s.auPositiveRate[j]!)}`).join(', ')}`,
  ].join('\n');
}

export async function runInspect(files: string[], o: { json?: boolean }): Promise<void> {
  for (const file of files) {
    const set = await readAnnotations(file);
    console.log(o.json ? JSON.stringify({ file, ...set.stats }) : formatStats(file, set.stats));
  }
}
