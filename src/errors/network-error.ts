import { GroupMePushError } from './groupme-push-error.js';

/** A REST call got no HTTP answer at all: refused, reset, timed out, or DNS failed. */
export class NetworkError extends GroupMePushError {
  override name = 'NetworkError';
  readonly method: string;
  readonly path: string;
  /** The system error code, such as `ECONNREFUSED` or `ETIMEDOUT`, when there is one. */
  readonly reason: string | null;

  constructor(method: string, path: string, reason: string | null) {
    super('NETWORK_ERROR', `GroupMe could not be reached for ${method} ${path}${reason ? ` (${reason})` : ''}.`);
    this.method = method;
    this.path = path;
    this.reason = reason;
  }
}
