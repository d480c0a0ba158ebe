-- wrk script: sends pre-signed distinct requests (one per line of $SIGV4_BENCH_REQUESTS: path TAB
-- x-amz-date TAB authorization), each once per wrk thread's share, so a replay check accepts them all.
local requests = {}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = os.getenv("SIGV4_BENCH_REQUESTS")
  local n = tonumber(os.getenv("SIGV4_BENCH_THREADS"))
  local i = 0
  for line in io.lines(file) do
    if i % n == id then
      local p, d, a = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
      table.insert(requests, wrk.format("GET", p, { ["Host"] = "api.bench.test", ["X-Amz-Date"] = d, ["Authorization"] = a }))
    end
    i = i + 1
  end
end

function request()
  counter = counter + 1
  if counter > #requests then counter = 1 end  -- wrapped: a replay check refuses these (counted as non-2xx)
  return requests[counter]
end
