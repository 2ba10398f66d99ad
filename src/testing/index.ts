export { createGroupMeServer, GroupMeServer } from './groupme-server.js';
export type { GroupMeServerOptions, DemoWorld, PostOptions } from './groupme-server.js';
export type { SimUser, SimGroup, SimChat, MessageJson } from './world.js';
export type { RequestLogEntry, RestFault } from './rest-routes.js';
export type { SubscribeLogEntry } from './push-auth.js';
