/**
 * The Lua scripts that make every registry change one atomic step in Redis.
 *
 * Key layout (all under a prefix, `sb:` by default):
 *   <p>room:<room>   HASH  peerId -> JSON {name, node}   the roster; `node` owns the peer
 *   <p>rooms         SET   room names with at least one peer
 *   <p>peers         STRING number of peers in all rooms
 *   <p>node:<node>   SET   "<room>\n<peerId>" for every peer the node owns
 *   <p>nodes         ZSET  node -> last heartbeat (ms, Redis's own clock, so node clocks don't matter)
 *
 * Scripts build key names from the prefix, so they need a standalone (or Sentinel-managed) Redis,
 * not Redis Cluster. Room names and peer ids never contain "\n" (see protocol/schemas.ts).
 */
/** Shared helpers, prepended to every script. */
const LIB = `
local prefix = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Removes peer from room if owner is '' or owns it; 1 when removed.
local function remove(room, peer, owner)
  local key = prefix .. 'room:' .. room
  local v = redis.call('HGET', key, peer)
  if not v then return 0 end
  local node = cjson.decode(v).node
  if owner ~= '' and node ~= owner then return 0 end
  redis.call('HDEL', key, peer)
  redis.call('DECR', prefix .. 'peers')
  redis.call('SREM', prefix .. 'node:' .. node, room .. '\\n' .. peer)
  if redis.call('HLEN', key) == 0 then redis.call('SREM', prefix .. 'rooms', room) end
  return 1
end
`;
/**
 * ARGV: prefix, room, peerId, name, node, capacity, mode ('join' | 'assert').
 * Returns {0} when full, {2} when asserting a peer that another node owns now, else
 * {1, rejoined(0|1), id1, json1, id2, json2, ...} (the others).
 */
export const JOIN = `${LIB}
local room, peer, node = ARGV[2], ARGV[3], ARGV[5]
local key = prefix .. 'room:' .. room
local member = room .. '\\n' .. peer
local old = redis.call('HGET', key, peer)
if old then
  local prev = cjson.decode(old).node
  if prev ~= node and ARGV[7] == 'assert' then return {2} end
  if prev ~= node then redis.call('SREM', prefix .. 'node:' .. prev, member) end
else
  if redis.call('HLEN', key) >= tonumber(ARGV[6]) then return {0} end
  redis.call('INCR', prefix .. 'peers')
end
redis.call('HSET', key, peer, cjson.encode({name = ARGV[4], node = node}))
redis.call('SADD', prefix .. 'rooms', room)
redis.call('SADD', prefix .. 'node:' .. node, member)
local out = {1, old and 1 or 0}
local all = redis.call('HGETALL', key)
for i = 1, #all, 2 do
  if all[i] ~= peer then
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
  end
end
return out
`;
/** ARGV: prefix, room, peerId, owner ('' = whoever owns it). Returns 1 when removed. */
export const LEAVE = `${LIB}
return remove(ARGV[2], ARGV[3], ARGV[4])
`;
/** ARGV: prefix, node. Returns {added(1 when the node was missing), now}. */
export const HEARTBEAT = `${LIB}
local now = now_ms()
local added = redis.call('ZADD', prefix .. 'nodes', now, ARGV[2])
return {added, now}
`;
/**
 * ARGV: prefix, staleMs. Every node whose last heartbeat is older than staleMs is dead: its peers
 * (those it still owns; a peer that resumed elsewhere moved to its new node's set) are removed and
 * the node forgotten. Returns {node1, "room\npeer", ...} pairs for the peer-left announcements.
 */
export const REAP = `${LIB}
local out = {}
local dead = redis.call('ZRANGEBYSCORE', prefix .. 'nodes', '-inf', now_ms() - tonumber(ARGV[2]))
for _, node in ipairs(dead) do
  local set = prefix .. 'node:' .. node
  for _, m in ipairs(redis.call('SMEMBERS', set)) do
    local nl = string.find(m, '\\n', 1, true)
    if remove(string.sub(m, 1, nl - 1), string.sub(m, nl + 1), node) == 1 then
      out[#out + 1] = node
      out[#out + 1] = m
    end
  end
  redis.call('DEL', set)
  redis.call('ZREM', prefix .. 'nodes', node)
end
return out
`;
//# sourceMappingURL=scripts.js.map