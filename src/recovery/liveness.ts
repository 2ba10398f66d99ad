import type { ProbeOutcome } from '../transport/faye-transport.js';

/**
 * A probe's outcome, or `unanswered` once `timeoutMs` passed first (a rejected probe counts
 * as unanswered too). The timer is cleared either way.
 */
export async function probeWithin(probe: () => Promise<ProbeOutcome>, timeoutMs: number): Promise<ProbeOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unanswered = new Promise<ProbeOutcome>((resolve) => {
    timer = setTimeout(() => resolve('unanswered'), timeoutMs);
  });
  try {
    return await Promise.race([probe().catch((): ProbeOutcome => 'unanswered'), unanswered]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why the watch gave up on a connection. */
export type LivenessVerdict =
  /** The probe went unanswered: the socket is dead, however open it looks. */
  | { readonly kind: 'silent'; readonly detail: string }
  /** The probe was refused: the session (or the token) is gone. */
  | { readonly kind: 'refused'; readonly detail: string }
  /** A check ran far later than scheduled: the machine slept, the server dropped us long ago. */
  | { readonly kind: 'suspended'; readonly detail: string };

export interface LivenessTimings {
  /** Quiet this long (no frame at all) and the watch asks. */
  readonly quietMs: number;
  /** An unanswered question after this long means a dead socket. */
  readonly probeTimeoutMs: number;
}

/**
 * Quiet is not death: GroupMe may send nothing down a healthy idle connection for ten
 * minutes (it advises a 600 s connect timeout and may never ping). So after `quietMs`
 * with no frame, the watch asks the server something it always answers and judges by the
 * answer. Any frame (a message, a ping, a meta reply) counts as life and resets the quiet.
 * A dead socket is therefore found within `quietMs + probeTimeoutMs` plus one check step,
 * and a healthy quiet one costs one small round trip per `quietMs`.
 */
export class LivenessWatch {
  readonly #timings: LivenessTimings;
  readonly #probe: () => Promise<ProbeOutcome>;
  readonly #onDead: (verdict: LivenessVerdict) => void;
  readonly #now: () => number;
  readonly #framesArrived: () => boolean;
  readonly #checkEveryMs: number;
  #lastActivity = 0;
  /** `touch()` was called since the last check, which dates it: a touch reads no clock. */
  #active = false;
  #lastCheck = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Bumped by start() and stop(), so a probe answered for an older run is ignored. */
  #run = 0;
  #probing = false;

  constructor(
    timings: LivenessTimings,
    probe: () => Promise<ProbeOutcome>,
    onDead: (verdict: LivenessVerdict) => void,
    now: () => number = Date.now,
    framesArrived: () => boolean = () => false,
  ) {
    this.#timings = timings;
    this.#probe = probe;
    this.#onDead = onDead;
    this.#now = now;
    this.#framesArrived = framesArrived;
    this.#checkEveryMs = Math.max(10, Math.floor(timings.quietMs / 4));
  }

  start(): void {
    this.stop();
    this.#lastActivity = this.#lastCheck = this.#now();
    this.#active = false;
    this.#framesArrived();
    this.#timer = setInterval(() => this.#check(), this.#checkEveryMs);
  }

  /**
   * Proof of life from outside the frame stream (a ping answered). Frames themselves are
   * not pushed here: the watch asks `framesArrived` at each check, because a call per
   * message through the client's objects costs a cache miss per object once thousands of
   * clients share a process. Either way life is dated at the next check, up to one check
   * step late, which can only delay a verdict by that step, never hasten one.
   */
  touch(): void {
    this.#active = true;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#run++;
    this.#probing = false;
  }

  #check(): void {
    const now = this.#now();
    const late = now - this.#lastCheck;
    this.#lastCheck = now;
    // Both are read, so that each flag is lowered.
    const framed = this.#framesArrived();
    if (this.#active || framed) {
      this.#active = false;
      this.#lastActivity = now;
    }
    // A check this late means the process was frozen: whatever the socket says, the server
    // stopped waiting for us long ago.
    if (late > this.#timings.quietMs + this.#checkEveryMs) return this.#die({ kind: 'suspended', detail: `the process was suspended for ${late} ms` });
    if (this.#probing || now - this.#lastActivity < this.#timings.quietMs) return;
    this.#ask(now - this.#lastActivity);
  }

  #ask(quietFor: number): void {
    const run = this.#run;
    this.#probing = true;
    const asked = this.#now();
    void probeWithin(this.#probe, this.#timings.probeTimeoutMs).then((outcome) => {
      if (run !== this.#run) return;
      this.#probing = false;
      if (outcome === 'answered') {
        this.#lastActivity = this.#now();
        return;
      }
      const waited = this.#now() - asked;
      if (outcome === 'refused') this.#die({ kind: 'refused', detail: `after ${quietFor} ms of quiet, the server refused a probe` });
      else this.#die({ kind: 'silent', detail: `nothing arrived for ${quietFor} ms and a probe went unanswered for ${waited} ms` });
    });
  }

  #die(verdict: LivenessVerdict): void {
    this.stop();
    this.#onDead(verdict);
  }
}
