/**
 * Errors a user can act on. Each names where the problem is (file and line, or config path) so
 * that the CLI can print it as one line instead of a stack trace.
 */
export class AffectzooError extends Error {
  override readonly name: string = 'AffectzooError';
}

/** A problem in an input file, located by file and (1-based) line or frame. */
export class InputError extends AffectzooError {
  override readonly name = 'InputError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
  }
}

/** A problem in a config value, located by its path (for example `heads[0].options.k`). */
export class ConfigError extends AffectzooError {
  override readonly name = 'ConfigError';
  constructor(
    readonly issues: readonly { path: string; message: string }[],
    readonly source?: string,
  ) {
    const where = source ? `${source}: ` : '';
    super(`${where}invalid config\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
  }
}
