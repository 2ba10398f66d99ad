import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createGroupMeServer, type GroupMeServer, type SimGroup, type SimUser } from '../../src/testing/index.js';
import { until } from '../support/wait.js';
import { buildPackage, bundlePage, launchChromium, servePage, skip } from './harness.js';
import type { PageConfig, SeenEvent } from './page.js';

describe('PushClient in Chromium', { skip, timeout: 180_000 }, () => {
  let groupme: GroupMeServer;
  let pageServer: Server;
  let pageUrl: string;
  let browser: Browser;
  let page: Page;
  let me: SimUser;
  let other: SimUser;
  let group: SimGroup;
  const urls: string[] = [];
  const pageErrors: string[] = [];

  const seen = (): Promise<SeenEvent[]> => page.evaluate(() => window.seen);
  const state = (): Promise<string> => page.locator('#state').innerText();
  const shows = (text: string): Promise<void> => page.locator('#events li', { hasText: text }).first().waitFor();

  const connected = (): Promise<unknown> =>
    page.waitForFunction(() => document.querySelector('#state')?.textContent === 'connected');

  async function open(): Promise<void> {
    await page.goto(pageUrl);
    await connected();
  }

  before(async () => {
    await buildPackage();
    groupme = await createGroupMeServer({ pingIntervalMs: 0 });
    me = groupme.addUser({ name: 'Me' });
    other = groupme.addUser({ name: 'Other' });
    group = groupme.addGroup({ name: 'Browsers', members: [me.id, other.id] });
    ({ server: pageServer, url: pageUrl } = await servePage(await bundlePage()));

    browser = await launchChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(20_000);
    page.on('request', (request) => urls.push(request.url()));
    page.on('websocket', (socket) => urls.push(socket.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    if (process.env.DEBUG_BROWSER) page.on('console', (m) => console.log('[page]', m.text()));
    if (process.env.DEBUG_BROWSER) page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    const config: PageConfig = { token: me.token, pushUrl: groupme.pushUrl, apiUrl: groupme.apiUrl };
    await page.addInitScript((value) => {
      window.pushConfig = value;
    }, config);
    // Counts live `beforeunload` listeners, to prove stop() leaves none of faye's behind.
    await page.addInitScript(() => {
      const live = new Set<unknown>();
      const add = window.addEventListener.bind(window);
      const remove = window.removeEventListener.bind(window);
      window.addEventListener = ((type: string, listener: unknown, options?: unknown) => {
        if (type === 'beforeunload') live.add(listener);
        add(type, listener as EventListener, options as AddEventListenerOptions);
      }) as typeof window.addEventListener;
      window.removeEventListener = ((type: string, listener: unknown, options?: unknown) => {
        if (type === 'beforeunload') live.delete(listener);
        remove(type, listener as EventListener, options as EventListenerOptions);
      }) as typeof window.removeEventListener;
      (window as unknown as { unloadListeners: () => number }).unloadListeners = () => live.size;
    });
  });

  after(async () => {
    await browser?.close();
    if (pageServer) await new Promise((resolve) => pageServer.close(resolve));
    await groupme?.close();
  });

  it('shows the events published on the server', async () => {
    await open();
    const mine = groupme.post(group.id, me.id, 'mine');
    await shows('line.create: mine');
    groupme.post(group.id, other.id, 'hello, browser');
    groupme.sendDirectMessage(other.id, me.id, 'a direct message');
    groupme.typing(other.id, group.id);
    groupme.react(other.id, mine.id);
    await shows('line.create: hello, browser');
    await shows('direct_message.create: a direct message');
    await shows('typing');
    await shows('like.create');
    await shows('favorite');
    assert.equal(await state(), 'connected');
  });

  it('reconnects after its sockets drop and delivers the gap exactly once', async () => {
    groupme.dropConnections();
    const during = groupme.post(group.id, other.id, 'while the socket was down');
    await shows('while the socket was down');
    await connected();
    const afterwards = groupme.post(group.id, other.id, 'after the reconnect');
    await shows('after the reconnect');
    const ids = (await seen()).map((event) => event.id);
    assert.equal(ids.filter((id) => id === during.id).length, 1);
    assert.equal(ids.filter((id) => id === afterwards.id).length, 1);
  });

  it('resumes after a reload from the cursors it kept in localStorage', async () => {
    await page.goto('about:blank');
    const away = groupme.post(group.id, other.id, 'while the page was closed');
    await open();
    await shows('while the page was closed');
    const events = await seen();
    assert.deepEqual(
      events.filter((event) => event.id === away.id).map((event) => event.origin),
      ['catch-up'],
    );
    // Only the gap is fetched: nothing delivered before the reload comes back.
    assert.equal(events.filter((event) => event.text === 'hello, browser').length, 0);
  });

  it('stop() closes the connection and leaves no page listener behind', async () => {
    await page.evaluate(() => window.client.stop());
    assert.equal(await state(), 'stopped');
    await until(() => groupme.connectedClients() === 0);
    // faye's WebSocket module keeps one listener for the page's lifetime; none per client.
    const listeners = await page.evaluate(() => (window as unknown as { unloadListeners: () => number }).unloadListeners());
    assert.ok(listeners <= 1, `${listeners} beforeunload listeners remain`);
  });

  it('has a FileCursorStore that refuses at once, naming what to use instead', async () => {
    const message = await page.evaluate(() => window.fileStoreError);
    assert.match(message ?? '', /^UnsupportedPlatformError: .*WebStorageCursorStore/);
  });

  it('never put the token in a URL, and raised nothing in the page', async () => {
    assert.ok(urls.some((url) => url.startsWith(groupme.apiUrl)));
    assert.deepEqual(
      urls.filter((url) => url.includes(me.token)),
      [],
    );
    assert.ok(groupme.requestLog.length > 0);
    assert.ok(groupme.requestLog.every((entry) => entry.tokenInHeader && !entry.tokenInUrl));
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(
      (await page.evaluate(() => window.errors)).filter((error) => /start failed|Authentication/.test(error)),
      [],
    );
  });
});
