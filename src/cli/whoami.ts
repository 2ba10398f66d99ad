import { GroupMeApi } from '../rest/groupme-api.js';
import { EXIT } from './cli-error.js';
import { endpoints, toCliError, type ConnectionFlags } from './connection.js';
import type { CliIo } from './output.js';
import { readToken } from './token.js';

export interface WhoamiFlags extends ConnectionFlags {
  readonly json?: boolean;
}

/** `groupme-push whoami`: the account behind the token, as `name (id)` or JSON. */
export async function whoami(flags: WhoamiFlags, io: CliIo): Promise<number> {
  const { token } = await readToken({ tokenFile: flags.tokenFile, env: io.env });
  const { apiUrl } = endpoints(flags, io.env);
  const api = new GroupMeApi({ token, ...(apiUrl ? { apiUrl } : {}) });
  try {
    const me = await api.me();
    io.stdout.write(flags.json ? `${JSON.stringify({ id: me.id, name: me.name })}\n` : `${me.name} (${me.id})\n`);
    return EXIT.ok;
  } catch (error) {
    throw toCliError(error);
  }
}
