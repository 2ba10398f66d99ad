import type { PushEvent } from '../events/types.js';

/** Where a command writes: the process's streams in production, arrays in tests. */
export interface Writer {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** What every command may touch of the outside world. */
export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly env: NodeJS.ProcessEnv;
}

/** ANSI styles, or identity functions when colour is off. */
export interface Style {
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
}

const plain = (text: string): string => text;
export const PLAIN: Style = { dim: plain, bold: plain, cyan: plain, yellow: plain, red: plain, green: plain };

const ansi = (open: number, close: number) => (text: string): string => `\u001b[${open}m${text}\u001b[${close}m`;
export const ANSI: Style = {
  dim: ansi(2, 22),
  bold: ansi(1, 22),
  cyan: ansi(36, 39),
  yellow: ansi(33, 39),
  red: ansi(31, 39),
  green: ansi(32, 39),
};

/** Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org). */
export function useColor(stream: Writer, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

export function styleFor(stream: Writer, env: NodeJS.ProcessEnv): Style {
  return useColor(stream, env) ? ANSI : PLAIN;
}

/**
 * One event as a JSON line (NDJSON): the typed event without `raw` unless asked for.
 * Dates become ISO strings through `Date.prototype.toJSON`.
 */
export function eventJson(event: PushEvent, withRaw: boolean): string {
  if (withRaw) return JSON.stringify(event);
  const { raw: _raw, ...rest } = event;
  return JSON.stringify(rest);
}

/**
 * Writes diagnostic lines to stderr, prefixed, with the token scrubbed out of anything
 * that might carry it (belt and braces: the library's messages never contain it).
 */
export class Diagnostics {
  readonly #stderr: Writer;
  readonly #secrets: string[] = [];

  constructor(stderr: Writer) {
    this.#stderr = stderr;
  }

  /** Never print this string. */
  hide(secret: string): void {
    if (secret.length >= 4) this.#secrets.push(secret);
  }

  line(text: string): void {
    this.#stderr.write(`groupme-push: ${this.scrub(text)}\n`);
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('[token]');
    return out;
  }
}

/** An error as one sentence, never a stack trace. */
export function sentence(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const trimmed = message.trim().split('\n')[0] ?? 'Unknown error.';
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
