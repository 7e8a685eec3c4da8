-- Generic cell rate algorithm over several limits at once, with Redis's own clock so that
-- every gateway agrees on time. A request is let through only if every limit allows it, and
-- then counts against all of them; a refused request counts against none.
--
-- KEYS[i]        one key per limit
-- ARGV[2i-1]     emission interval of limit i in microseconds (period / limit)
-- ARGV[2i]       burst of limit i (the limit itself)
-- returns        { allowed (1|0), retry_after_us, remaining_1, reset_us_1, remaining_2, reset_us_2, ... }
redis.replicate_commands()
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local allowed = 1
local retry_after = 0
local next_tats = {}
local result = {}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then
    tat = now
  end
  local next_tat = tat + interval
  local allow_at = next_tat - burst * interval
  local remaining
  if now < allow_at then
    allowed = 0
    if allow_at - now > retry_after then
      retry_after = allow_at - now
    end
    remaining = 0
  else
    remaining = math.floor((now - allow_at) / interval)
  end
  next_tats[i] = next_tat
  result[2 * i - 1] = remaining
  result[2 * i] = tat - now
end
if allowed == 1 then
  for i = 1, #KEYS do
    redis.call('SET', KEYS[i], string.format('%.0f', next_tats[i]), 'PX', math.ceil((next_tats[i] - now) / 1000) + 1000)
    result[2 * i] = next_tats[i] - now
  end
end
local reply = { allowed, retry_after }
for i = 1, #result do
  reply[#reply + 1] = result[i]
end
return reply
