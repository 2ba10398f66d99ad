// `groupme-push/testing`: the GroupMe look-alike server. Public exports only.
export { createGroupMeServer, GroupMeServer } from './server.js';
export type { DirectMessagesOptions, GroupHistoryOptions, GroupMeServerOptions, MembershipStatesOptions } from './server.js';
export type { DemoWorld } from './demo.js';
export type { AddMemberResult, MessageChangePayload, PostOptions } from './actions.js';
export type { AddGroupOptions, AddUserOptions, SimChat, SimGroup, SimUser } from './state.js';
export type { RestFault } from './faults.js';
export type { RequestLogEntry } from './rest-routes.js';
export type { SubscribeLogEntry } from './push-auth.js';
export type { MetaLogEntry } from './meta-log.js';
export type { ReapRefusal } from './push-hub.js';
export type {
  DirectMessageJson,
  GroupMessageJson,
  GroupSummaryJson,
  JsonObject,
  LocationJson,
  MembershipState,
  MessageJson,
  MessageJsonBase,
  PushMessageJson,
  PushPayload,
  ReactionJson,
  ReactionSubject,
  ReadReceiptSubject,
  SystemEventJson,
  TypingPayload,
} from './json.js';
