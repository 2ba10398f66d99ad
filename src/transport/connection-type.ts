import type { Client } from 'faye';

// faye 1.4.3 keeps the transport it sends on in `_dispatcher.connectionType`; there is no
// public way to ask. Read here only, so a faye upgrade has one place to check.
interface FayeDispatcherView {
  _dispatcher?: { connectionType?: unknown };
}

/** The connection type faye would send the next message over (`websocket`, `callback-polling`...). */
export function connectionTypeOf(client: Client): string | undefined {
  const type = (client as unknown as FayeDispatcherView)._dispatcher?.connectionType;
  return typeof type === 'string' ? type : undefined;
}
