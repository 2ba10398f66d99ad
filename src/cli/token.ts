import { readFile } from 'node:fs/promises';
import { tokenProblem } from '../util/validate.js';
import { CliError, EXIT } from './cli-error.js';

/** Where the token is read from: never a bare command-line argument (`ps` would show it). */
export interface TokenSource {
  readonly tokenFile?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/** Where the token came from, for `doctor`; never the token itself. */
export interface FoundToken {
  readonly token: string;
  readonly from: string;
}

/**
 * `--token-file PATH` wins over `GROUPME_TOKEN`. Surrounding whitespace and the trailing
 * newline an editor adds are trimmed. Throws a CliError (exit 2) when there is none.
 */
export async function readToken(source: TokenSource): Promise<FoundToken> {
  if (source.tokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(source.tokenFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(`Cannot read the token file ${source.tokenFile}${code ? ` (${code})` : ''}.`, EXIT.usage);
    }
    const token = text.trim();
    const problem = tokenProblem(token);
    if (problem) throw new CliError(`The token file ${source.tokenFile} ${problem}.`, EXIT.usage);
    return { token, from: `--token-file ${source.tokenFile}` };
  }
  const token = source.env.GROUPME_TOKEN?.trim() ?? '';
  if (token === '') {
    throw new CliError('No access token: set GROUPME_TOKEN or pass --token-file PATH (get one at https://dev.groupme.com).', EXIT.usage);
  }
  const problem = tokenProblem(token);
  if (problem) throw new CliError(`GROUPME_TOKEN ${problem}.`, EXIT.usage);
  return { token, from: 'GROUPME_TOKEN' };
}
