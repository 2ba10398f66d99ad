import { PushClient } from '../client/push-client.js';
import type { StateChange } from '../client/connection-state.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import type { PushEvent } from '../events/types.js';
import { CliError, EXIT } from './cli-error.js';
import { endpoints, toCliError, type ConnectionFlags } from './connection.js';
import { eventFilter } from './event-types.js';
import { formatEvent } from './format-event.js';
import { LearnedNames } from './names.js';
import { Diagnostics, eventJson, sentence, styleFor, type CliIo } from './output.js';
import { readToken } from './token.js';

export interface ListenFlags extends ConnectionFlags {
  /** Also subscribe every active group and DM thread. */
  readonly all?: boolean;
  /** NDJSON on stdout instead of readable lines. */
  readonly json?: boolean;
  /** With `json`: keep each event's original payload as `raw`. */
  readonly raw?: boolean;
  /** Only these event types (default: all but `ping`). */
  readonly type?: readonly PushEvent['type'][];
}

/**
 * `groupme-push listen`: events on stdout (one per line), everything else on stderr.
 * Runs until `signal` aborts (SIGINT/SIGTERM) and resolves 0, or throws a CliError when
 * the connection fails for good (a refused token: exit 2).
 */
export async function listen(flags: ListenFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  const { token } = await readToken({ tokenFile: flags.tokenFile, env: io.env });
  const diag = new Diagnostics(io.stderr);
  diag.hide(token);
  const client = new PushClient({ token, ...endpoints(flags, io.env), subscribeAll: flags.all === true });
  const wanted = eventFilter(flags.type);
  const names = new LearnedNames();
  const style = styleFor(io.stdout, io.env);

  // Until start() settles, diagnostics wait: a refused token must end in one sentence only.
  let started = false;
  const held: string[] = [];
  const report = (text: string): void => {
    if (started) diag.line(text);
    else held.push(text);
  };

  client.on('event', (event) => {
    if (!flags.json) names.learn(event);
    if (!wanted(event)) return;
    io.stdout.write(`${flags.json ? eventJson(event, flags.raw === true) : formatEvent(event, names, style)}\n`);
  });
  client.on('state', (change) => {
    // The first `connected` is announced below, with the channel count; `failed` ends the run.
    if (started && change.current !== 'failed' && change.current !== 'stopped') report(describeState(change));
  });
  client.on('catch-up', ({ delivered, error }) => {
    if (delivered > 0 || error) report(`caught up ${delivered} missed message${delivered === 1 ? '' : 's'}${error ? `, then: ${sentence(error)}` : ''}`);
  });
  client.on('error', (error) => {
    // A refused token is reported once, as the reason the command ends.
    if (!(error instanceof AuthenticationError)) report(`error: ${sentence(error)}`);
  });

  const stopOnAbort = (): void => void client.stop();
  signal.addEventListener('abort', stopOnAbort, { once: true });
  try {
    if (signal.aborted) return EXIT.ok;
    await client.start();
  } catch (error) {
    await client.stop();
    if (signal.aborted) return EXIT.ok;
    throw toCliError(error);
  } finally {
    signal.removeEventListener('abort', stopOnAbort);
  }

  started = true;
  for (const text of held.splice(0)) diag.line(text);
  const count = client.channels.length;
  diag.line(`connected as user ${client.userId} on ${count} channel${count === 1 ? '' : 's'}; Ctrl-C to stop`);
  if (!flags.json) void names.load(client.api);

  const outcome = await new Promise<CliError | null>((resolve) => {
    if (signal.aborted) return resolve(null);
    signal.addEventListener('abort', () => resolve(null), { once: true });
    client.on('state', (change) => {
      if (change.current === 'failed') resolve(toCliError(change.error ?? new CliError('The connection failed for good.')));
    });
  });
  await client.stop();
  if (outcome) throw outcome;
  diag.line('stopped');
  return EXIT.ok;
}

function describeState(change: StateChange): string {
  const retry = change.retryInMs !== null ? `, retrying in ${(change.retryInMs / 1000).toFixed(1)} s` : '';
  const why = change.error ? `: ${sentence(change.error)}` : '';
  return `${change.current} (${change.reason})${retry}${why}`;
}
