import type { Client } from 'faye';

/**
 * Outside a browser faye registers no page listener, so there is nothing to remove. The
 * browser build swaps in `page-listeners.browser.ts` (see tsup.config.ts).
 */
export function removePageListeners(_client: Client): void {}
