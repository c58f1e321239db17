"""The API's request rate holds when requests arrive together: however many threads fire
at once, no more than the limit are let through in the window, on Redis and, with Redis
unreachable, in memory per process (logged)."""

import logging
import socket
import threading

import pytest
from django.core.cache import caches

from vru import cache as vru_cache
from vru import ratelimit

LIMIT = 50
THREADS = 16
EACH = 20  # 320 attempts in all, far past the limit


def _fire(key: str, limit: int = LIMIT, window: float = 60) -> int:
    """THREADS threads released together, each trying EACH times: how many were allowed."""
    start = threading.Barrier(THREADS)
    allowed = []
    lock = threading.Lock()

    def worker():
        start.wait()
        mine = sum(ratelimit.hit(key, limit=limit, window=window).allowed for _ in range(EACH))
        with lock:
            allowed.append(mine)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(allowed)


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not _redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "vru.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": "vru-throttle-test",
        }
    }
    vru_cache._down_until.clear()
    caches["default"].delete("throttle-concurrent")
    yield caches["default"]
    caches["default"].delete("throttle-concurrent")


@pytest.fixture
def redis_down(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {"BACKEND": "vru.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    vru_cache._down_until.clear()
    ratelimit.memory.clear()
    yield
    vru_cache._down_until.clear()
    ratelimit.memory.clear()


def test_concurrent_requests_never_pass_the_limit_on_redis(redis_cache):
    assert _fire("throttle-concurrent") == LIMIT


def test_concurrent_requests_never_pass_the_limit_in_memory(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ratelimit.memory.clear()

    assert _fire("throttle-concurrent") == LIMIT


def test_with_redis_unreachable_the_limit_holds_per_process_and_it_is_logged(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="vru.cache"):
        allowed = _fire("throttle-concurrent")

    assert allowed == LIMIT
    assert "Redis cache unreachable" in caplog.text


def test_a_refused_request_says_how_long_to_wait(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ratelimit.memory.clear()
    ratelimit.hit("throttle-wait", limit=1, window=30)

    refused = ratelimit.hit("throttle-wait", limit=1, window=30)

    assert not refused.allowed
    assert 29 < refused.retry_after <= 30


def test_the_window_slides_on_redis(redis_cache):
    assert ratelimit.hit("throttle-concurrent", limit=1, window=0.3).allowed
    assert not ratelimit.hit("throttle-concurrent", limit=1, window=0.3).allowed

    import time

    time.sleep(0.35)

    assert ratelimit.hit("throttle-concurrent", limit=1, window=0.3).allowed
