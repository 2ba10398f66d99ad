import { readFile } from 'node:fs/promises';
import { tokenProblem } from '../util/validate.js';
import { CliError, EXIT } from './cli-error.js';

/** One account's token and where it came from, for messages that must never show the token. */
export interface RelayToken {
  readonly token: string;
  /** `line 3 of tokens.txt`, or `GROUPME_TOKEN`. */
  readonly from: string;
}

/**
 * The relay's tokens: `--token-file PATH` holds one per line (blank lines and lines
 * starting with `#` are skipped), else `GROUPME_TOKEN` holds one. A token repeated in the
 * file is taken once. Throws a CliError (exit 2) when there is none, or one that cannot be a
 * token (the same check as every other command's).
 */
export async function readRelayTokens(tokenFile: string | undefined, env: NodeJS.ProcessEnv): Promise<RelayToken[]> {
  if (tokenFile === undefined) {
    const token = env.GROUPME_TOKEN?.trim() ?? '';
    if (token === '') throw new CliError('No access token: pass --token-file PATH (one token per line) or set GROUPME_TOKEN.', EXIT.usage);
    const problem = tokenProblem(token);
    if (problem) throw new CliError(`GROUPME_TOKEN ${problem}.`, EXIT.usage);
    return [{ token, from: 'GROUPME_TOKEN' }];
  }
  let text: string;
  try {
    text = await readFile(tokenFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`Cannot read the token file ${tokenFile}${code ? ` (${code})` : ''}.`, EXIT.usage);
  }
  const tokens: RelayToken[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    const token = line.trim();
    if (token === '' || token.startsWith('#') || seen.has(token)) return;
    const problem = tokenProblem(token);
    if (problem) throw new CliError(`Line ${index + 1} of the token file ${tokenFile} ${problem}.`, EXIT.usage);
    seen.add(token);
    tokens.push({ token, from: `line ${index + 1} of ${tokenFile}` });
  });
  if (tokens.length === 0) throw new CliError(`The token file ${tokenFile} holds no token.`, EXIT.usage);
  return tokens;
}
