import type { Client } from 'faye';
// faye's own registry of page listeners: a directory whose package.json maps to `event.js`
// for bundlers and to an empty object elsewhere. Only the browser build imports it.
import fayeBrowser from 'faye/src/util/browser';

/**
 * In a browser, every faye Client adds a `beforeunload` listener on `window` and never
 * removes it. PushClient builds a new faye client per connection, so without this a tab
 * kept open for days would hold every dead client it ever made.
 */
export function removePageListeners(client: Client): void {
  fayeBrowser.Event?.detach(null, 'beforeunload', null, client);
}
