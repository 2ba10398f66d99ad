import { EXIT } from './cli-error.js';
import { runDemo } from './demo.js';
import type { CliIo } from './output.js';

/** `groupme-push demo`: the scripted conversation on the look-alike server. */
export async function demo(io: CliIo): Promise<number> {
  await runDemo((line) => io.stdout.write(`${line}\n`));
  return EXIT.ok;
}
