import type { BayeuxMessage, Extension, ExtensionCallback } from 'faye';

/** One Bayeux `/meta/*` exchange of a remote client, logged when the server replies. */
export interface MetaLogEntry {
  /** `/meta/handshake`, `/meta/connect`, `/meta/subscribe`, `/meta/unsubscribe` or `/meta/disconnect`. */
  readonly channel: string;
  /** The client id the request carried; for a handshake, the one the server handed out. */
  readonly clientId: string | null;
  /** A connect's `connectionType` (`websocket`, `long-polling`...); null for the others. */
  readonly connectionType: string | null;
  readonly ok: boolean;
  /** The Bayeux error of a refusal, e.g. `401:<clientId>:Unknown client`. */
  readonly error: string | null;
  /** The reply's `advice.reconnect` (`retry`, `handshake`), when it gave one. */
  readonly reconnect: string | null;
}

/**
 * A faye server extension that logs every `/meta/*` reply to a remote client, so a test
 * can see a refused connect and the handshake that followed. The server's in-process
 * client (no HTTP request) is not logged. A `/meta/connect` is logged when it is
 * answered, which for a held one is up to the advised timeout later.
 */
export function createMetaLogger(log: MetaLogEntry[]): Extension {
  // faye drops `clientId` from some refusals, so each reply is paired with its request:
  // per HTTP request (a WebSocket has one for all its messages), by Bayeux message id.
  const sent = new WeakMap<object, Map<string, { clientId: string | undefined; connectionType: unknown }>>();

  // faye passes the HTTP request only to functions declared with three parameters.
  const incoming = (message: BayeuxMessage, request: unknown, callback: ExtensionCallback): void => {
    if (request && message.channel.startsWith('/meta/') && message.id !== undefined) {
      let byId = sent.get(request as object);
      if (!byId) sent.set(request as object, (byId = new Map()));
      byId.set(message.id, { clientId: message.clientId, connectionType: message.connectionType });
    }
    callback(message);
  };

  const outgoing = (message: BayeuxMessage, request: unknown, callback: ExtensionCallback): void => {
    if (request && message.channel.startsWith('/meta/')) {
      const byId = sent.get(request as object);
      const asked = message.id === undefined ? undefined : byId?.get(message.id);
      if (message.id !== undefined) byId?.delete(message.id);
      log.push({
        channel: message.channel,
        clientId: asked?.clientId ?? message.clientId ?? null,
        connectionType: typeof asked?.connectionType === 'string' ? asked.connectionType : null,
        ok: message.successful === true,
        error: typeof message.error === 'string' ? message.error : null,
        reconnect: typeof message.advice?.reconnect === 'string' ? message.advice.reconnect : null,
      });
    }
    callback(message);
  };

  return { incoming: incoming as Extension['incoming'], outgoing: outgoing as Extension['outgoing'] };
}
