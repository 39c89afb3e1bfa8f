/** Exit codes: documented in the README and `runsite --help`. */
export const exitCodes = { ok: 0, problems: 1, usage: 2 } as const;

/** An error the CLI prints as one line and exits with (as Observable Framework's `CliError`). */
export class CliError extends Error {
  readonly code: number;
  constructor(message: string, code: number = exitCodes.usage) {
    super(message);
    this.code = code;
  }
}
