import type { DirectMessage, GroupMessage } from '../events/message.js';
import { endpointProblem, tokenProblem } from '../util/validate.js';
import { parseDirectMessage, parseGroupMessage } from '../events/parse-message.js';
import { toRestChatId } from '../events/channel.js';
import { HttpClient } from './http-client.js';
import { collectPages } from './paging.js';
import { obj as readRecord } from '../util/read-json.js';
import { readArray, readChat, readGroup, readMembershipState, readUser } from './read-rest.js';
import { resolveRateLimit, type RateLimit } from './rate-limiter.js';
import { resolveRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { knownOptions, numberOption, POSITIVE_MS, urlOption } from '../options/check.js';
import type { Chat, Group, MembershipState, MessageQuery, User } from './types.js';
import { ApiError } from '../errors/api-error.js';
import { RetryBudget } from './retry-budget.js';

/** GroupMe's REST API, version 3. */
export const DEFAULT_API_URL = 'https://api.groupme.com/v3';

/** How to build a `GroupMeApi`. Only `token` is required. */
export interface GroupMeApiOptions {
  /** Your GroupMe access token. Sent only in the `X-Access-Token` header. */
  readonly token: string;
  /** Default `https://api.groupme.com/v3`. */
  readonly apiUrl?: string;
  /** Per-request timeout. Default 15 s. */
  readonly timeoutMs?: number;
  /** How rate limits and server errors are retried. */
  readonly retry?: Partial<RetryPolicy>;
  /** Client-side pacing, shared by all calls. Default 5 a second, bursts of 5. */
  readonly rateLimit?: Partial<RateLimit>;
}

/** Options every REST call takes. */
export interface CallOptions {
  /** Aborts the call (and any retry wait); the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Options of a message sent over REST. */
export interface SendOptions extends CallOptions {
  /** Your id for the message; GroupMe ignores a second post with the same one. Default: a new UUID. */
  readonly sourceGuid?: string;
  /** Attachments as GroupMe's JSON spells them, e.g. `{ type: 'image', url }`. */
  readonly attachments?: readonly unknown[];
}

/** Every key of GroupMeApiOptions; `satisfies` makes a missing or extra one a compile error. */
const OPTION_KEYS = Object.keys({ token: true, apiUrl: true, timeoutMs: true, retry: true, rateLimit: true } satisfies Record<keyof GroupMeApiOptions, true>);

const GROUPS_PER_PAGE = 100;
const CHATS_PER_PAGE = 100;

/**
 * The REST calls the push client needs, and a few a bot needs, over GroupMe's v3 API.
 * Envelopes are unwrapped, ids are strings, dates are `Date`s.
 *
 * @example
 * const api = new GroupMeApi({ token: process.env.GROUPME_TOKEN! });
 * const me = await api.me();
 * for (const group of await api.groups()) console.log(group.name);
 */
export class GroupMeApi {
  readonly #http: HttpClient;
  readonly #retries: number;
  #me: Promise<User> | undefined;

  constructor(options: GroupMeApiOptions) {
    const tokenIssue = tokenProblem(options?.token);
    if (tokenIssue) throw new TypeError(`GroupMeApi needs a GroupMe access token in options.token, and this one ${tokenIssue}.`);
    knownOptions(options, 'GroupMeApi', OPTION_KEYS);
    const apiUrl = urlOption(options.apiUrl, 'apiUrl') ?? DEFAULT_API_URL;
    const apiIssue = endpointProblem(apiUrl, 'api');
    if (apiIssue) throw new TypeError(`options.apiUrl ${apiIssue}; got "${apiUrl}".`);
    const retry = resolveRetryPolicy(options.retry, 'retry');
    this.#retries = retry.retries;
    this.#http = new HttpClient({
      token: options.token,
      apiUrl,
      timeoutMs: numberOption(options.timeoutMs, 15_000, 'timeoutMs', POSITIVE_MS),
      retry,
      rateLimit: resolveRateLimit(options.rateLimit, 'rateLimit'),
    });
  }

  /** The account behind the token. Rejects with `AuthenticationError` for a bad token. */
  me(options: CallOptions = {}): Promise<User> {
    return this.#fetchMe(options, this.#budget());
  }

  /** Every group you are in, across all pages. Filter with `membershipStates()` for active ones. */
  groups(options: CallOptions = {}): Promise<Group[]> {
    const budget = this.#budget();
    return collectPages(async (page) => {
      const { response } = await this.#http.request('GET', '/groups', {
        query: { page, per_page: GROUPS_PER_PAGE, omit: 'memberships' },
        signal: options.signal,
        budget,
      });
      return readArray(response, readGroup);
    }, (group) => group.id);
  }

  /**
   * Your membership state in every group you have ever joined (`active`, `exited`, ...),
   * across all pages: GroupMe's own apps read it with `?page=N`.
   */
  membershipStates(options: CallOptions = {}): Promise<MembershipState[]> {
    const budget = this.#budget();
    return collectPages(async (page) => {
      const { response } = await this.#http.request('GET', '/memberships/states', { query: { page }, signal: options.signal, budget });
      return readArray(response, readMembershipState);
    }, (row) => row.groupId);
  }

  /** Every DM thread, across all pages. Needs your user id to name threads, so it calls `me()` once. */
  async chats(options: CallOptions = {}): Promise<Chat[]> {
    const budget = this.#budget();
    const me = await this.#cachedMe(options, budget);
    return collectPages(async (page) => {
      const { response } = await this.#http.request('GET', '/chats', {
        query: { page, per_page: CHATS_PER_PAGE },
        signal: options.signal,
        budget,
      });
      return readArray(response, (row) => readChat(row, me.id));
    }, (chat) => chat.chatId);
  }

  /** One page of a group's messages. No messages (HTTP 304) gives `[]`. */
  async groupMessages(groupId: string, query: MessageQuery = {}, options: CallOptions = {}): Promise<GroupMessage[]> {
    return readArray(await this.groupMessagesRaw(groupId, query, options), parseGroupMessage);
  }

  /** `groupMessages`, as GroupMe sent them (snake_case JSON rows), for archivers and catch-up. */
  async groupMessagesRaw(groupId: string, query: MessageQuery = {}, options: CallOptions = {}): Promise<unknown[]> {
    const path = `/groups/${encodeURIComponent(groupId)}/messages`;
    const { response } = await this.#http.request('GET', path, { query: messageQuery(query), signal: options.signal });
    return rows(readRecord(response)?.messages);
  }

  /**
   * One page of a DM thread's messages. `chatId` is the thread (`a+b` or `a_b`) or the
   * other user's id.
   */
  async directMessages(chatId: string, query: MessageQuery = {}, options: CallOptions = {}): Promise<DirectMessage[]> {
    return readArray(await this.directMessagesRaw(chatId, query, options), parseDirectMessage);
  }

  /** `directMessages`, as GroupMe sent them. */
  async directMessagesRaw(chatId: string, query: MessageQuery = {}, options: CallOptions = {}): Promise<unknown[]> {
    const budget = this.#budget();
    const otherUserId = await this.#otherUser(chatId, options, budget);
    const { response } = await this.#http.request('GET', '/direct_messages', {
      query: { other_user_id: otherUserId, ...messageQuery(query) },
      signal: options.signal,
      budget,
    });
    return rows(readRecord(response)?.direct_messages);
  }

  /**
   * Posts to a group. `sourceGuid` makes a retry safe: GroupMe drops a second message with
   * the same one. Resolves with the created message.
   *
   * @example
   * client.on('line.create', async (e) => {
   *   if (e.message.text === '!ping') await client.api.sendGroupMessage(e.message.groupId, 'pong');
   * });
   */
  async sendGroupMessage(groupId: string, text: string, options: SendOptions = {}): Promise<GroupMessage> {
    const path = `/groups/${encodeURIComponent(groupId)}/messages`;
    const { response } = await this.#http.request('POST', path, {
      body: { message: { source_guid: options.sourceGuid ?? newGuid(), text, attachments: options.attachments ?? [] } },
      signal: options.signal,
    });
    const message = parseGroupMessage(readRecord(response)?.message);
    if (!message) throw unexpected('POST', path);
    return message;
  }

  /** Sends a direct message to a user. Resolves with the created message. */
  async sendDirectMessage(recipientId: string, text: string, options: SendOptions = {}): Promise<DirectMessage> {
    const { response } = await this.#http.request('POST', '/direct_messages', {
      body: {
        direct_message: { source_guid: options.sourceGuid ?? newGuid(), recipient_id: recipientId, text, attachments: options.attachments ?? [] },
      },
      signal: options.signal,
    });
    const message = parseDirectMessage(readRecord(response)?.direct_message);
    if (!message) throw unexpected('POST', '/direct_messages');
    return message;
  }

  /** Likes a message; `conversationId` is its group id or DM thread (`a+b`). */
  async likeMessage(conversationId: string, messageId: string, options: CallOptions = {}): Promise<void> {
    const path = `/messages/${encodeURIComponent(toRestChatId(conversationId))}/${encodeURIComponent(messageId)}/like`;
    await this.#http.request('POST', path, { signal: options.signal });
  }

  /**
   * One listing is one call: its pages share the retries, or a flaky server could cost
   * `retries` more requests per page. The `/users/me` lookup inside `chats()` and
   * `directMessages()` is part of its call too and spends the same budget. (The `/users/me`
   * check that settles a 401 is the one exception: see `HttpClient`.)
   */
  #budget(): RetryBudget {
    return new RetryBudget(this.#retries);
  }

  async #fetchMe(options: CallOptions, budget: RetryBudget): Promise<User> {
    const { response } = await this.#http.request('GET', '/users/me', { signal: options.signal, budget });
    const user = readUser(response);
    if (!user) throw unexpected('GET', '/users/me');
    this.#me = Promise.resolve(user);
    return user;
  }

  /**
   * The user, looked up on `budget` (the calling call's) unless it is known. A lookup
   * already under way for another call is shared: it spends that call's budget, not this one's.
   */
  #cachedMe(options: CallOptions, budget: RetryBudget): Promise<User> {
    // Cached only once it succeeds, so a transient failure is not remembered.
    const pending = (this.#me ??= this.#fetchMe(options, budget));
    pending.catch(() => {
      if (this.#me === pending) this.#me = undefined;
    });
    return pending;
  }

  async #otherUser(chatId: string, options: CallOptions, budget: RetryBudget): Promise<string> {
    const parts = toRestChatId(chatId).split('+');
    if (parts.length !== 2) return chatId;
    const me = await this.#cachedMe(options, budget);
    const other = parts.find((part) => part !== me.id);
    return other ?? me.id;
  }
}

function messageQuery(query: MessageQuery): Record<string, string | number | undefined> {
  return {
    after_id: query.afterId,
    before_id: query.beforeId,
    since_id: query.sinceId,
    limit: query.limit,
  };
}

function newGuid(): string {
  return globalThis.crypto.randomUUID();
}

function rows(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function unexpected(method: string, path: string): ApiError {
  return new ApiError(200, method, path, [], `GroupMe answered ${method} ${path} with a body this client cannot read.`);
}
