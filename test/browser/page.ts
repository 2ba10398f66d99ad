// The page the browser test builds: what a web app would write, importing the package by
// its name so the bundler picks the `browser` export. Bundled by esbuild, run in Chromium.
import { FileCursorStore, PushClient, WebStorageCursorStore, type PushEvent } from 'groupme-push';

/** What the test puts on `window` before the page loads, and reads back. */
export interface PageConfig {
  readonly token: string;
  readonly pushUrl: string;
  readonly apiUrl: string;
}

/** One received event as the test sees it. */
export interface SeenEvent {
  readonly type: string;
  readonly origin: string;
  readonly id: string | null;
  readonly text: string | null;
}

declare global {
  interface Window {
    pushConfig: PageConfig;
    seen: SeenEvent[];
    errors: string[];
    client: PushClient;
    fileStoreError: string | null;
  }
}

function describeEvent(event: PushEvent): SeenEvent {
  switch (event.type) {
    case 'line.create':
    case 'direct_message.create':
      return { type: event.type, origin: event.origin, id: event.message.id, text: event.message.text };
    default:
      return { type: event.type, origin: event.origin, id: null, text: null };
  }
}

const list = document.querySelector('#events')!;
const status = document.querySelector('#state')!;
window.seen = [];
window.errors = [];

// The browser build's FileCursorStore must refuse at once, saying what to use instead.
try {
  new FileCursorStore('cursors.json');
  window.fileStoreError = null;
} catch (error) {
  window.fileStoreError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const client = new PushClient({
  ...window.pushConfig,
  subscribeAll: true,
  cursorStore: new WebStorageCursorStore(localStorage),
});
window.client = client;

client.on('event', (event) => {
  const seen = describeEvent(event);
  window.seen.push(seen);
  const item = document.createElement('li');
  item.textContent = `${seen.type}${seen.text === null ? '' : `: ${seen.text}`}`;
  list.append(item);
});
client.on('state', (change) => {
  status.textContent = change.current;
});
client.on('error', (error) => {
  window.errors.push(`${error.name}: ${error.message}`);
});
client.start().catch((error: unknown) => window.errors.push(`start failed: ${String(error)}`));
