import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actions } from './actions.js';
import type { RateLimiter, RestFaults } from './faults.js';
import { compareIds } from './id-order.js';
import { historyPage, type HistoryQuery } from './history.js';
import { chatJson, groupJson, restMessage, userJson } from './payloads.js';
import {
  INVALID_BODY,
  bare,
  fail,
  idOf,
  notModified,
  ok,
  positive,
  preflight,
  readJsonBody,
  record,
  send,
  text,
  type Answer,
} from './rest-http.js';
import type { UserRecord, World } from './state.js';

/** One REST request as the server saw it, so tests can prove where the token travelled. */
export interface RequestLogEntry {
  readonly method: string;
  /** The path without the query, e.g. `/v3/groups`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The token came in the URL's `token` query parameter (GroupMe accepts it, but URLs end up in logs). */
  readonly tokenInUrl: boolean;
  /** The token came in the `X-Access-Token` header. */
  readonly tokenInHeader: boolean;
  /** The HTTP status answered. */
  readonly status: number;
}

/** The writes a REST call can make: the same ones the driver methods make. */
export type RestActions = Pick<Actions, 'post' | 'sendDirectMessage' | 'react' | 'unreact'>;

interface Call {
  readonly user: UserRecord;
  readonly params: URLSearchParams;
  readonly match: readonly string[];
  readonly body: unknown;
}

interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: RegExp;
  readonly handle: (call: Call) => Answer;
}

const GROUPS_PER_PAGE = { fallback: 10, max: 500 };
const CHATS_PER_PAGE = { fallback: 20, max: 100 };
const HISTORY_LIMIT = { fallback: 20, max: 100 };

/** Where GroupMe's sources disagree or are vague: which reading the REST API plays. */
export interface RestReadings {
  /** `GET /direct_messages`: whether `after_id` is honoured or read as absent. */
  readonly dmAfterId: 'ignored' | 'honoured';
  /** `GET /direct_messages`: the most messages a page holds, whatever `limit` asks. */
  readonly dmPageSize: number;
  /** `GET /groups/:id/messages`: walking pages sometimes end short (see `historyPage`). */
  readonly historyShortPages: boolean;
  /** `GET /memberships/states`: rows a page holds; `per_page` is not read. */
  readonly membershipStatesPageSize: number;
}

/** GroupMe's v3 REST API, as far as this library and bots built on it use it. */
export class RestApi {
  readonly log: RequestLogEntry[] = [];
  readonly #world: World;
  readonly #actions: RestActions;
  readonly #faults: RestFaults;
  readonly #limiter: RateLimiter;
  readonly #routes: readonly Route[];
  readonly #readings: RestReadings;

