import { GroupMePushError } from './groupme-push-error.js';

/** A REST call answered with an error status. `path` never includes the query string. */
export class ApiError extends GroupMePushError {
  override name = 'ApiError';
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** What GroupMe put in `meta.errors`, if anything. */
  readonly errors: readonly string[];

  constructor(status: number, method: string, path: string, errors: readonly string[], message?: string) {
    const detail = errors.length > 0 ? `: ${errors.join('; ')}` : '.';
    super('API_ERROR', message ?? `GroupMe answered ${method} ${path} with HTTP ${status}${detail}`);
    this.status = status;
    this.method = method;
    this.path = path;
    this.errors = errors;
  }
}
