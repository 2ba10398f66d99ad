// faye ships no types. This declares only the part groupme-push touches, client and
// server side. Two traps are encoded here on purpose: `Client` and `Subscription` are
// thenables but NOT promises (no catch/finally, and awaiting a Client hangs), so neither
// extends PromiseLike.
declare module 'faye' {
  import type { Server as HttpServer } from 'node:http';

  /** A Bayeux message as it passes through an extension. */
  export interface BayeuxMessage {
    channel: string;
    id?: string;
    clientId?: string;
    subscription?: string | string[];
    successful?: boolean;
    error?: string;
    data?: unknown;
    ext?: Record<string, unknown>;
    advice?: { reconnect?: string; interval?: number; timeout?: number };
    [key: string]: unknown;
  }

  export type ExtensionCallback = (message: BayeuxMessage | null) => void;

  export interface Extension {
    incoming?(message: BayeuxMessage, callback: ExtensionCallback): void;
    incoming?(message: BayeuxMessage, request: unknown, callback: ExtensionCallback): void;
    outgoing?(message: BayeuxMessage, callback: ExtensionCallback): void;
    outgoing?(message: BayeuxMessage, request: unknown, callback: ExtensionCallback): void;
  }

  /** What faye hands an errback: a plain object, not an Error. */
  export interface FayeError {
    code?: number;
    params?: unknown[];
    message?: string;
  }

  export interface Subscription {
    then(onSuccess: () => void, onError: (error: FayeError) => void): void;
    cancel(): void;
  }

  export interface Publication {
    then(onSuccess: () => void, onError: (error: FayeError) => void): void;
  }

  export interface ClientOptions {
    retry?: number;
  }

  export class Client {
    constructor(endpoint: string, options?: ClientOptions);
    addExtension(extension: Extension): void;
    subscribe(channel: string, callback: (data: unknown) => void): Subscription;
    /** `true` forces a new `/meta/subscribe` for a channel already held, adding no listener. */
    subscribe(channel: string, force: true): Subscription;
    publish(channel: string, data: unknown): Publication;
    disconnect(): void;
    on(event: 'transport:up' | 'transport:down', listener: () => void): void;
    removeListener(event: 'transport:up' | 'transport:down', listener: () => void): void;
    /** Turns a transport off, e.g. `'websocket'`. */
    disable(feature: string): void;
  }

  export interface NodeAdapterOptions {
    mount: string;
    timeout?: number;
  }

  export class NodeAdapter {
    constructor(options: NodeAdapterOptions);
    attach(server: HttpServer): void;
    addExtension(extension: Extension): void;
    getClient(): Client;
    close(): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
  }

  const faye: {
    Client: typeof Client;
    NodeAdapter: typeof NodeAdapter;
  };
  export default faye;
}

// faye's registry of page listeners. In a bundle it resolves to `event.js` (the directory's
// package.json `browser` field); elsewhere to an empty object.
declare module 'faye/src/util/browser' {
  import type { Client } from 'faye';

  const browser: {
    Event?: { detach(element: object | null, type: string | null, callback: null, context: Client): void };
  };
  export default browser;
}
