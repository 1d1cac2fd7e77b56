/**
 * The progress bar every long command shows (cli-progress on stderr): a live bar in a terminal,
 * and in a log file or CI one line every 10 s instead of nothing.
 */
import cliProgress from 'cli-progress';

export type ProgressBar = cliProgress.SingleBar;

/** A bar with the given format (cli-progress placeholders such as `{bar}`, `{value}`, `{eta_formatted}`). */
export function createProgressBar(format: string, options: cliProgress.Options = {}): ProgressBar {
  return new cliProgress.SingleBar({
    format,
    etaBuffer: 50,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
    hideCursor: true,
    ...options,
  }, cliProgress.Presets.shades_classic);
}
