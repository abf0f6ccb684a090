-- One server-function call, again and again, as the cookie's owner. With BENCH_KEY every call
-- after the first is a retry answered from the idempotency store; without it each one runs.
wrk.method = "POST"
wrk.body = ""
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
local key = os.getenv("BENCH_KEY")
if key and key ~= "" then
  wrk.headers["Idempotency-Key"] = key
end
