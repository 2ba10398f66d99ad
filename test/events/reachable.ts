// The reachability walk: a check that a typed object keeps every key of the payload it was
// built from, so that a typed view never drops what GroupMe said.
//
// Mapping from payload keys to typed keys:
// - by default snake_case becomes camelCase (`source_guid` → `sourceGuid`, `user_ids` →
//   `userIds`); nested objects and arrays are walked the same way, key by key;
// - `Renames` name the exceptions, by payload path (keys joined by `.`, an array item as
//   `[]`): a rename applies to every path that ends with its key (`data.type` applies to
//   `event.data.type` too). The value is the typed key, or `SAME` when the payload object's
//   fields sit on the typed object itself (`like.create`'s `subject` is the event);
// - a payload object that says nothing (all its values null, "", false or empty) may be
//   typed as null: GroupMe's `location: {lat: "", lng: "", name: null}` is no location;
// - an object holding only an `id` may be typed as that id (`conversation: {id}` →
//   `conversationId`);
// - an object kept whole as the `raw` of an unknown counterpart (an attachment of a kind
//   this version does not know) reaches all it holds.
// Values are not compared here: the field-by-field tests do that.

/** Payload path (or path suffix) → typed key. */
export type Renames = Readonly<Record<string, string>>;

/** The fields of this payload object live on the typed object itself. */
export const SAME = '.';

/** System events whose typed names are not the camelCase of GroupMe's. */
const SYSTEM_RENAMES: Readonly<Record<string, Renames>> = {
  'copilot.group.privacy_notice': { 'data.trigger_message': 'triggerMessageId' },
  'group.subgroup_type_change': { 'data.type': 'subgroupType' },
  'group.type_change': { 'data.type': 'groupType' },
};

/** Renames for a system event (`{type, data}`) of `type`, at paths relative to the event. */
export function systemRenames(type: string): Renames {
  return {
    'data.conversation': 'conversationId',
    'poll.expiration': 'expiresAt',
    ...SYSTEM_RENAMES[type],
  };
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function saysNothing(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return Object.values(value).every(saysNothing);
  return false;
}

function typedKey(path: string, key: string, renames: Renames): string {
  for (const [suffix, to] of Object.entries(renames)) {
    if (path === suffix || path.endsWith(`.${suffix}`)) return to;
  }
  return camel(key);
}

/** The payload paths the typed object does not reach, each with why; empty when all are. */
export function reachable(payload: unknown, typed: unknown, renames: Renames, path = ''): string[] {
  if (Array.isArray(payload)) {
    if (!Array.isArray(typed)) return payload.length === 0 ? [] : [`${path}: an array read as ${JSON.stringify(typed)}`];
    return payload.flatMap((item, i) => reachable(item, typed[i], renames, `${path}[]`));
  }
  if (!isObject(payload)) return [];
  if (!isObject(typed)) {
    if (typed === null && saysNothing(payload)) return [];
    const keys = Object.keys(payload);
    if (keys.length === 1 && keys[0] === 'id' && typed === String(payload.id)) return [];
    return [`${path || '(root)'}: an object read as ${JSON.stringify(typed)}`];
  }
  // Not a push event's own `raw`: that would excuse everything.
  if (typed.type === 'unknown' && typed.raw === payload) return [];
  const missing: string[] = [];
  for (const key of Object.keys(payload)) {
    const at = path === '' ? key : `${path}.${key}`;
    const to = typedKey(at, key, renames);
    if (to !== SAME && !(to in typed)) {
      missing.push(`${at} (looked for ${to})`);
      continue;
    }
    missing.push(...reachable(payload[key], to === SAME ? typed : typed[to], renames, at));
  }
  return missing;
}
