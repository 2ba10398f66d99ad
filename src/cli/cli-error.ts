/** Exit codes of the `groupme-push` command. */
export const EXIT = {
  ok: 0,
  /** Something failed: the network, a doctor step, an unexpected error. */
  failure: 1,
  /** The token (missing, unreadable or refused) or the command line is wrong. */
  usage: 2,
  /** `relay`: Redis refused the credentials or could not be reached at start. */
  redis: 3,
} as const;

/**
 * An error the CLI reports as one sentence on stderr (no stack trace), then exits with
 * `exitCode`. Messages must never contain the access token.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.failure) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
