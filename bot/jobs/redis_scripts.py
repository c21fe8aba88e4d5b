"""The Redis job store's Lua scripts: each multi-key step runs atomically inside Redis.

Keys, all under the prefix P:
  P seq                 job id counter
  P job:<m>             hash: one job (<m> is the id zero-padded, so equal scores sort oldest first)
  P delivery:<id>       job member of a webhook delivery (duplicate check)
  P queued              zset member -> next_attempt_at
  P running             zset member -> lease expiry (Redis server clock, ms)
  P open                zset member -> created_at, for queued and running jobs
  P busy                hash pr_key -> member running for that pull request
  P prq:<pr_key>        set of the pull request's queued members (supersede)
  P started             zset "<m>:<installation>" -> first start (rate limit)
  P claim:<nonce>       member handed out by one claim call, so a retried call returns the same job

Every script takes the prefix as ARGV[1]. Lease times use Redis's own clock (TIME), so processes on
machines with skewed clocks agree on when a lease has expired.
"""

from __future__ import annotations

_PRELUDE = """
local p = ARGV[1]
local function job(m) return p .. 'job:' .. m end
local function clock_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function unbusy(pr, m)
  if pr and redis.call('HGET', p .. 'busy', pr) == m then redis.call('HDEL', p .. 'busy', pr) end
end
local function enqueue(m, pr, due)
  redis.call('ZADD', p .. 'queued', due, m)
  redis.call('SADD', p .. 'prq:' .. pr, m)
end
-- A finished job leaves every index; its record and delivery id stay for `retention` seconds to catch redeliveries.
local function close(m, retention)
  local h = job(m)
  local pr, delivery = unpack(redis.call('HMGET', h, 'pr_key', 'delivery_id'))
  redis.call('ZREM', p .. 'queued', m)
  redis.call('ZREM', p .. 'running', m)
  redis.call('ZREM', p .. 'open', m)
  if pr then redis.call('SREM', p .. 'prq:' .. pr, m) end
  unbusy(pr, m)
  redis.call('EXPIRE', h, retention)
  if delivery then redis.call('EXPIRE', p .. 'delivery:' .. delivery, retention) end
end
-- A lease that ran out means its process died or lost Redis for longer than the lease: requeue the job.
local function requeue_expired(ms)
  local n = 0
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', p .. 'running', '-inf', ms)) do
    redis.call('ZREM', p .. 'running', m)
    local h = job(m)
    local state, pr, due = unpack(redis.call('HMGET', h, 'state', 'pr_key', 'next_attempt_at'))
    if state == 'running' then
      redis.call('HSET', h, 'state', 'queued', 'owner', '')
      enqueue(m, pr, due)
      unbusy(pr, m)
      n = n + 1
    end
  end
  return n
end
"""

# ARGV: prefix, delivery, pr_key, installation, head_sha, reason, request, now, nonce, retention
SUBMIT = (
    _PRELUDE
    + """
local dkey = p .. 'delivery:' .. ARGV[2]
local seen = redis.call('GET', dkey)
if seen then
  -- The same call retried after a dropped connection is still the first submit, not a duplicate.
  if redis.call('HGET', job(seen), 'nonce') == ARGV[9] then return 1 end
  return 0
end
local m = string.format('%012d', redis.call('INCR', p .. 'seq'))
redis.call('HSET', job(m), 'delivery_id', ARGV[2], 'pr_key', ARGV[3], 'installation_id', ARGV[4],
  'head_sha', ARGV[5], 'reason', ARGV[6], 'request', ARGV[7], 'state', 'queued', 'attempts', 0,
  'next_attempt_at', ARGV[8], 'created_at', ARGV[8], 'nonce', ARGV[9])
redis.call('SET', dkey, m)
redis.call('ZADD', p .. 'open', ARGV[8], m)
-- A push makes pending reviews of older heads pointless; a recheck or a command was asked for by a person,
-- so it stays.
if ARGV[6] ~= 'recheck' and ARGV[6] ~= 'command' then
  for _, other in ipairs(redis.call('SMEMBERS', p .. 'prq:' .. ARGV[3])) do
    local reason, sha = unpack(redis.call('HMGET', job(other), 'reason', 'head_sha'))
    if reason ~= 'recheck' and reason ~= 'command' and sha ~= ARGV[5] then
      redis.call('HSET', job(other), 'state', 'superseded', 'finished_at', ARGV[8])
      close(other, ARGV[10])
    end
  end
end
enqueue(m, ARGV[3], ARGV[8])
return 1
"""
)

