import { isNewMessage } from '../events/new-message.js';
import type { PushEvent } from '../events/types.js';
import { WATERMARK_KEY } from '../recovery/cursor-store.js';
import type { CursorBook } from './cursor-book.js';

/**
 * How far before the watermark a conversation with no cursor is read back: `created_at` has
 * one-second steps, and live messages of different conversations may arrive out of order.
 */
const MARGIN_SECONDS = 120;

/**
 * The newest `created_at` delivered while every conversation was in sync, stored in the
 * cursor store. A conversation with no cursor (it started, or you joined it, or it got its
 * first message, while the client was away) is read back to it, so its messages are
 * delivered rather than taken as history.
 */
export class Watermark {
  readonly #book: CursorBook;
  /** Unix seconds; undefined until the first catch-up has read the store. */
  #seconds: number | undefined;
  #loaded = false;

  constructor(book: CursorBook) {
    this.#book = book;
  }

  /** A message went out while every conversation was in sync: the watermark follows it. */
  note(event: PushEvent): void {
    if (!this.#loaded || !isNewMessage(event)) return;
    const at = event.message.createdAt?.getTime();
    if (at === undefined) return;
    const seconds = Math.floor(at / 1000);
    if (this.#seconds === undefined || seconds > this.#seconds) this.#seconds = seconds;
  }

  /** Writes the watermark to the store (at the end of a catch-up, and by `stop()`). */
  save(): Promise<void> | undefined {
    return this.#seconds === undefined ? undefined : this.#book.advance(WATERMARK_KEY, String(this.#seconds));
  }

  /** The watermark minus its margin; undefined on a first start, which begins the watermark now. */
  async since(): Promise<number | undefined> {
    if (!this.#loaded) {
      const stored = Number(await this.#book.get(WATERMARK_KEY));
      this.#loaded = true;
      if (Number.isFinite(stored) && stored > 0) this.#seconds = Math.max(this.#seconds ?? 0, stored);
      else {
        // A first start: history is not replayed, and whatever starts from now on is new.
        this.#seconds = Math.floor(Date.now() / 1000);
        return undefined;
      }
    }
    return this.#seconds === undefined ? undefined : this.#seconds - MARGIN_SECONDS;
  }
}
