/**
 * The look-alike server in its own process, driven over IPC, so the benchmark process
 * measures only the clients' CPU and memory.
 */
import { createGroupMeServer, type GroupMeServer } from '../src/testing/index.js';

type Command =
  | { cmd: 'addUser'; name: string }
  | { cmd: 'world'; groups: number; inactive: number; chats: number; userId: string }
  | { cmd: 'addGroup'; members: string[] }
  | { cmd: 'burst'; channel: string; groupId: string; count: number }
  | { cmd: 'stream'; groupId: string; authorId: string; perSecond: number; seconds: number; restartAfterMs: number }
  | { cmd: 'requests' }
  | { cmd: 'close' };

let server: GroupMeServer;
let next = 900_000_000_000_000_000n;

function payload(groupId: string, sentNs: bigint): unknown {
  next += 1n;
  return {
    type: 'line.create',
    alert: 'Bench: hello',
    received_at: Date.now(),
    subject: {
      attachments: [], avatar_url: null, created_at: Math.floor(Date.now() / 1000), group_id: groupId,
      id: next.toString(), location: { lat: '', lng: '', name: null }, name: 'Bench', sender_id: '1',
      sender_type: 'user', source_guid: 'bench', system: false, text: sentNs.toString(), user_id: '1',
    },
  };
}

async function handle(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'addUser':
      return server.addUser({ name: command.name });
    case 'addGroup':
      return server.addGroup({ name: 'bench', members: command.members });
    case 'world': {
      const other = server.addUser({ name: 'other' });
      for (let i = 0; i < command.groups; i++) {
        const g = server.addGroup({ name: `g${i}`, members: [command.userId, other.id] });
        if (i < command.inactive) server.setMembershipState(g.id, command.userId, i % 2 ? 'exited' : 'removed');
      }
      for (let i = 0; i < command.chats; i++) server.addChat(command.userId, server.addUser({ name: `dm${i}` }).id);
      return null;
    }
    case 'burst': {
      // Chunks keep the in-process publisher from building one giant queue.
      for (let sent = 0; sent < command.count; sent += 1000) {
        const n = Math.min(1000, command.count - sent);
        for (let i = 0; i < n; i++) server.publishRaw(command.channel, payload(command.groupId, process.hrtime.bigint()));
        await new Promise((resolve) => setImmediate(resolve));
      }
      return null;
    }
    case 'stream': {
      // Real posts (stored, so catch-up can fetch them), each stamped with its send time.
      const ids: string[] = [];
      let firstAfterRestart = -1;
      const total = command.perSecond * command.seconds;
      const start = Date.now();
      let restarted = false;
      let restartAt = 0;
      for (let i = 0; i < total; i++) {
        const due = start + (i * 1000) / command.perSecond;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        if (!restarted && command.restartAfterMs >= 0 && Date.now() - start >= command.restartAfterMs) {
          restarted = true;
          restartAt = Number(process.hrtime.bigint() / 1000n) / 1000;
          await server.restart();
          firstAfterRestart = i;
        }
        ids.push(server.post(command.groupId, command.authorId, String(process.hrtime.bigint())).id);
      }
      return { ids, afterRestart: firstAfterRestart < 0 ? [] : ids.slice(firstAfterRestart), restartAtMs: restartAt };
    }
    case 'requests':
      return server.requestLog.length;
    case 'close':
      await server.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

// The subscribe-all rows also run a client relaxed to 100 requests a second; the limiter
// would then measure itself, not the client.
server = await createGroupMeServer({ pingIntervalMs: 30_000, rateLimitPerSecond: 0 });
process.on('message', (message: { id: number; command: Command }) => {
  handle(message.command).then(
    (result) => process.send!({ id: message.id, result }),
    (error: Error) => process.send!({ id: message.id, error: error.message }),
  );
});
process.send!({ ready: { pushUrl: server.pushUrl, apiUrl: server.apiUrl } });
