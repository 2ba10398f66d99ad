/**
 * A publisher that outpaces any client, in its own process, driven over IPC: just enough
 * Bayeux for a faye client to handshake, hold a `/meta/connect` and get its subscribes
 * acknowledged, and just enough REST for PushClient's start (`/users/me`, empty listings).
 * A burst for a user is built before it is sent, as ready WebSocket frames (each a JSON
 * array of `line.create` messages on `/user/<id>`, as GroupMe sends them), then written,
 * a slice of frames at a time, as fast as the client's socket drains: the client alone
 * decides the pace.
 *
 * The WebSocket side is written here by hand (RFC 6455, text frames, no extensions) rather
 * than with faye's server: a real faye server spends more CPU per message than a faye
 * client, so it, not the client, would set the pace.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { GROUP_ID, userOf } from './publisher-constants.js';
import { serveCommands } from './ipc.js';

type Command =
  | { cmd: 'prepare'; userId: string; count: number; perFrame: number }
  | { cmd: 'go'; userId: string; from: number; to: number }
  | { cmd: 'close' };

interface Bayeux {
  channel: string;
  id?: string;
  clientId?: string;
  subscription?: string | string[];
  [key: string]: unknown;
}

/** A WebSocket connection's state: who it is, what it holds, and its held connect. */
interface Peer {
  readonly socket: Socket;
  clientId: string | undefined;
  connectTimer: ReturnType<typeof setTimeout> | undefined;
  buffer: Buffer;
  fragments: Buffer[];
}

const CONNECT_HOLD_MS = 25_000;
const peers = new Set<Peer>();
/** channel → client ids that subscribed it, over either transport: faye may subscribe before its WebSocket is up. */
const subscribers = new Map<string, Set<string>>();
const advice = { reconnect: 'retry', interval: 0, timeout: CONNECT_HOLD_MS + 5_000 };

// ---- Bayeux ---------------------------------------------------------------------------
/** Answers every message except a WebSocket `/meta/connect`, which is held as a real server holds it. */
function answer(message: Bayeux, peer: Peer | undefined): Bayeux | undefined {
  const base = { channel: message.channel, id: message.id, clientId: message.clientId };
  switch (message.channel) {
    case '/meta/handshake':
      return {
        ...base,
        clientId: randomBytes(14).toString('hex'),
        successful: true,
        version: '1.0',
        supportedConnectionTypes: ['long-polling', 'websocket'],
        advice,
      };
    case '/meta/connect':
      if (!peer) return { ...base, successful: true, advice };
      clearTimeout(peer.connectTimer);
      peer.connectTimer = setTimeout(() => send(peer, frame(JSON.stringify([{ ...base, successful: true, advice }]))), CONNECT_HOLD_MS);
      return undefined;
    case '/meta/subscribe':
      for (const path of [message.subscription ?? []].flat()) {
        let set = subscribers.get(path);
        if (!set) subscribers.set(path, (set = new Set()));
        if (message.clientId) set.add(message.clientId);
      }
      return { ...base, successful: true, subscription: message.subscription };
    default:
      return { ...base, successful: true };
  }
}

function handleAll(messages: Bayeux[], peer: Peer | undefined): Bayeux[] {
  const replies: Bayeux[] = [];
  for (const message of messages) {
    if (peer && message.clientId) peer.clientId = message.clientId;
    const reply = answer(message, peer);
    if (reply) replies.push(reply);
  }
  return replies;
}

// ---- HTTP: faye's long-polling handshake, and the REST PushClient reads at start --------
const ok = (response: unknown): string => JSON.stringify({ meta: { code: 200 }, response });

function http(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let body: string;
    if (url.pathname === '/faye' && req.method === 'POST') {
      let text = Buffer.concat(chunks).toString();
      if (text.startsWith('message=')) text = decodeURIComponent(text.slice('message='.length).replace(/\+/g, ' '));
      const messages = [JSON.parse(text) as Bayeux | Bayeux[]].flat();
      const reply = JSON.stringify(handleAll(messages, undefined));
      // A long-poll connect is answered after a moment, not at once: faye sends the next
      // one straight away, and it should go over the WebSocket once that is up.
      if (messages.some((m) => m.channel === '/meta/connect')) {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(reply), 50);
        return;
      }
      body = reply;
    } else if (url.pathname === '/v3/users/me') {
      const userId = userOf(String(req.headers['x-access-token'] ?? url.searchParams.get('token') ?? ''));
      if (userId === undefined) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ meta: { code: 401, errors: ['unauthorized'] } }));
        return;
      }
      body = ok({ id: userId, user_id: userId, name: 'Bench' });
    } else if (['/v3/groups', '/v3/chats', '/v3/memberships/states'].includes(url.pathname)) {
      body = ok([]);
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ meta: { code: 404, errors: ['not found'] } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
}

// ---- WebSocket ------------------------------------------------------------------------
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One unmasked server frame (a server never masks). */
function frame(payload: string | Buffer, opcode = 0x1): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const n = body.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n]) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else if (n >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, body]);
}

function send(peer: Peer, data: Buffer): boolean {
  return !peer.socket.destroyed && peer.socket.write(data);
}