  constructor(world: World, actions: RestActions, faults: RestFaults, limiter: RateLimiter, readings: RestReadings) {
    this.#world = world;
    this.#readings = readings;
    this.#actions = actions;
    this.#faults = faults;
    this.#limiter = limiter;
    this.#routes = [
      { method: 'GET', path: /^\/users\/me$/, handle: (c) => ok(userJson(c.user)) },
      { method: 'GET', path: /^\/groups$/, handle: (c) => this.#groups(c) },
      { method: 'GET', path: /^\/groups\/([^/]+)$/, handle: (c) => this.#group(c) },
      { method: 'GET', path: /^\/memberships\/states$/, handle: (c) => this.#membershipStates(c) },
      { method: 'GET', path: /^\/chats$/, handle: (c) => this.#chats(c) },
      { method: 'GET', path: /^\/groups\/([^/]+)\/messages$/, handle: (c) => this.#groupMessages(c) },
      { method: 'POST', path: /^\/groups\/([^/]+)\/messages$/, handle: (c) => this.#postGroupMessage(c) },
      { method: 'GET', path: /^\/direct_messages$/, handle: (c) => this.#directMessages(c) },
      { method: 'POST', path: /^\/direct_messages$/, handle: (c) => this.#postDirectMessage(c) },
      { method: 'POST', path: /^\/messages\/([^/]+)\/([^/]+)\/like$/, handle: (c) => this.#like(c, true) },
      { method: 'POST', path: /^\/messages\/([^/]+)\/([^/]+)\/unlike$/, handle: (c) => this.#like(c, false) },
    ];
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    // The browser's, not the client's: neither logged nor counted by faults and limits.
    if (method === 'OPTIONS') return send(res, preflight());
    const headerToken = text(req.headers['x-access-token']);
    const token = headerToken ?? url.searchParams.get('token') ?? undefined;
    const body = method === 'POST' ? await readJsonBody(req) : undefined;
    let answer: Answer;
    try {
      answer = this.#answer(method, url, token, body);
    } catch (error) {
      // A bug here must be loud in the test that hit it, not a hung request.
      answer = fail(500, `internal server error: ${(error as Error).message}`);
    }
    this.log.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      tokenInUrl: url.searchParams.has('token'),
      tokenInHeader: headerToken !== undefined,
      status: answer.status,
    });
    send(res, answer);
  }

  #answer(method: string, url: URL, token: string | undefined, body: unknown): Answer {
    const path = url.pathname.replace(/^\/v3/, '').replace(/\/$/, '') || '/';
    // A failing or throttling server fails before it looks at who is asking.
    const fault = this.#limiter.check(token) ?? this.#faults.take(path);
    if (fault) {
      const answer = fail(fault.status, fault.error);
      if (fault.retryAfterSeconds === undefined) return answer;
      return { ...answer, headers: { 'retry-after': String(fault.retryAfterSeconds) } };
    }
    const user = this.#world.userByToken(token);
    if (!user) return fail(401, 'unauthorized');
    if (body === INVALID_BODY) return fail(400, 'invalid JSON body');
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const match = route.path.exec(path);
      if (!match) continue;
      return route.handle({ user, params: url.searchParams, match: match.slice(1).map(decodeSegment), body });
    }
    return fail(404, 'not found');
  }

  // ---- conversations --------------------------------------------------------------

  /** Every group with a membership in ANY state: clients must filter with the states. */
  #groups({ user, params }: Call): Answer {
    const perPage = positive(params.get('per_page'), GROUPS_PER_PAGE.fallback, GROUPS_PER_PAGE.max);
    const page = positive(params.get('page'), 1, Number.MAX_SAFE_INTEGER);
    const withMembers = !(params.get('omit') ?? '').split(',').includes('memberships');
    const groups = this.#world.groupsOf(user.id).sort((a, b) => b.activity - a.activity);
    return ok(groups.slice((page - 1) * perPage, page * perPage).map((g) => groupJson(this.#world, g, withMembers)));
  }

  #group({ user, match }: Call): Answer {
    const group = this.#world.findGroup(match[0]!);
    if (!group) return fail(404, 'not found');
    if (!this.#world.isActiveMember(group, user.id)) return fail(403, 'forbidden');
    return ok(groupJson(this.#world, group, true));
  }

  /**
   * Paged as GroupMe's Android app reads it: `?page=N` (1-based; absent or invalid means
   * page 1 ONLY), a fixed page size, `per_page` not read, an empty array past the end.
   */
  #membershipStates({ user, params }: Call): Answer {
    const size = this.#readings.membershipStatesPageSize;
    const page = positive(params.get('page'), 1, Number.MAX_SAFE_INTEGER);
    const groups = this.#world.groupsOf(user.id).sort((a, b) => compareIds(a.id, b.id));
    const rows = groups.slice((page - 1) * size, page * size);
    return ok(rows.map((g) => ({ group_id: g.id, state: g.memberships.get(user.id)!.state })));
  }

  #chats({ user, params }: Call): Answer {
    const perPage = positive(params.get('per_page'), CHATS_PER_PAGE.fallback, CHATS_PER_PAGE.max);
    const page = positive(params.get('page'), 1, Number.MAX_SAFE_INTEGER);
    const chats = this.#world.chatsOf(user.id).sort((a, b) => b.activity - a.activity);
    return ok(chats.slice((page - 1) * perPage, page * perPage).map((c) => chatJson(this.#world, c, user.id)));
  }

  // ---- history --------------------------------------------------------------------

  #groupMessages({ user, params, match }: Call): Answer {
    const group = this.#world.findGroup(match[0]!);
    if (!group) return fail(404, 'not found');
    // A group you have left (exited, removed, pending...) answers a bare 404, no envelope.
    if (group.memberships.has(user.id) && !this.#world.isActiveMember(group, user.id)) return bare(404);
    if (!this.#world.isActiveMember(group, user.id)) return fail(403, 'forbidden');
    const query = historyQuery(params);
    if (typeof query === 'string') return fail(400, query);
    const page = historyPage(group.messages, query, this.#readings.historyShortPages);
    if (page.length === 0) return notModified();
    return ok({ count: group.messages.length, messages: page.map(restMessage) });
  }

  #directMessages({ user, params }: Call): Answer {
    const other = params.get('other_user_id');
    if (!other) return fail(400, 'other_user_id is required');
    if (!this.#world.hasUser(other)) return fail(404, 'not found');
    if (other === user.id) return fail(400, 'other_user_id is yourself');
    const parsed = historyQuery(params);
    if (typeof parsed === 'string') return fail(400, parsed);
    // `after_id` is undocumented for DMs: by default it is read as absent (newest first).
    const { afterId, ...rest } = parsed;
    const honoured = this.#readings.dmAfterId === 'honoured' && afterId !== undefined;
    const query: HistoryQuery = { ...rest, ...(honoured ? { afterId } : {}), limit: Math.min(parsed.limit, this.#readings.dmPageSize) };
    const messages = this.#world.findChat(user.id, other)?.messages ?? [];
    const page = historyPage(messages, query);
    if (page.length === 0) return notModified();
    return ok({ count: messages.length, direct_messages: page.map(restMessage) });
  }

  // ---- writes ---------------------------------------------------------------------

  #postGroupMessage({ user, match, body }: Call): Answer {
    const group = this.#world.findGroup(match[0]!);
    if (!group) return fail(404, 'not found');
    if (!this.#world.isActiveMember(group, user.id)) return fail(403, 'forbidden');
    const input = messageInput(record(body)?.message);
    if (typeof input === 'string') return fail(400, input);
    const message = this.#actions.post(group.id, user.id, input.text, input.options);
    return ok({ message }, 201);
  }

  #postDirectMessage({ user, body }: Call): Answer {
    const dm = record(record(body)?.direct_message);
    const recipientId = idOf(dm?.recipient_id);
    if (!recipientId) return fail(400, 'direct_message.recipient_id is required');
    if (!this.#world.hasUser(recipientId)) return fail(404, 'recipient not found');
    if (recipientId === user.id) return fail(400, 'you cannot message yourself');
    const input = messageInput(dm);
    if (typeof input === 'string') return fail(400, input);
    const message = this.#actions.sendDirectMessage(user.id, recipientId, input.text, input.options);
    return ok({ direct_message: message }, 201);
  }

  /** `POST /messages/:conversation_id/:message_id/like` (and `unlike`). */
  #like({ user, match, body }: Call, like: boolean): Answer {
    const [conversationId, messageId] = match as [string, string];
    const location = this.#world.findMessage(messageId);
    if (!location) return fail(404, 'not found');
    if (location.kind === 'group') {
      if (location.group.id !== conversationId) return fail(404, 'not found');
      if (!this.#world.isActiveMember(location.group, user.id)) return fail(403, 'forbidden');
    } else {
      const [lo, hi] = location.chat.userIds;
      if (conversationId !== `${lo}+${hi}` && conversationId !== `${hi}+${lo}`) return fail(404, 'not found');
      if (user.id !== lo && user.id !== hi) return fail(403, 'forbidden');
    }
    // The web client sends the emoji as `like_icon`; a plain like is a heart.
    const code = text(record(record(body)?.like_icon)?.code) ?? '❤️';
    if (like) this.#actions.react(user.id, messageId, code);
    else this.#actions.unreact(user.id, messageId, code);
    return ok(null);
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function historyQuery(params: URLSearchParams): HistoryQuery | string {
  const ids: Record<'beforeId' | 'afterId' | 'sinceId', string | undefined> = {
    beforeId: params.get('before_id') ?? undefined,
    afterId: params.get('after_id') ?? undefined,
    sinceId: params.get('since_id') ?? undefined,
  };
  for (const value of Object.values(ids)) if (value !== undefined && !/^\d+$/.test(value)) return `invalid message id: ${value}`;
  return { ...ids, limit: positive(params.get('limit'), HISTORY_LIMIT.fallback, HISTORY_LIMIT.max) };
}

function messageInput(value: unknown): { text: string | null; options: { sourceGuid?: string; attachments: unknown[] } } | string {
  const message = record(value);
  if (!message) return 'message is required';
  const body = text(message.text) ?? null;
  const attachments = Array.isArray(message.attachments) ? (message.attachments as unknown[]) : [];
  if ((body === null || body.trim() === '') && attachments.length === 0) return 'text or attachments are required';
  const sourceGuid = text(message.source_guid);
  return { text: body, options: { attachments, ...(sourceGuid ? { sourceGuid } : {}) } };
}
