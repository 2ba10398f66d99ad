import { randomUUID } from 'node:crypto';

/**
 * GroupMe message ids are 18-digit decimal strings that grow with time; users and groups
 * have shorter numeric ids. Both are counters here, so runs are deterministic.
 */
export class IdSource {
  #message = 175_000_000_000_000_000n;
  #user = 20_000_000;
  #group = 100_000_000;

  message(): string {
    this.#message += 1n;
    return this.#message.toString();
  }

  user(): string {
    return String(++this.#user);
  }

  group(): string {
    return String(++this.#group);
  }

  guid(): string {
    return randomUUID().toUpperCase();
  }

  token(): string {
    return randomUUID().replaceAll('-', '');
  }
}