# ARGV: prefix, now, owner, lease_ms, nonce, started_before (trim)
CLAIM = (
    _PRELUDE
    + """
local ms = clock_ms()
local token = p .. 'claim:' .. ARGV[5]
local prior = redis.call('GET', token)
if prior then
  local state, owner = unpack(redis.call('HMGET', job(prior), 'state', 'owner'))
  if state == 'running' and owner == ARGV[3] then return {prior, unpack(redis.call('HGETALL', job(prior)))} end
  return false
end
requeue_expired(ms)
redis.call('ZREMRANGEBYSCORE', p .. 'started', '-inf', '(' .. ARGV[6])
local offset = 0
while true do
  local due = redis.call('ZRANGEBYSCORE', p .. 'queued', '-inf', ARGV[2], 'LIMIT', offset, 100)
  if #due == 0 then return false end
  local vanished = 0
  for _, m in ipairs(due) do
    local h = job(m)
    local pr, installation = unpack(redis.call('HMGET', h, 'pr_key', 'installation_id'))
    if not pr then
      -- Someone deleted the record by hand: drop the dangling index entries instead of looping on them.
      redis.call('ZREM', p .. 'queued', m)
      redis.call('ZREM', p .. 'open', m)
      vanished = vanished + 1
    elseif redis.call('HEXISTS', p .. 'busy', pr) == 0 then
      redis.call('ZREM', p .. 'queued', m)
      redis.call('SREM', p .. 'prq:' .. pr, m)
      redis.call('HSET', p .. 'busy', pr, m)
      redis.call('ZADD', p .. 'running', ms + tonumber(ARGV[4]), m)
      redis.call('HINCRBY', h, 'attempts', 1)
      redis.call('HSET', h, 'state', 'running', 'owner', ARGV[3])
      if redis.call('HEXISTS', h, 'started_at') == 0 then
        redis.call('HSET', h, 'started_at', ARGV[2])
        redis.call('ZADD', p .. 'started', ARGV[2], m .. ':' .. installation)
      end
      redis.call('SET', token, m, 'PX', ARGV[4])
      return {m, unpack(redis.call('HGETALL', h))}
    end
  end
  offset = offset + #due - vanished
end
"""
)

# ARGV: prefix, member, owner, op (finish|retry|release|skip), now, error ('' = keep), next_attempt_at,
#       retention, final state (for finish)
SETTLE = (
    _PRELUDE
    + """
local m, op = ARGV[2], ARGV[4]
local h = job(m)
local state, owner, pr, attempts = unpack(redis.call('HMGET', h, 'state', 'owner', 'pr_key', 'attempts'))
local target = 'queued'
if op == 'finish' then target = ARGV[9] elseif op == 'skip' then target = 'failed' end
-- Fenced by owner: a process whose lease ran out must not overwrite the job another process now runs.
if owner ~= ARGV[3] then return 0 end
if state ~= 'running' then
  if state == target then return 1 end
  return 0
end
redis.call('ZREM', p .. 'running', m)
unbusy(pr, m)
local uncounted = math.max(tonumber(attempts) - 1, 0)
if op == 'retry' then
  redis.call('HSET', h, 'state', 'queued', 'next_attempt_at', ARGV[7], 'last_error', ARGV[6])
  enqueue(m, pr, ARGV[7])
elseif op == 'release' then
  redis.call('HSET', h, 'state', 'queued', 'attempts', uncounted)
  enqueue(m, pr, redis.call('HGET', h, 'next_attempt_at'))
else
  redis.call('HSET', h, 'state', target, 'finished_at', ARGV[5])
  if ARGV[6] ~= '' then redis.call('HSET', h, 'last_error', ARGV[6]) end
  if op == 'skip' then
    -- Not counted as started, so a refused review does not use up the installation's hourly budget.
    local installation = redis.call('HGET', h, 'installation_id')
    redis.call('ZREM', p .. 'started', m .. ':' .. installation)
    redis.call('HDEL', h, 'started_at')
    redis.call('HSET', h, 'attempts', uncounted)
  end
  close(m, ARGV[8])
end
return 1
"""
)

# ARGV: prefix, owner, lease_ms, member...; returns the members whose lease this owner has lost.
RENEW = (
    _PRELUDE
    + """
local expiry = clock_ms() + tonumber(ARGV[3])
local lost = {}
for i = 4, #ARGV do
  local m = ARGV[i]
  local state, owner = unpack(redis.call('HMGET', job(m), 'state', 'owner'))
  if state == 'running' and owner == ARGV[2] then
    redis.call('ZADD', p .. 'running', expiry, m)
  else
    table.insert(lost, m)
  end
end
return lost
"""
)

# ARGV: prefix
RECOVER = _PRELUDE + "\nreturn requeue_expired(clock_ms())\n"

SCRIPTS = {"submit": SUBMIT, "claim": CLAIM, "settle": SETTLE, "renew": RENEW, "recover": RECOVER}
