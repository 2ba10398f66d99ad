import { createHash } from 'node:crypto';

/**
 * Claims an event and appends it in one atomic step, so two replicas writing the same
 * event at the same moment cannot both append it, and a retry after a lost reply cannot
 * append it twice.
 *
 * KEYS[1] the stream; KEYS[2] the claim, absent for an event that is never claimed.
 * ARGV[1] the claim's TTL in seconds; ARGV[2] the MAXLEN for `~` trimming, "0" for none;
 * ARGV[3..] the entry's fields and values.
 * Returns {1, entry id} when appended, {0, entry id of the first copy} for a duplicate.
 */
export const APPEND_SCRIPT = `
local claim = KEYS[2]
if claim then
  local prior = redis.call('GET', claim)
  if prior then return {0, prior} end
end
local args = {'XADD', KEYS[1]}
if ARGV[2] ~= '0' then
  args[#args + 1] = 'MAXLEN'
  args[#args + 1] = '~'
  args[#args + 1] = ARGV[2]
end
args[#args + 1] = '*'
for i = 3, #ARGV do args[#args + 1] = ARGV[i] end
local id = redis.call(unpack(args))
if claim then redis.call('SET', claim, id, 'EX', ARGV[1]) end
return {1, id}
`;

/** EVALSHA's name for the script; Redis forgets scripts on restart, so it is loaded again on NOSCRIPT. */
export const APPEND_SCRIPT_SHA = createHash('sha1').update(APPEND_SCRIPT).digest('hex');

/** Whether a Redis error says the script cache no longer holds the script. */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
