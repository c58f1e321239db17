"""Django's Redis cache, which keeps the site up when Redis is not.

The cache holds nothing of record (sessions live in the database: vru.sessions): only
counters and markers that may be lost, namely allauth's sign-in and password-reset rate
limits, the authenticator-app codes already used (a code works once), and the API's
per-user request rate (a sliding window counted atomically on Redis: vru.ratelimit). With Django's own backend, Redis being down or unreachable turned
every page that touches these into a 500, sign-in included.

Here a Redis error (refused, timed out, reset) sends the call, and every call for the next
``RETRY_AFTER`` seconds, to a memory cache in the process instead, then Redis is tried again.
While Redis is down the counters are per process (each web worker counts on its own, so a
rate limit lets through up to workers x limit; django-axes's lockout, in the database, is
unaffected) and are lost when Redis returns. The outage is logged once, and its end.

Connections give up quickly (short socket timeouts, one immediate retry instead of
redis-py's backoff of several tenths of a second; ``OPTIONS`` in settings override them).
See docs/performance.md, "When Redis is down".
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds of memory cache after a Redis error, before trying Redis again
# per process, whichever thread noticed: one slow call per outage window, not one per thread
_down_until: dict[str, float] = {}


def _fail_fast_options(options: dict) -> dict:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_connect_timeout": 0.25,
        "socket_timeout": 0.5,
        "retry": Retry(NoBackoff(), 1),
        **options,
    }


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._options = _fail_fast_options(self._options)
        self._where = server if isinstance(server, str) else ",".join(server)
        self._fallback = LocMemCache(
            f"vru-redis-fallback:{self._where}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "KEY_PREFIX": params.get("KEY_PREFIX", "")},
        )

    def _run(self, name: str, *args, **kwargs):
        return self._redis_or_memory(
            lambda: getattr(DjangoRedisCache, name)(self, *args, **kwargs),
            lambda: getattr(self._fallback, name)(*args, **kwargs),
        )

    def _redis_or_memory(self, on_redis, on_memory):
        from redis.exceptions import RedisError

        if _down_until.get(self._where, 0.0) > time.monotonic():
            return on_memory()
        try:
            result = on_redis()
        except RedisError as error:
            if self._where not in _down_until:
                logger.warning(
                    "Redis cache unreachable (%s): using a memory cache per process "
                    "until it answers again (rate limits count per process meanwhile).",
                    error,
                )
            _down_until[self._where] = time.monotonic() + RETRY_AFTER
            return on_memory()
        if self._where in _down_until:
            del _down_until[self._where]
            logger.warning("Redis cache answering again.")
        return result

    def rate_limit_hit(self, key: str, *, limit: int, window: float):
        """Count a request in ``key``'s sliding window (vru.ratelimit): atomically on Redis,
        or in this process's memory while Redis is unreachable."""
        from vru import ratelimit

        key = self.make_key(key)
        return self._redis_or_memory(
            lambda: ratelimit.redis_hit(
                self._cache.get_client(key, write=True), key, limit=limit, window=window
            ),
            lambda: ratelimit.memory.hit(key, limit=limit, window=window),
        )

    def add(self, *args, **kwargs):
        return self._run("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._run("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._run("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._run("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._run("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._run("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._run("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._run("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._run("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._run("delete_many", *args, **kwargs)

    def clear(self):
        return self._run("clear")
