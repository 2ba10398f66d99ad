#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
// The version users see is the one npm publishes; the bundler inlines it at build time.
import packageJson from '../../package.json' with { type: 'json' };
import { CliError, EXIT } from './cli-error.js';
import { doctor } from './doctor.js';
import { parseTypes } from './event-types.js';
import { listen } from './listen.js';
import { relay } from './relay.js';
import { parseShard } from './relay-shard.js';
import { sentence, type CliIo } from './output.js';
import { whoami } from './whoami.js';

const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

// SIGINT (Ctrl-C) and SIGTERM stop the running command cleanly; a second one forces the exit.
const interrupt = new AbortController();
for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
  });
}
// `groupme-push listen --json | head`: a closed pipe ends the command quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') interrupt.abort();
  else throw error;
});

/** The token never travels as an argument (`ps` shows those): refuse it with a pointer. */
const refuseBareToken = new Option('--token <token>').hideHelp();

function withConnection(command: Command, tokenFile = 'read the access token from this file (default: $GROUPME_TOKEN)'): Command {
  return command
    .option('--token-file <path>', tokenFile)
    .option('--push-url <url>', 'push server (default: $GROUPME_PUSH_URL or https://push.groupme.com/faye)')
    .option('--api-url <url>', 'REST API (default: $GROUPME_API_URL or https://api.groupme.com/v3)')
    .addOption(refuseBareToken);
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds.');
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return n;
}

function types(value: string, previous: ReturnType<typeof parseTypes> | undefined) {
  try {
    return parseTypes(value, previous);
  } catch (error) {
    throw new InvalidArgumentError(sentence(error));
  }
}

let exitCode: number = EXIT.ok;
const program = new Command('groupme-push')
  .description("GroupMe's real-time Push Service from the command line.")
  .version(packageJson.version)
  .showSuggestionAfterError()
  .exitOverride()
  .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
  .hook('preAction', (_program, action) => {
    // Commander would echo an invalid value; this message never repeats the token.
    if (action.opts().token !== undefined) {
      throw new CliError('The token is never passed as an argument (ps would show it): use GROUPME_TOKEN or --token-file PATH.', EXIT.usage);
    }
  });

withConnection(
  program
    .command('listen')
    .description('print events as they arrive: readable lines, or NDJSON with --json (state and errors go to stderr)'),
)
  .option('--all', 'also subscribe every group and DM thread (typing, reactions, edits, deletions)')
  .option('--json', 'one JSON event per line (NDJSON), without the raw payload')
  .option('--raw', "with --json, keep each event's original payload as `raw`")
  .option('--type <types>', `only these event types, comma-separated (default: all but ping)`, types)
  .action(async (flags) => {
    exitCode = await listen(flags, io, interrupt.signal);
  });

withConnection(
  program.command('relay').description('append every event of many accounts to a Redis stream, each once, with active-active replicas'),
  'read the access tokens from this file, one per line (default: $GROUPME_TOKEN, one token)',
)
  .option('--redis <url>', 'redis://[user:password@]host:port[/db] (default: $GROUPME_REDIS_URL)')
  .option('--shard <i/n>', "only the accounts whose user id hashes to shard i of n (default: 0/1, all)", parseShard)
  .option('--all', 'also subscribe every group and DM thread of each account (typing, reactions, edits, deletions)')
  .option('--type <types>', 'only these event types, comma-separated (default: all but ping)', types)
  .option('--stream <key>', 'the stream key (default: groupme:events)')
  .option('--maxlen <n>', 'trim the stream to about n entries (XADD MAXLEN ~)', count)
  .option('--status-seconds <n>', 'seconds between status lines on stderr', seconds, 30)
  .action(async (flags) => {
    exitCode = await relay(flags, io, interrupt.signal);
  });

withConnection(program.command('whoami').description("print the token's user: name and id"))
  .option('--json', 'as JSON: {"id", "name"}')
  .action(async (flags) => {
    exitCode = await whoami(flags, io);
  });

withConnection(program.command('doctor').description('check REST, the token, the push handshake and an answered ping, step by step'))
  .option('--wait-seconds <n>', 'how long to wait for the push server to answer a ping', seconds, 30)
  .action(async (flags) => {
    exitCode = await doctor(flags, io, interrupt.signal);
  });

program
  .command('demo')
  .description('play a scripted conversation on the built-in look-alike server (no token, no network)')
  .action(async () => {
    // Only the demo runs the look-alike server (and faye's server side): loaded for it alone.
    const { demo } = await import('./demo-command.js');
    exitCode = await demo(io);
  });

// Exit codes are set, not forced with process.exit(), so that stdout drains first.
program.parseAsync(process.argv).then(
  () => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; a wrong command line is a usage error (commander said why).
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else if (error instanceof CliError) {
      io.stderr.write(`groupme-push: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      io.stderr.write(`groupme-push: ${sentence(error)}\n`);
      process.exitCode = EXIT.failure;
    }
  },
);
