import type { IncomingMessage, ServerResponse } from 'node:http';
import { compareIds } from '../events/channel.js';
import { groupSummaryJson } from './payloads.js';
import { queryMessages, type ChatRecord, type GroupRecord, type SimUser, type World } from './world.js';

/** One REST request as the server saw it, so tests can prove where the token travelled. */
export interface RequestLogEntry {
  readonly method: string;
  /** The path without the query, e.g. `/v3/groups`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly tokenInUrl: boolean;
  readonly tokenInHeader: boolean;
  /** The HTTP status answered. */
  readonly status: number;
}

/** A REST failure to inject: the next `times` matching requests answer `status`. */
export interface RestFault {
  readonly status: number;
  readonly times?: number;
  readonly retryAfterSeconds?: number;
  /** Only requests whose path (after `/v3`) starts with this, e.g. `/groups`. */
  readonly pathPrefix?: string;
}

/** Writes made through REST that must also be pushed, like a real post. */
export interface RestActions {
  postGroupMessage(groupId: string, user: SimUser, text: string | null, guid: string | null, attachments: unknown[]): unknown;
  postDirectMessage(user: SimUser, recipientId: string, text: string | null, guid: string | null, attachments: unknown[]): unknown;
  like(user: SimUser, messageId: string): void;
}

interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** GroupMe's v3 REST API, as far as this project and bots built on it use it. */
export class RestRoutes {
  readonly log: RequestLogEntry[] = [];
  readonly #world: World;
  readonly #actions: RestActions;
  readonly #faults: Array<{ fault: RestFault; left: number }> = [];
  readonly #rateLimitPerSecond: number;
  readonly #recent = new Map<string, number[]>();

  constructor(world: World, actions: RestActions, rateLimitPerSecond = 0) {
    this.#world = world;
    this.#actions = actions;
    this.#rateLimitPerSecond = rateLimitPerSecond;
  }

  failNext(fault: RestFault): void {
    this.#faults.push({ fault, left: fault.times ?? 1 });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);
    const headerToken = req.headers['x-access-token'];
    const token = (typeof headerToken === 'string' ? headerToken : undefined) ?? query.token;
    const body = method === 'POST' ? await readJson(req) : undefined;
    let answer: Answer;
    try {
      answer = this.#throttled(token) ?? this.#route(method, url.pathname.replace(/^\/v3/, ''), url.searchParams, token, body);
    } catch (error) {
      answer = fail(400, (error as Error).message);
    }
    this.log.push({
      method,
      path: url.pathname,
      query,
      tokenInUrl: url.searchParams.has('token'),
      tokenInHeader: typeof headerToken === 'string',
      status: answer.status,
    });
    const headers: Record<string, string> = { ...answer.headers };
    if (answer.body === undefined) {
      res.writeHead(answer.status, headers).end();
      return;
    }
    headers['content-type'] = 'application/json; charset=utf-8';
    res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
  }

  #route(method: string, path: string, params: URLSearchParams, token: string | undefined, body: unknown): Answer {
    const fault = this.#takeFault(path);
    if (fault) {
      const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      return { ...fail(fault.status, fault.status === 429 ? 'rate limited' : 'internal server error'), headers };
    }
    const user = this.#world.userByToken(token);
    if (!user) return fail(401, 'unauthorized');
    const world = this.#world;
    let match: RegExpExecArray | null;

