import { userChannel, type PushChannel } from '../events/channel.js';
import { parsePushMessage } from '../events/parse.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import type { GroupMePushError } from '../errors/groupme-push-error.js';
import { Backoff } from '../recovery/backoff.js';
import { cursorKeyOf, fetchMissed } from '../recovery/catch-up.js';
import { listConversations, type Conversation } from '../rest/conversations.js';
import type { GroupMeApi } from '../rest/groupme-api.js';
import { asPushError } from './as-push-error.js';
import type { CursorBook } from './cursor-book.js';
import type { Delivery } from './delivery.js';
import type { Watermark } from './watermark.js';

/** A conversation whose history could not be read during a catch-up. */
export interface CatchUpFailure {
  readonly kind: 'group' | 'direct_message';
  /** The group id, or the DM thread as REST spells it (`lo+hi`). */
  readonly id: string;
  /** Why: an `ApiError` (404 for a group you left, 401 for one conversation...), a `NetworkError`... */
  readonly error: GroupMePushError;
}

/** What a catch-up after a (re)connect did. */
export interface CatchUpReport {
  /** Messages handed to delivery with `origin: 'catch-up'` (duplicates of live ones not counted). */
  readonly delivered: number;
  /**
   * Listing the conversations failed, so nothing could be caught up; it is retried after a
   * backoff delay, from the cursors. Null when the listing worked.
   */
  readonly error: GroupMePushError | null;
  /**
   * Conversations whose history read failed. Each keeps its cursor, and its live events
   * stay held, until a retry after a backoff delay succeeds; the others were caught up
   * regardless.
   */
  readonly failures: readonly CatchUpFailure[];
}

export interface CatchUpHooks {
  userId(): string;
  /** Whether the client is still connected; a retry is scheduled only then. */
  connected(): boolean;
  /** Every conversation a listing found: with `subscribeAll`, new ones get subscribed. */
  listed(conversations: readonly Conversation[]): void;
  report(report: CatchUpReport): void;
  error(error: GroupMePushError): void;
  refused(error: AuthenticationError): void;
}

/**
 * Fetches over REST what was published while no connection listened, one conversation at
 * a time, into the delivery pipeline with `origin: 'catch-up'`, releasing each
 * conversation's held live events once its gap is filled. A conversation whose history
 * read fails stays held, keeps its cursor and is retried on its own backoff schedule (a
 * flaky REST API is not a flaky socket), while the others go on. A conversation with no
 * cursor is read back to the watermark.
 */
export class CatchUpRunner {
  readonly #api: GroupMeApi;
  readonly #delivery: Delivery;
  readonly #book: CursorBook;
  readonly #watermark: Watermark;
  readonly #hooks: CatchUpHooks;
  readonly #backoff: Backoff;
  #abort: AbortController | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: GroupMeApi, delivery: Delivery, book: CursorBook, watermark: Watermark, backoff: Backoff, hooks: CatchUpHooks) {
    this.#api = api;
    this.#delivery = delivery;
    this.#book = book;
    this.#watermark = watermark;
    this.#backoff = backoff;
    this.#hooks = hooks;
  }

  /** Stops a running round and a scheduled retry; the round's events stay held for the next one. */
  cancel(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  /** One round over every conversation (`listing` when the caller has just read it). */
  async run(listing?: readonly Conversation[]): Promise<void> {
    this.cancel();
    const controller = new AbortController();
    this.#abort = controller;
    const { signal } = controller;
    let delivered = 0;
    let failure: GroupMePushError | null = null;
    const failures: CatchUpFailure[] = [];
    const channel: PushChannel = userChannel(this.#hooks.userId());
    try {
      const since = await this.#watermark.since();
      const conversations = listing ?? (await listConversations(this.#api, { signal }));
      if (signal.aborted) return;
      this.#hooks.listed(conversations);
      for (const conversation of conversations) {
        const key = cursorKeyOf(conversation);
        const mark = this.#delivery.gapMark(key);
        try {
          for await (const missed of fetchMissed(this.#api, conversation, this.#book.access, { signal, since })) {
            if (signal.aborted) return;
            if (!this.#delivery.hasSeen(missed.id)) delivered++;
            const room = this.#delivery.pushCaughtUp(parsePushMessage(channel, missed.payload, 'catch-up'));
            if (room) await room;
          }
          if (signal.aborted) return;
          this.#delivery.release(key, mark);
        } catch (error) {
          if (signal.aborted || error instanceof AuthenticationError) throw error;
          this.#delivery.markGap(key);
          const reason = asPushError(error, 'CATCH_UP_FAILED', `Catching up ${conversation.kind === 'group' ? 'group' : 'DM thread'} ${conversation.id} failed; it will be retried.`);
          failures.push({ kind: conversation.kind, id: conversation.id, error: reason });
          this.#hooks.error(reason);
        }
      }
      this.#delivery.releaseAll();
      if (failures.length === 0) void this.#watermark.save();
    } catch (error) {
      // A newer connection runs its own round, which the held events now wait for.
      if (signal.aborted) return;
      if (error instanceof AuthenticationError) return this.#hooks.refused(error);
      // Nothing was caught up: every conversation stays held until a retry succeeds.
      failure = asPushError(error, 'CATCH_UP_FAILED', 'Catching up over REST failed; it will be retried.');
      this.#hooks.error(failure);
    } finally {
      if (this.#abort === controller) this.#abort = undefined;
    }
    this.#hooks.report({ delivered, error: failure, failures });
    if (!failure && failures.length === 0) this.#backoff.reset();
    // A gap left open (a failed read, or a queue that overflowed during the round) gets another round.
    if (!this.#delivery.inSync) this.retryLater();
  }

  /** Schedules a round after the next backoff delay (a failed round, or a queue that overflowed). */
  retryLater(): void {
    if (this.#retryTimer !== undefined || this.#abort !== undefined || !this.#hooks.connected()) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#hooks.connected()) void this.run();
    }, this.#backoff.next());
  }
}
