import { CursorStoreError } from '../errors/cursor-store-error.js';

/**
 * The cursors in `path`: none when it does not exist yet, otherwise its JSON object of
 * message ids. Anything else rejects with `CursorStoreError`, a corrupt file included.
 */
export async function readCursorFile(path: string): Promise<Map<string, string>> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new CursorStoreError(path, 'read', `${describeFsError(error)}.`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, `it is not valid JSON (${(error as Error).message})`, error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw corrupt(path, `it holds ${Array.isArray(parsed) ? 'an array' : String(parsed)} instead of an object of message ids`);
  }
  const cursors = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw corrupt(path, `its "${key}" is ${value === null ? 'null' : `a ${typeof value}`}, not a message id string`);
    cursors.set(key, value);
  }
  return cursors;
}

function corrupt(path: string, why: string, cause?: unknown): CursorStoreError {
  return new CursorStoreError(path, 'read', `${why}. It is left as it is: fix or delete it, and the next write saves the cursors set meanwhile.`, {
    corrupt: true,
    cause,
  });
}

/** "not a directory (ENOTDIR)" from Node's "ENOTDIR: not a directory, open '/x/y'". */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string') return message;
  const what = /^[A-Z0-9_]+: ([^,]+)/.exec(message)?.[1];
  return what ? `${what} (${code})` : code;
}
