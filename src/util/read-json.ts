// Tiny total readers over GroupMe's untrusted JSON (push payloads, REST rows): each returns
// a typed value or null, never throws on a wrong type. (A getter that throws is caught once,
// at the top of the push parser.) They run for every field of every event, so each is a
// typeof or two, never a regex or a copy.

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** For URLs and coordinates, where GroupMe sends `""` to mean "none" (`avatar_url: ""`, `lat: ""`). */
export function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Ids arrive as strings or numbers: always strings here. A number beyond 2^53 is already
 * imprecise when JSON.parse hands it over; it is kept as the number it became. `""` is no
 * id (GroupMe sends `pinned_by: ""` for "not pinned").
 */
export function id(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    // String(1e21) is "1e+21": an id must stay a run of digits.
    return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
  }
  return null;
}

/** Coordinates come as strings or numbers: kept as strings, to lose no precision; `""` is none. */
export function coordinate(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : nonEmpty(value);
}

export function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * The one empty list every reader hands out: most messages have no attachments, no
 * favorites and no reactions, and three fresh arrays per event are garbage the collector
 * must sweep. Frozen, since it is shared; the types already say `readonly`.
 */
export const NONE: readonly never[] = Object.freeze([]);

/** Reads each item of an array, dropping those `read` rejects; anything but an array is none. */
export function list<T>(value: unknown, read: (item: unknown) => T | null | undefined): readonly T[] {
  if (!Array.isArray(value) || value.length === 0) return NONE;
  const out: T[] = [];
  for (const item of value) {
    const v = read(item);
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

export function ids(value: unknown): readonly string[] {
  return list(value, id);
}

// The range a Date can hold; beyond it `new Date` gives an Invalid Date, which is no date.
const MAX_DATE_MS = 8.64e15;

function dateFromMs(ms: number): Date | null {
  return ms >= -MAX_DATE_MS && ms <= MAX_DATE_MS ? new Date(ms) : null;
}

/** GroupMe's `created_at`, `updated_at`, `pinned_at`, `read_at`: Unix seconds. */
export function seconds(value: unknown): Date | null {
  return typeof value === 'number' && Number.isFinite(value) ? dateFromMs(value * 1000) : null;
}

/** `received_at` and `started`: Unix milliseconds. */
export function millis(value: unknown): Date | null {
  return typeof value === 'number' && Number.isFinite(value) ? dateFromMs(value) : null;
}

// Date.parse is lenient past usefulness ("1" is 2001-01-01), so only strings shaped like
// an ISO-8601 date are given to it.
const ISO_DATE = /^[+-]?\d{4,6}-\d\d-\d\d/;

/** `deleted_at`: an ISO-8601 string in `message.deleted`, Unix seconds elsewhere. */
export function isoOrSeconds(value: unknown): Date | null {
  if (typeof value !== 'string') return seconds(value);
  if (!ISO_DATE.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}
