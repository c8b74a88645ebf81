-- Open+close pairs of mmap sessions: each response to an open queues its session id, and the next
-- request closes the oldest queued one; otherwise it opens a new session on $WRK_MAP.
local open_path = "/api/v1/maps/" .. (os.getenv("WRK_MAP") or "none") .. "/sessions"
local open_body = '{"access":"' .. (os.getenv("WRK_ACCESS") or "READ_ONLY") .. '","ttlSeconds":60}'
local open_headers = { ["Content-Type"] = "application/json" }
local queued = {}

function request()
  local sid = table.remove(queued, 1)
  if sid then
    return wrk.format("DELETE", "/api/v1/sessions/" .. sid)
  end
  return wrk.format("POST", open_path, open_headers, open_body)
end

function response(status, headers, body)
  if status == 201 then
    local sid = body:match('"id"%s*:%s*"([^"]+)"')
    if sid then table.insert(queued, sid) end
  end
end
