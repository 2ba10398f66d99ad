// A cross-origin browser can only handshake over callback-polling (JSONP), whose messages
// travel in the URL. These tests prove the token never does, whichever transport faye ends
// up on: with no WebSocket at all, and with a WebSocket slower to open than a JSONP round trip.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createGroupMeServer, type GroupMeServer } from '../../src/testing/index.js';
import { until } from '../support/wait.js';
import { buildPackage, bundlePage, launchChromium, servePage, skip } from './harness.js';
import type { PageConfig } from './page.js';

/** Which WebSocket the page gets: none, one that opens late, or one that never opens. */
type WebSocketKind = 'missing' | 'slow' | 'never';

interface Visit {
  readonly urls: string[];
  readonly token: string;
  readonly pageErrors: string[];
}

describe('the token in a browser, whatever transport faye picks', { skip, timeout: 120_000 }, () => {
  let groupme: GroupMeServer;
  let pageServer: Server;
  let pageUrl: string;
  let browser: Browser;

  before(async () => {
    await buildPackage();
    groupme = await createGroupMeServer();
    ({ server: pageServer, url: pageUrl } = await servePage(await bundlePage()));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (pageServer) await new Promise((resolve) => pageServer.close(resolve));
    await groupme?.close();
  });

  /** A page for a new user, whose WebSocket is `webSocket`, recording what it requests. */
  async function openPage(context: BrowserContext, token: string, webSocket: WebSocketKind): Promise<{ page: Page; urls: string[]; pageErrors: string[] }> {
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const urls: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    page.on('websocket', (socket) => urls.push(socket.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const config: PageConfig = { token, pushUrl: groupme.pushUrl, apiUrl: groupme.apiUrl };
    await page.addInitScript((value) => {
      window.pushConfig = value;
    }, config);
    await page.addInitScript((kind: WebSocketKind) => {
      const Native = window.WebSocket;
      if (kind === 'missing') {
        delete (window as { WebSocket?: unknown }).WebSocket;
        return;
      }
      // Opens 1.5 s late, as behind a proxy that is slow to upgrade: the JSONP handshake
      // answers first, and faye would send on JSONP until the socket is up. Or never opens.
      window.WebSocket = class extends Native {
        override set onopen(listener: ((event: Event) => void) | null) {
          super.onopen = (event) => (kind === 'never' ? undefined : setTimeout(() => listener?.call(this, event), 1_500));
        }
        override get onopen(): ((event: Event) => void) | null {
          return super.onopen;
        }
      };
    }, webSocket);
    await page.goto(pageUrl);
    return { page, urls, pageErrors };
  }

  /** Opens the page for a new user, waits for one pushed message, and returns what it requested. */
  async function visit(webSocket: WebSocketKind): Promise<Visit> {
    const me = groupme.addUser({ name: `Me (${webSocket})` });
    const other = groupme.addUser({ name: 'Other' });
    const group = groupme.addGroup({ name: `Group (${webSocket})`, members: [me.id, other.id] });
    const context = await browser.newContext();
    try {
      const { page, urls, pageErrors } = await openPage(context, me.token, webSocket);
      await page.waitForFunction(() => document.querySelector('#state')?.textContent === 'connected');
      groupme.post(group.id, other.id, `pushed over ${webSocket}`);
      await page.locator('#events li', { hasText: `pushed over ${webSocket}` }).first().waitFor();
      return { urls, token: me.token, pageErrors };
    } finally {
      await context.close();
    }
  }

  const jsonp = (url: string): boolean => url.startsWith(groupme.pushUrl) && url.includes('?message=');

  it('with no WebSocket, subscribes and receives without the token in any URL', async () => {
    const { urls, token, pageErrors } = await visit('missing');
    assert.ok(urls.some(jsonp), 'the handshake went over callback-polling');
    assert.ok(!urls.some((url) => url.startsWith('ws:')), 'no WebSocket was opened');
    assert.deepEqual(urls.filter((url) => url.includes(token)), []);
    assert.deepEqual(pageErrors, []);
  });

  it('with a WebSocket slower than JSONP, holds the subscribes for it instead of sending them in a URL', async () => {
    const { urls, token, pageErrors } = await visit('slow');
    assert.ok(urls.some(jsonp), 'the handshake went over callback-polling');
    assert.ok(urls.some((url) => url.startsWith('ws:')), 'the WebSocket was opened');
    assert.deepEqual(urls.filter((url) => url.includes(token)), []);
    assert.deepEqual(pageErrors, []);
  });

  it('stop() while faye is still on callback-polling ends the session on the server', async () => {
    // The held /meta/connect is a script load, which a page cannot abort: only a
    // /meta/disconnect that reaches the server ends it.
    await until(() => groupme.connectedClients() === 0);
    const me = groupme.addUser({ name: 'Me (stopped on JSONP)' });
    const context = await browser.newContext();
    try {
      const { page, urls, pageErrors } = await openPage(context, me.token, 'never');
      await until(() => groupme.connectedClients() === 1);
      const heldConnect = (url: string): boolean => jsonp(url) && new URL(url).searchParams.get('message')!.includes('/meta/connect');
      await until(() => urls.some(heldConnect));
      const callback = new URL(urls.find(heldConnect)!).searchParams.get('jsonp')!;
      const replies = groupme.metaLog.length;
      // A script load cannot be cancelled: the held connect's script will run once answered,
      // so the callback it calls must still be there after stop().
      const kept = await page.evaluate(async (name) => {
        await window.client.stop();
        return typeof (window as unknown as Record<string, unknown>)[name] === 'function';
      }, callback);
      assert.equal(kept, true, `${callback} is still defined`);
      // The server was told, and forgot the session: its held connect is over.
      await until(() => groupme.metaLog.slice(replies).some((entry) => entry.channel === '/meta/disconnect' && entry.ok));
      await until(() => groupme.connectedClients() === 0);
      assert.ok(!urls.some((url) => url.includes(me.token)));
      assert.deepEqual(pageErrors, [], 'the held connect, answered at last, found its callback');
    } finally {
      await context.close();
    }
  });
});
