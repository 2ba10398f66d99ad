// The checks every way in shares (PushClient's options, the command line), so a token or an
// endpoint is accepted or refused the same way whichever door it came through. Each returns
// why the value cannot be used, as the end of a sentence, or null when it can; the caller
// words the error its own way. A reason never repeats the token.

/**
 * The token travels in an HTTP header and a Bayeux `ext`: it must hold something, and
 * nothing a header cannot carry (a token file with a second line would otherwise fail far
 * from its cause, as an invalid header). Surrounding whitespace is the caller's to trim.
 */
export function tokenProblem(token: unknown): string | null {
  if (typeof token !== 'string' || token.trim() === '') return 'is empty';
  if (/[\s\u0000-\u001f\u007f]/.test(token.trim())) return 'holds a space, a line break or another control character';
  return null;
}

/** The push endpoint speaks Bayeux over HTTP or WebSocket; the REST API only HTTP. */
const PROTOCOLS = { push: ['http:', 'https:', 'ws:', 'wss:'], api: ['http:', 'https:'] } as const;

/** Why `url` cannot be the push or REST endpoint (faye needs an absolute URL), or null. */
export function endpointProblem(url: string, endpoint: keyof typeof PROTOCOLS): string | null {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return 'must be an absolute URL such as https://example.com/path';
  }
  const allowed: readonly string[] = PROTOCOLS[endpoint];
  return allowed.includes(protocol) ? null : `must be an ${endpoint === 'push' ? 'http(s) or ws(s)' : 'http(s)'} URL`;
}
