"""Fixtures shared by every test: partnerships, users with roles, an API client; and which
test database and cache keys each run (and each pytest-xdist worker) uses.

Factories live in tests/factories.py (plain module); fixtures here only wire them up.
"""

import os

import pytest
from rest_framework.test import APIClient

from tests import databases
from tests.factories import PartnershipFactory, UserFactory

_PLAN = pytest.StashKey[databases.Plan | None]()
_LOCK = pytest.StashKey[object]()


# --- Test databases (tests/databases.py says which, and why) -------------------------------


def pytest_configure(config):
    if hasattr(config, "workerinput"):  # an xdist worker: the run that started it chose
        return
    from django.conf import settings

    default = settings.DATABASES["default"]
    if not databases.is_postgresql(default):
        config.stash[_PLAN] = None
        return
    chosen, lock = databases.plan(
        default["NAME"], reuse=bool(config.getoption("reuse_db")), pid=os.getpid()
    )
    config.stash[_PLAN], config.stash[_LOCK] = chosen, lock  # the lock lives as long as the run
    if chosen.keep:
        databases.drop_stale(default, chosen)
    databases.ensure_template(default, databases.template_of(chosen))


def pytest_unconfigure(config):
    chosen = None if hasattr(config, "workerinput") else config.stash.get(_PLAN, None)
    if chosen is not None and not chosen.keep:
        from django.conf import settings

        databases.drop(settings.DATABASES["default"], databases.template_of(chosen))


def pytest_collection_modifyitems(items):
    """The slow tests and the browser tests first, in their modules' order: started last, a
    benchmark of a minute or two kept one worker busy while the other had nothing left to do
    (the order is the same in every xdist worker, as it must be)."""
    items.sort(
        key=lambda item: (
            not item.get_closest_marker("slow") and not item.get_closest_marker("browser")
        )
    )


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Every xdist worker of this run is told the run's database name (it adds its _gwN)."""
    chosen = node.config.stash.get(_PLAN, None)
    node.workerinput["vru_test_database"] = chosen and {"name": chosen.name, "keep": chosen.keep}


def _plan(config) -> databases.Plan | None:
    if hasattr(config, "workerinput"):
        chosen = config.workerinput.get("vru_test_database")
        return chosen and databases.Plan(**chosen)
    return config.stash.get(_PLAN, None)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request):
    chosen = _plan(request.config)
    if chosen is not None:
        from django.conf import settings

        test = settings.DATABASES["default"].setdefault("TEST", {})
        test["NAME"] = chosen.name
        test["TEMPLATE"] = databases.template_of(chosen)  # copied, not migrated again
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")  # _gw0, _gw1 ...


@pytest.fixture(scope="session")
def database_template(request) -> str | None:
    """The run's migrated template database (PostgreSQL), which benchmarks may copy too."""
    chosen = _plan(request.config)
    return chosen and databases.template_of(chosen)


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """--reuse-db keeps the database, unless another run of this checkout holds it."""
    chosen = _plan(request.config)
    return bool(request.config.getoption("reuse_db")) and (chosen is None or chosen.keep)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker, django_db_keepdb):
    """A kept database starts empty: a run stopped in the middle of a test that commits (a
    browser test, say) leaves that test's rows behind, which the next run would find."""
    chosen = _plan(request.config)
    if django_db_keepdb and chosen is not None and chosen.keep:
        from django.core.management import call_command

        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
    return


# --- Records and users ----------------------------------------------------------------------


@pytest.fixture
def partnership():
    return PartnershipFactory(
        name="Essex Violence and Vulnerability Partnership",
        short_name="Essex VVP",
        slug="essex-test",
    )


@pytest.fixture
def other_partnership():
    return PartnershipFactory(
        name="Bedfordshire Violence and Exploitation Reduction Unit",
        short_name="Bedfordshire VERU",
        slug="bedfordshire-test",
    )


@pytest.fixture
def user_with_role(partnership):
    """Make a user holding the given roles, in `partnership` unless told otherwise."""

    def make(*roles, **kwargs):
        kwargs.setdefault("partnership", partnership)
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def api_client():
    return APIClient()


def _clear_cache():
    """Empty this process's cache. On Redis only this process's keys go (test settings give
    each test process a key prefix of its own): the server is shared with the Celery broker,
    other xdist workers and other runs, whose keys a FLUSHDB would take with it."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from vru import ratelimit

    ratelimit.memory.clear()  # the API's rate, counted in memory without Redis
    cache = caches["default"]
    if isinstance(cache, RedisCache) and cache.key_prefix:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache (or, for the API's, in memory without Redis):
    every test starts with none."""
    _clear_cache()
    yield
    _clear_cache()
