import { endpointProblem } from '../util/validate.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { CliError, EXIT } from './cli-error.js';
import { sentence } from './output.js';

/** Options shared by every command that talks to GroupMe. */
export interface ConnectionFlags {
  readonly tokenFile?: string | undefined;
  readonly pushUrl?: string | undefined;
  readonly apiUrl?: string | undefined;
}

/** Flags win over `GROUPME_PUSH_URL` / `GROUPME_API_URL`; unset means GroupMe itself. */
export function endpoints(flags: ConnectionFlags, env: NodeJS.ProcessEnv): { pushUrl?: string; apiUrl?: string } {
  const pushUrl = checkUrl('--push-url', flags.pushUrl ?? (env.GROUPME_PUSH_URL || undefined), 'push');
  const apiUrl = checkUrl('--api-url', flags.apiUrl ?? (env.GROUPME_API_URL || undefined), 'api');
  return { ...(pushUrl ? { pushUrl } : {}), ...(apiUrl ? { apiUrl } : {}) };
}

/** A library error as the CLI reports it: a refused token is exit 2, the rest exit 1. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof AuthenticationError) return new CliError(sentence(error), EXIT.usage);
  return new CliError(sentence(error), EXIT.failure);
}

function checkUrl(flag: string, value: string | undefined, endpoint: 'push' | 'api'): string | undefined {
  if (value === undefined) return undefined;
  const problem = endpointProblem(value, endpoint);
  if (problem) throw new CliError(`${flag} ${problem}; got "${value}".`, EXIT.usage);
  return value;
}
