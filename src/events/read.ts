// Tiny total readers over untrusted JSON: each returns a typed value or null, never throws
// on a wrong type. (A getter that throws is caught once, at the top of the parser.)

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Ids arrive as strings or numbers (numbers above 2^53 are already imprecise): always strings. */
export function id(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function ids(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) {
    const v = id(item);
    if (v !== null) out.push(v);
  }
  return out;
}

const MAX_DATE_MS = 8.64e15;

function dateFromMs(ms: number): Date | null {
  return Math.abs(ms) <= MAX_DATE_MS ? new Date(ms) : null;
}

/** GroupMe's `created_at` and friends: Unix seconds. */
export function seconds(value: unknown): Date | null {
  return typeof value === 'number' && Number.isFinite(value) ? dateFromMs(value * 1000) : null;
}

/** `received_at` and `started`: Unix milliseconds. */
export function millis(value: unknown): Date | null {
  return typeof value === 'number' && Number.isFinite(value) ? dateFromMs(value) : null;
}

/** `deleted_at` is an ISO-8601 string in `message.deleted`, and seconds elsewhere. */
export function isoOrSeconds(value: unknown): Date | null {
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  return seconds(value);
}