    if (method === 'GET' && path === '/users/me') {
      return ok({ id: user.id, user_id: user.id, name: user.name, email: `${user.id}@example.com`, image_url: user.avatarUrl, avatar_url: user.avatarUrl, created_at: 1_600_000_000 });
    }
    if (method === 'GET' && path === '/groups') {
      const perPage = clamp(params.get('per_page'), 10, 500);
      const page = clamp(params.get('page'), 1, Number.MAX_SAFE_INTEGER);
      const omitMembers = (params.get('omit') ?? '').split(',').includes('memberships');
      // Every group with a membership, whatever its state: clients filter with /memberships/states.
      const groups = [...world.groups.values()]
        .filter((g) => g.memberships.has(user.id))
        .sort((a, b) => b.updatedAt - a.updatedAt || compareIds(b.id, a.id));
      return ok(groups.slice((page - 1) * perPage, page * perPage).map((g) => this.#groupJson(g, omitMembers)));
    }
    if (method === 'GET' && path === '/memberships/states') {
      return ok([...world.groups.values()].flatMap((g) => {
        const state = g.memberships.get(user.id);
        return state ? [{ group_id: g.id, state }] : [];
      }));
    }
    if (method === 'GET' && path === '/chats') {
      const perPage = clamp(params.get('per_page'), 20, 100);
      const page = clamp(params.get('page'), 1, Number.MAX_SAFE_INTEGER);
      const chats = world.chatsOf(user.id).sort((a, b) => lastCreated(b) - lastCreated(a) || compareIds(b.id, a.id));
      return ok(chats.slice((page - 1) * perPage, page * perPage).map((c) => this.#chatJson(c, user.id)));
    }
    if ((match = /^\/groups\/([^/]+)\/messages$/.exec(path))) {
      const group = world.groups.get(decodeURIComponent(match[1]!));
      if (!group) return fail(404, 'not found');
      if (!world.isActiveMember(group.id, user.id)) return fail(403, 'forbidden');
      if (method === 'POST') {
        const message = record(record(body)?.message);
        if (!message) return fail(400, 'message is required');
        const created = this.#actions.postGroupMessage(group.id, user, text(message.text), text(message.source_guid), list(message.attachments));
        return { status: 201, body: envelope(201, { message: created }) };
      }
      const messages = queryMessages(group.messages, historyQuery(params));
      if (messages.length === 0) return { status: 304 };
      return ok({ count: group.messages.length, messages });
    }
    if (path === '/direct_messages') {
      if (method === 'POST') {
        const dm = record(record(body)?.direct_message);
        const recipientId = dm && text(dm.recipient_id);
        if (!dm || !recipientId || !world.users.has(recipientId)) return fail(400, 'recipient_id is required');
        const created = this.#actions.postDirectMessage(user, recipientId, text(dm.text), text(dm.source_guid), list(dm.attachments));
        return { status: 201, body: envelope(201, { direct_message: created }) };
      }
      const other = params.get('other_user_id');
      if (!other || !world.users.has(other)) return fail(400, 'other_user_id is required');
      const chat = world.chat(user.id, other);
      const messages = queryMessages(chat.messages, historyQuery(params));
      if (messages.length === 0) return { status: 304 };
      return ok({ count: chat.messages.length, direct_messages: messages });
    }
    if (method === 'POST' && (match = /^\/messages\/([^/]+)\/([^/]+)\/like$/.exec(path))) {
      this.#actions.like(user, decodeURIComponent(match[2]!));
      return ok(null);
    }
    return fail(404, 'not found');
  }

  /** GroupMe's limiter, roughly: more than N requests within a second answer 429. */
  #throttled(token: string | undefined): Answer | undefined {
    if (this.#rateLimitPerSecond <= 0) return undefined;
    const now = Date.now();
    const key = token ?? '';
    const recent = (this.#recent.get(key) ?? []).filter((t) => now - t < 1000);
    recent.push(now);
    this.#recent.set(key, recent);
    if (recent.length <= this.#rateLimitPerSecond) return undefined;
    return { ...fail(429, 'rate limited'), headers: { 'retry-after': '1' } };
  }

  #takeFault(path: string): RestFault | undefined {
    const index = this.#faults.findIndex(({ fault }) => path.startsWith(fault.pathPrefix ?? ''));
    if (index < 0) return undefined;
    const entry = this.#faults[index]!;
    entry.left -= 1;
    if (entry.left <= 0) this.#faults.splice(index, 1);
    return entry.fault;
  }

  #groupJson(group: GroupRecord, omitMembers: boolean): Record<string, unknown> {
    const last = group.messages.at(-1);
    return {
      ...groupSummaryJson(group),
      group_id: group.id,
      image_url: null,
      creator_user_id: group.creatorId,
      messages: {
        count: group.messages.length,
        last_message_id: last?.id ?? null,
        last_message_created_at: last?.created_at ?? null,
        preview: last ? { nickname: last.name, text: last.text, image_url: null, attachments: [] } : null,
      },
      ...(omitMembers ? {} : {
        members: this.#world.activeMembers(group).map((id) => ({ user_id: id, id, nickname: this.#world.user(id).name, muted: false })),
      }),
    };
  }

  #chatJson(chat: ChatRecord, meId: string): Record<string, unknown> {
    const other = this.#world.user(chat.userIds[0] === meId ? chat.userIds[1] : chat.userIds[0]);
    const last = chat.messages.at(-1);
    return {
      created_at: chat.createdAt,
      updated_at: last?.created_at ?? chat.createdAt,
      messages_count: chat.messages.length,
      last_message: last ?? null,
      other_user: { id: other.id, name: other.name, avatar_url: other.avatarUrl },
    };
  }
}

function lastCreated(chat: ChatRecord): number {
  return chat.messages.at(-1)?.created_at ?? chat.createdAt;
}

function historyQuery(params: URLSearchParams): { after_id?: string; before_id?: string; since_id?: string; limit: number } {
  return {
    after_id: params.get('after_id') ?? undefined,
    before_id: params.get('before_id') ?? undefined,
    since_id: params.get('since_id') ?? undefined,
    limit: clamp(params.get('limit'), 20, 100),
  };
}

function clamp(value: string | null, fallback: number, max: number): number {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

function envelope(code: number, response: unknown, errors?: string[]): unknown {
  return { response, meta: errors ? { code, errors } : { code } };
}

function ok(response: unknown): Answer {
  return { status: 200, body: envelope(200, response) };
}

function fail(status: number, error: string): Answer {
  return { status, body: { response: null, meta: { code: status, errors: [error] } } };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
