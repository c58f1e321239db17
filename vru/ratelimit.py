"""A request rate that holds when many requests arrive at once: the API's throttle.

DRF's own throttle reads a key's history from the cache, appends to it and writes it back:
two requests arriving together both read the same history and both pass, so a client
firing in parallel gets past the limit (one user got 647 answers in 30 s against 600 a
minute). Here each request is one step that counts and decides together:

- on Redis, a sliding window kept as a sorted set of request times, trimmed, counted and
  added to by one Lua script (atomic: Redis runs a script alone), on Redis's own clock so
  every web server counts alike;
- in memory (no Redis configured, or Redis unreachable: vru.cache), the same window per
  process behind a lock. While Redis is down each process counts on its own, so the limit
  holds per process (workers x limit in all), and the outage is logged.
"""

import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass

# KEYS[1] the window; ARGV: window (ms), limit, a member unique to this request.
# Returns {1, 0} when counted, {0, ms until the oldest request leaves the window} when not.
SLIDING_WINDOW = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float  # seconds until a request would be counted again (0 when allowed)


def redis_hit(client, key: str, *, limit: int, window: float) -> Decision:
    """Count a request in ``key``'s window on Redis, unless ``limit`` are already in it."""
    allowed, wait_ms = client.eval(
        SLIDING_WINDOW, 1, key, int(window * 1000), limit, uuid.uuid4().hex
    )
    return Decision(bool(allowed), max(0.0, int(wait_ms) / 1000))


class MemoryWindow:
    """The same sliding window in this process's memory, one lock for all keys (a hit is a
    few list operations: the lock is held for microseconds)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._hits: dict[str, deque] = {}

    def hit(self, key: str, *, limit: int, window: float) -> Decision:
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) < limit:
                hits.append(now)
                return Decision(True, 0.0)
            if len(self._hits) > 10_000:  # forget idle keys now and then
                self._forget_idle(now, window)
            return Decision(False, hits[0] + window - now)

    def _forget_idle(self, now: float, window: float) -> None:
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - window]:
            del self._hits[key]

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()


memory = MemoryWindow()


def hit(key: str, *, limit: int, window: float) -> Decision:
    """Count a request against ``limit`` per ``window`` seconds for ``key``: on the
    default cache's Redis when there is one (falling back to memory while it is
    unreachable: vru.cache.RedisCache.rate_limit_hit), in this process's memory otherwise."""
    from django.core.cache import caches

    cache = caches["default"]
    if hasattr(cache, "rate_limit_hit"):
        return cache.rate_limit_hit(key, limit=limit, window=window)
    return memory.hit(cache.make_key(key), limit=limit, window=window)
