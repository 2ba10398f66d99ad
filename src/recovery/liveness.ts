/**
 * Declares a connection dead when nothing has arrived for `timeoutMs`, even if the socket
 * looks open (GroupMe streams are known to go silent without a close). It also notices a
 * machine that slept: a check that fires far later than scheduled means the process was
 * frozen and the server has long since dropped us.
 */
export class LivenessWatch {
  readonly #timeoutMs: number;
  readonly #onDead: (reason: string) => void;
  readonly #checkEveryMs: number;
  readonly #now: () => number;
  #lastActivity = 0;
  #lastCheck = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(timeoutMs: number, onDead: (reason: string) => void, now: () => number = Date.now) {
    this.#timeoutMs = timeoutMs;
    this.#onDead = onDead;
    this.#now = now;
    this.#checkEveryMs = Math.max(10, Math.floor(timeoutMs / 4));
  }

  start(): void {
    this.stop();
    this.#lastActivity = this.#lastCheck = this.#now();
    this.#timer = setInterval(() => this.#check(), this.#checkEveryMs);
  }

  /** Proof of life: any inbound frame. Cheap, since it runs on every message. */
  touch(): void {
    this.#lastActivity = this.#now();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    const now = this.#now();
    const late = now - this.#lastCheck;
    this.#lastCheck = now;
    let reason: string | undefined;
    if (late > this.#timeoutMs) reason = `the process was suspended for ${late} ms`;
    else if (now - this.#lastActivity > this.#timeoutMs) reason = `nothing arrived for ${now - this.#lastActivity} ms`;
    if (reason === undefined) return;
    this.stop();
    this.#onDead(reason);
  }
}
