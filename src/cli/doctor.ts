import { PushClient } from '../client/push-client.js';
import { DEFAULT_API_URL, GroupMeApi } from '../rest/groupme-api.js';
import { DEFAULT_PUSH_URL } from '../client/options.js';
import { EXIT } from './cli-error.js';
import { endpoints, toCliError, type ConnectionFlags } from './connection.js';
import { Diagnostics, sentence, styleFor, type CliIo } from './output.js';
import { readToken } from './token.js';

export interface DoctorFlags extends ConnectionFlags {
  /** How long to wait for the push server to answer a ping on the open connection. Default 30. */
  readonly waitSeconds?: number;
}

/** Bounds the steps that have no timeout of their own. */
const STEP_TIMEOUT_MS = 20_000;

class StepFailed extends Error {}

/**
 * `groupme-push doctor`: one line per check, stopping at the first that fails: token found,
 * REST reachable, token valid, push handshake + subscribe, a ping answered. Exit codes are
 * the CLI's own: 2 when the token is missing, unreadable or refused, 1 for any other failed
 * (or interrupted) check.
 */
export async function doctor(flags: DoctorFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  const style = styleFor(io.stdout, io.env);
  const diag = new Diagnostics(io.stderr);
  const say = (ok: boolean, step: string, detail: string): void => {
    const mark = ok ? style.green('ok  ') : style.red('FAIL');
    io.stdout.write(`${mark}  ${diag.scrub(step)}${detail ? `: ${diag.scrub(detail)}` : ''}\n`);
  };
  let current = '';
  const step = async <T>(name: string, run: () => Promise<T>, detail: (value: T) => string): Promise<T> => {
    current = name;
    const value = await run();
    say(true, name, detail(value));
    return value;
  };

  // A malformed URL is a usage error (exit 2), before any step.
  const urls = endpoints(flags, io.env);
  const apiUrl = urls.apiUrl ?? DEFAULT_API_URL;
  const pushUrl = urls.pushUrl ?? DEFAULT_PUSH_URL;
  let client: PushClient | undefined;
  try {
    const found = await step('token found', () => readToken({ tokenFile: flags.tokenFile, env: io.env }), (t) => `from ${t.from}`);
    diag.hide(found.token);

    await step('REST reachable', () => reachable(apiUrl, signal), (status) => `${apiUrl} answered HTTP ${status}`);
    const api = new GroupMeApi({ token: found.token, apiUrl });
    const me = await step('token valid', () => api.me({ signal }), (user) => `${user.name} (${user.id})`);

    const pushClient = new PushClient({ token: found.token, apiUrl, pushUrl, catchUp: false, subscribeTimeoutMs: STEP_TIMEOUT_MS });
    client = pushClient;
    await step(
      `push handshake and subscribe /user/${me.id}`,
      () => bounded(pushClient.start(), STEP_TIMEOUT_MS, `${pushUrl} did not answer within ${STEP_TIMEOUT_MS / 1000} s`, signal),
      () => pushUrl,
    );

    // GroupMe may send nothing for minutes on a healthy connection: ask rather than wait.
    const waitSeconds = flags.waitSeconds ?? 30;
    await step(
      `push server answers on the open connection within ${waitSeconds} s`,
      () => bounded(pushClient.ping(), waitSeconds * 1000, `no answer within ${waitSeconds} s: the connection is open but dead`, signal),
      (ms) => `round trip ${ms.toFixed(0)} ms`,
    );
    io.stdout.write('All checks passed.\n');
    return EXIT.ok;
  } catch (error) {
    const reason = signal.aborted ? 'interrupted' : sentence(error);
    say(false, current, reason);
    diag.line(`doctor: the check "${current}" failed.`);
    return signal.aborted ? EXIT.failure : toCliError(error).exitCode;
  } finally {
    await client?.stop();
  }
}

/** Any HTTP answer at all (401 included: no token is sent) means the REST API is reachable. */
async function reachable(apiUrl: string, signal: AbortSignal): Promise<number> {
  try {
    const response = await fetch(`${apiUrl.replace(/\/+$/, '')}/users/me`, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(STEP_TIMEOUT_MS)]),
    });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const why = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${STEP_TIMEOUT_MS / 1000} s` : (cause ?? sentence(error));
    throw new StepFailed(`${apiUrl} could not be reached (${why}).`);
  }
}

/** `promise`, or a rejection after `ms` or when `signal` aborts. */
function bounded<T>(promise: Promise<T>, ms: number, timeoutMessage: string, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StepFailed(`${timeoutMessage}.`)), ms);
    const onAbort = (): void => reject(new StepFailed('interrupted.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
