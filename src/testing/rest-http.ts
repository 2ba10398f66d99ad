import type { IncomingMessage, ServerResponse } from 'node:http';

// The envelope and wire details of GroupMe's REST API, apart from what each route does.

/** What a route answers; `body` undefined means an empty body (a 304). */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** `{response, meta: {code}}`. */
export function ok(response: unknown, status = 200): Answer {
  return { status, body: { response, meta: { code: status } } };
}

/** `{response: null, meta: {code, errors}}`. */
export function fail(status: number, ...errors: string[]): Answer {
  return { status, body: { response: null, meta: { code: status, errors } } };
}

/** GroupMe answers a history request with nothing to return by a 304 and no body. */
export function notModified(): Answer {
  return bare(304);
}

/** A status with no body at all, no envelope either (a 304, a left group's 404). */
export function bare(status: number): Answer {
  return { status };
}

/** The parsed JSON body; `undefined` when empty, `INVALID_BODY` when it is not JSON. */
export const INVALID_BODY = Symbol('invalid body');

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_BODY;
  }
}

// GroupMe's web client calls the API from another origin, so the API answers CORS, and
// so does this server: a page on any localhost port can use it. Retry-After is exposed,
// or a browser would hide it from the client's 429 handling.
const CORS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Retry-After',
};

/** The answer to a browser's CORS preflight: any origin, our methods and headers. */
export function preflight(): Answer {
  return {
    status: 204,
    headers: {
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'X-Access-Token, Content-Type, Accept',
      'access-control-max-age': '600',
    },
  };
}

export function send(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = { ...CORS, ...answer.headers };
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers).end();
    return;
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
}

// Total readers for request input: anything unexpected reads as absent.

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An id given as a string or a number. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return undefined;
}

/** A positive integer parameter, `fallback` when absent or invalid, at most `max`. */
export function positive(value: string | null, fallback: number, max: number): number {
  if (value === null || !/^\d+$/.test(value)) return fallback;
  const n = Number(value);
  return n > 0 ? Math.min(n, max) : fallback;
}
