// Option checks shared by PushClient and GroupMeApi: a bad value fails at construction,
// with a TypeError naming the option's path, the value and what is allowed, instead of a
// client that spins, hangs or fails far from the cause.

/**
 * The longest delay a timer can hold: Node and browsers turn a longer one into 1 ms, so
 * a "very long" delay would instead fire at once, again and again.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** What a numeric option allows: a finite number in a range, maybe whole only, and its wording. */
export interface NumberRule {
  readonly min: number;
  /** True when `min` itself is not allowed. */
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly integer?: boolean;
  /** Completes "must be ...". */
  readonly allowed: string;
}

export const POSITIVE: NumberRule = { min: 0, minExclusive: true, allowed: 'a positive number' };
export const POSITIVE_MS: NumberRule = { min: 0, minExclusive: true, max: MAX_TIMER_MS, allowed: `a positive number of milliseconds, at most ${MAX_TIMER_MS}` };
export const NON_NEGATIVE_MS: NumberRule = { min: 0, max: MAX_TIMER_MS, allowed: `a number of milliseconds from 0 to ${MAX_TIMER_MS}` };
export const WHOLE_NON_NEGATIVE: NumberRule = { min: 0, integer: true, allowed: 'a whole number, 0 or more' };
export const WHOLE_POSITIVE: NumberRule = { min: 1, integer: true, allowed: 'a whole number, 1 or more' };
export const AT_LEAST_ONE: NumberRule = { min: 1, allowed: 'a number, 1 or more' };

/** `value` when it follows `rule`, `fallback` when it is undefined; otherwise a TypeError. */
export function numberOption(value: unknown, fallback: number, path: string, rule: NumberRule): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.minExclusive ? value > rule.min : value >= rule.min) &&
    (rule.max === undefined || value <= rule.max) &&
    (!rule.integer || Number.isInteger(value));
  if (!ok) throw new TypeError(`Option ${path} must be ${rule.allowed}; got ${shown(value)}.`);
  return value;
}

/**
 * A nested options object (`restRetry`, `liveness`, ...), or an empty one when it is
 * undefined. A key it does not know is refused: a misspelt `restRetry.attempts` would
 * otherwise be ignored, leaving the default in force without a word.
 */
export function nestedOption<K extends string>(value: unknown, path: string, keys: readonly K[]): Partial<Record<K, unknown>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Option ${path} must be an object; got ${shown(value)}.`);
  }
  for (const key of Object.keys(value)) {
    if (!(keys as readonly string[]).includes(key)) {
      throw new TypeError(`Option ${path}.${key} is not an option; ${path} takes ${list(keys)}.`);
    }
  }
  return value as Partial<Record<K, unknown>>;
}

/**
 * Refuses a key of a constructor's options (`owner` is `PushClient` or `GroupMeApi`) that
 * is not one of `keys`: a misspelt `subscribeALL` would otherwise be ignored, leaving the
 * default in force without a word. The message lists the keys there are.
 */
export function knownOptions(options: object, owner: string, keys: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) throw new TypeError(`Option ${key} is not an option; ${owner} takes ${list(keys)}.`);
  }
}

/** `value` when it is a boolean, `fallback` when it is undefined; otherwise a TypeError (`'false'` is truthy). */
export function booleanOption(value: unknown, fallback: boolean, path: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`Option ${path} must be true or false; got ${shown(value)}.`);
  return value;
}

/**
 * An endpoint given as anything but a string (a `URL` object, a number) would pass a URL
 * check by its string form and then fail far from the cause: refused here.
 */
export function urlOption(value: unknown, path: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new TypeError(`Option ${path} must be a string holding an absolute URL; got ${shown(value)}.`);
}

/**
 * `value` when it is an object whose `methods` are functions and whose `optionalMethods`
 * are functions or undefined; undefined when it is undefined; otherwise a TypeError that
 * says which member is wrong. `allowed` completes "must be ...".
 */
export function methodsOption<T>(value: unknown, path: string, methods: readonly string[], optionalMethods: readonly string[], allowed: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Option ${path} must be ${allowed}; got ${shown(value)}.`);
  }
  const members = value as Record<string, unknown>;
  for (const name of [...methods, ...optionalMethods]) {
    const member = members[name];
    if (typeof member === 'function' || (member === undefined && optionalMethods.includes(name))) continue;
    throw new TypeError(`Option ${path} must be ${allowed}; got an object whose ${name} is ${shown(member)}.`);
  }
  return value as T;
}

/** Capped exponential backoff delays. */
export interface DelayRange {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * `baseDelayMs` and `maxDelayMs` of a backoff, each following `rule`, the cap no lower than
 * the base (a cap below it would silently overrule it). A clash with a default says so.
 */
export function delayRange(given: { baseDelayMs?: unknown; maxDelayMs?: unknown }, path: string, defaults: DelayRange, rule: NumberRule): DelayRange {
  const baseDelayMs = numberOption(given.baseDelayMs, defaults.baseDelayMs, `${path}.baseDelayMs`, rule);
  const maxDelayMs = numberOption(given.maxDelayMs, defaults.maxDelayMs, `${path}.maxDelayMs`, rule);
  if (maxDelayMs < baseDelayMs) {
    const got = (name: keyof DelayRange, value: number): string => `${path}.${name} ${value}${given[name] === undefined ? ' (the default)' : ''}`;
    throw new TypeError(
      `Option ${path}.maxDelayMs must be at least ${path}.baseDelayMs; got ${got('maxDelayMs', maxDelayMs)} and ${got('baseDelayMs', baseDelayMs)}.`,
    );
  }
  return { baseDelayMs, maxDelayMs };
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

function list(keys: readonly string[]): string {
  return keys.length > 1 ? `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)}` : (keys[0] ?? 'nothing');
}
