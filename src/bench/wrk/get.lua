-- GET $WRK_PATH; every "{i}" in it becomes a random integer in [0, $WRK_RANGE) times $WRK_SCALE, so that
-- a load spreads over the whole map instead of one hot element. Paths without "{i}" cost the same Lua.
local template = os.getenv("WRK_PATH") or "/"
local range = tonumber(os.getenv("WRK_RANGE") or "1")
local scale = tonumber(os.getenv("WRK_SCALE") or "1")

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or 1)
end

function request()
  local path = template:gsub("{i}", function() return tostring(math.random(0, range - 1) * scale) end)
  return wrk.format("GET", path)
end
