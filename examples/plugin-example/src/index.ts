/**
 * An example third-party affectzoo plugin. It depends on nothing but `@affectzoo/core` and adds one
 * annotation format, `ferplus-votes`: the FER+ vote-count CSV
 * (`image,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,not_a_face`),
 * read as expression labels by majority vote (contempt counts as Other; images whose majority is
 * unknown or not-a-face, or with a tie, are left out).
 *
 * Use it from a config:
 *   plugins: [affectzoo-plugin-example]
 *   data: { format: ferplus-votes, train: [votes_train.csv] }
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, labelStats, NUM_AUS, z, type FrameLabels, type Registry } from '@affectzoo/core';

const HEADER = ['image', 'neutral', 'happiness', 'surprise', 'sadness', 'anger', 'disgust', 'fear', 'contempt', 'unknown', 'not_a_face'];
/** FER+ column (after `image`) to ABAW expression index; -1 drops the image. */
const TO_ABAW = [0, 4, 6, 5, 1, 2, 3, 7, -1, -1];

const options = z.strictObject({
  minVotes: z.number().int().min(1).default(1).describe('Least number of votes the winning class needs.'),
});

/** Parse FER+ vote counts into ABAW rows; `file` names errors. */
export function parseVotes(text: string, file: string, minVotes = 1): FrameLabels[] {
  const lines = text.split(/\r?\n/).filter((l, i, all) => l.trim() !== '' || i < all.length - 1);
  if (lines[0]?.trim() !== HEADER.join(',')) throw new InputError(file, 1, `expected the header "${HEADER.join(',')}"`);
  const rows: FrameLabels[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.split(',');
    if (cells.length !== HEADER.length) throw new InputError(file, i + 1, `expected ${HEADER.length} columns, found ${cells.length}`);
    const votes = cells.slice(1).map(Number);
    const bad = votes.findIndex((v) => !Number.isInteger(v) || v < 0);
    if (bad >= 0) throw new InputError(file, i + 1, `${HEADER[bad + 1]}: "${cells[bad + 1]}" is not a vote count`);
    const top = Math.max(...votes);
    const winners = votes.flatMap((v, k) => (v === top ? [k] : []));
    if (top < minVotes || winners.length !== 1) continue;
    const expression = TO_ABAW[winners[0]!]!;
    if (expression < 0) continue;
    rows.push({ image: cells[0]!, valence: null, arousal: null, expression, aus: new Array(NUM_AUS).fill(null) });
  }
  return rows;
}

/** The plugin's entry point: affectzoo calls it with the registry when a config lists this package. */
export function register(registry: Registry): void {
  registry.register({
    kind: 'dataset',
    name: 'ferplus-votes',
    description: 'FER+ vote counts as expression labels by majority vote (example plugin)',
    options,
    create: (o: z.output<typeof options>) => ({
      read: async (source: string) => {
        const file = resolve(source);
        const rows = parseVotes(await readFile(file, 'utf8'), source, o.minVotes);
        return { file, rows, stats: labelStats(rows) };
      },
    }),
  });
}