function upgrade(req: IncomingMessage, socket: Socket): void {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string') return void socket.destroy();
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  socket.setNoDelay(true);
  const peer: Peer = { socket, clientId: undefined, connectTimer: undefined, buffer: Buffer.alloc(0), fragments: [] };
  peers.add(peer);
  const gone = (): void => {
    clearTimeout(peer.connectTimer);
    peers.delete(peer);
    if (peer.clientId !== undefined) for (const set of subscribers.values()) set.delete(peer.clientId);
  };
  socket.on('close', gone);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    peer.buffer = peer.buffer.length ? Buffer.concat([peer.buffer, chunk]) : chunk;
    readFrames(peer);
  });
}

/** Client frames are masked and small (handshakes, connects, subscribes); fragments are joined. */
function readFrames(peer: Peer): void {
  for (;;) {
    const b = peer.buffer;
    if (b.length < 2) return;
    const fin = (b[0]! & 0x80) !== 0;
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    let length = b[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return;
      length = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    const maskAt = offset;
    if (masked) offset += 4;
    if (b.length < offset + length) return;
    const payload = Buffer.from(b.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= b[maskAt + (i % 4)]!;
    peer.buffer = b.subarray(offset + length);
    if (opcode === 0x8) {
      send(peer, frame(Buffer.alloc(0), 0x8));
      peer.socket.end();
      return;
    }
    if (opcode === 0x9) {
      send(peer, frame(payload, 0xa));
      continue;
    }
    if (opcode === 0xa) continue;
    peer.fragments.push(payload);
    if (!fin) continue;
    const text = Buffer.concat(peer.fragments).toString();
    peer.fragments = [];
    const replies = handleAll([JSON.parse(text) as Bayeux | Bayeux[]].flat(), peer);
    if (replies.length) send(peer, frame(JSON.stringify(replies)));
  }
}

// ---- bursts ---------------------------------------------------------------------------
let nextId = 175141257527047935n;
/** Frames ready to send, by user id. */
const prepared = new Map<string, Buffer[]>();

/** The message GroupMe sends on `/user/<id>` for a group post, every field a modern one has. */
function lineCreate(userId: string, messageId: string, n: number): Bayeux {
  const now = Date.now();
  return {
    channel: `/user/${userId}`,
    data: {
      type: 'line.create',
      alert: `Isaac: message ${n}`,
      subject: {
        attachments: [],
        avatar_url: 'https://i.groupme.com/200x200.jpeg.94e0ac5891aa4e6f8ad4bbf961defe4d',
        created_at: Math.floor(now / 1000),
        deleted_at: null,
        deletion_actor: null,
        group_id: GROUP_ID,
        id: messageId,
        location: { lat: '', lng: '', name: null },
        name: 'Isaac',
        parent_id: null,
        picture_url: null,
        pinned_at: null,
        pinned_by: null,
        sender_id: '93645912',
        sender_type: 'user',
        source_guid: randomBytes(16).toString('hex'),
        system: false,
        text: `message ${n}`,
        updated_at: null,
        user_id: '93645912',
      },
      received_at: now,
    },
    id: n.toString(36),
  };
}

function prepare(userId: string, count: number, perFrame: number): { frames: number; bytes: number } {
  const frames: Buffer[] = [];
  let bytes = 0;
  for (let sent = 0; sent < count; sent += perFrame) {
    const batch: Bayeux[] = [];
    for (let i = sent; i < Math.min(count, sent + perFrame); i++) batch.push(lineCreate(userId, (nextId++).toString(), i));
    const f = frame(JSON.stringify(batch));
    bytes += f.length;
    frames.push(f);
  }
  prepared.set(userId, frames);
  return { frames: frames.length, bytes };
}

/**
 * Writes prepared frames `[from, to)` to the subscriber of `/user/<id>`, waiting only for
 * its socket to drain.
 */
async function go(userId: string, from: number, to: number): Promise<{ frames: number }> {
  const channel = `/user/${userId}`;
  const holders = subscribers.get(channel);
  // The newest such socket: the previous round's client may not have finished closing.
  const peer = [...peers].reverse().find((p) => p.clientId !== undefined && holders?.has(p.clientId));
  if (!peer) throw new Error(`nobody holds ${channel} on a WebSocket`);
  const frames = prepared.get(userId) ?? [];
  for (let i = from; i < Math.min(to, frames.length); i++) {
    if (!send(peer, frames[i]!)) await new Promise((resolve) => peer.socket.once('drain', resolve));
    if (peer.socket.destroyed) throw new Error('the subscriber went away mid-burst');
  }
  if (to >= frames.length) prepared.delete(userId);
  return { frames: Math.max(0, Math.min(to, frames.length) - from) };
}

const server = createServer(http);
server.on('upgrade', upgrade);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

async function handle(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'prepare':
      return prepare(command.userId, command.count, command.perFrame);
    case 'go':
      return go(command.userId, command.from, command.to);
    case 'close':
      for (const peer of peers) peer.socket.destroy();
      server.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

serveCommands(handle, { pushUrl: `http://127.0.0.1:${port}/faye`, apiUrl: `http://127.0.0.1:${port}/v3` });
