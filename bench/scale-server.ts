/**
 * The look-alike server in its own process for the scaling benches (pool.ts, relay.ts),
 * driven over IPC, so the measuring process counts only its own clients' CPU and memory.
 */
import { createGroupMeServer } from '../src/testing/index.js';
import { serveCommands } from './ipc.js';

type Command =
  | { cmd: 'users'; count: number }
  | { cmd: 'group'; members: string[] }
  | { cmd: 'posts'; groupId: string; authorId: string; count: number; perSecond: number }
  | { cmd: 'close' };

const server = await createGroupMeServer();

async function handle(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'users':
      return Array.from({ length: command.count }, (_, i) => {
        const user = server.addUser({ name: `u${i}` });
        return { id: user.id, token: user.token };
      });
    case 'group':
      return server.addGroup({ name: 'bench', members: command.members }).id;
    case 'posts': {
      // Real posts (stored, so catch-up can fetch them), paced; each returns its id and publish time.
      const sent: { id: string; atMs: number }[] = [];
      const start = Date.now();
      for (let i = 0; i < command.count; i++) {
        const due = start + (i * 1000) / command.perSecond;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        else if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
        const atMs = Date.now();
        sent.push({ id: server.post(command.groupId, command.authorId, String(atMs)).id, atMs });
      }
      await server.flush();
      return sent;
    }
    case 'close':
      await server.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

serveCommands(handle, { pushUrl: server.pushUrl, apiUrl: server.apiUrl });
