/**
 * The baseline everyone starts from: the script of the GroupMe community docs' push page
 * (groupme-js/GroupMeCommunityDocs, docs/push.md), kept as written (a bare faye.Client with the
 * token extension, axios with the token in the URL), wrapped only so the benchmark can
 * start, observe and stop it.
 */
import { EventEmitter } from 'node:events';
import axios from 'axios';
import faye, { type BayeuxMessage, type Client, type ExtensionCallback } from 'faye';
import { tearDownFayeClient } from '../src/transport/teardown.js';

export class CommunityScript {
  readonly ws = new EventEmitter();
  readonly subscribed: Promise<void>[] = [];
  client: Client | undefined;
  acknowledged = 0;

  constructor(private readonly pushUrl: string, private readonly apiUrl: string) {}

  async main(token: string, subscribeAll = false): Promise<void> {
    const me = await axios.get(`${this.apiUrl}/users/me?token=${token}`);
    const userId = me.data.response.user_id;
    const client = new faye.Client(this.pushUrl);
    this.client = client;
    client.addExtension({
      outgoing: (msg: BayeuxMessage, callback: ExtensionCallback) => {
        if (msg.channel !== '/meta/subscribe') return callback(msg);
        msg.ext = msg.ext || {};
        msg.ext.access_token = token;
        msg.ext.timestamp = Math.round(Date.now() / 1000);
        callback(msg);
      },
    });
    this.#subscribe(`/user/${userId}`);
    if (!subscribeAll) return;
    const groups = (await axios.get(`${this.apiUrl}/memberships/states?token=${token}`)).data.response;
    for (let i = 0; i < groups.length; i++) {
      if (groups[i].state === 'active') this.#subscribe(`/group/${groups[i].group_id}`);
    }
    const dms = (await axios.get(`${this.apiUrl}/chats?token=${token}`)).data.response;
    for (let i = 0; i < dms.length; i++) {
      // The script reads dms[i].conversation_id, which real responses (and the look-alike)
      // lack; the thread id is rebuilt from last_message as the nearest faithful reading.
      const id = dms[i].conversation_id ?? dms[i].last_message?.conversation_id ?? `${userId}+${dms[i].other_user.id}`;
      this.#subscribe(`/direct_message/${String(id).replace('+', '_')}`);
    }
  }

  /** Not in the script (it never stops); what a user would add. */
  stop(): void {
    if (this.client) tearDownFayeClient(this.client);
  }

  #subscribe(channel: string): void {
    const sub = this.client!.subscribe(channel, (msg) => {
      this.ws.emit('message', msg);
    });
    this.subscribed.push(new Promise((resolve) => sub.then(() => { this.acknowledged++; resolve(); }, () => resolve())));
  }
}
