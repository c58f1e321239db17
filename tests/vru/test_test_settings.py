"""The test settings themselves: on PostgreSQL each run, and each pytest-xdist worker of a run,
has a database of its own (runs on one server never drop each other's), a kept database is
never one migrated by other migrations, each test process empties only its own cache keys on
Redis, and the tests that need PostgreSQL recognise it whatever the backend's module is called
(vru.postgresql wraps Django's)."""

import os
import re

import environ
import pytest
from django.conf import settings
from django.db import connection

from tests import databases
from tests.conftest import _clear_cache

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL runs only")


@on_postgresql
@pytest.mark.django_db
def test_each_run_and_each_worker_has_its_own_test_database():
    name = connection.settings_dict["NAME"]  # the database the tests are connected to
    base = environ.Env().db("DATABASE_URL")["NAME"]  # settings now name the test database
    kept = databases.kept_prefix(base) + databases.migrations_fingerprint()
    run = rf"(test_{base}_\d+|{kept})"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    assert re.fullmatch(rf"{run}_{worker}" if worker else run, name), name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        assert cursor.fetchone()[0] == name


@on_postgresql
def test_the_worker_tests_find_their_database_on_postgresql():
    from tests.vru.test_worker import _database_url_for_worker

    try:
        url = _database_url_for_worker()
    except pytest.skip.Exception:  # a skip here would silently skip every worker test
        pytest.fail("The worker tests would skip on PostgreSQL.")
    assert url.startswith("postgres://")


def test_a_run_that_keeps_its_database_names_it_after_its_checkout_and_migrations(tmp_path):
    fresh, no_lock = databases.plan("vru", reuse=False, pid=4242, lock_dir=tmp_path)
    kept, lock = databases.plan("vru", reuse=True, pid=4242, lock_dir=tmp_path)
    try:
        assert fresh == databases.Plan(name="test_vru_4242", keep=False)
        assert no_lock is None
        tag, fingerprint = databases.checkout_tag(), databases.migrations_fingerprint()
        assert kept == databases.Plan(name=f"test_vru_{tag}_m{fingerprint}", keep=True)
    finally:
        lock.close()


def test_a_second_run_of_the_same_checkout_meanwhile_gets_a_fresh_database(tmp_path):
    first, lock = databases.plan("vru", reuse=True, pid=1, lock_dir=tmp_path)
    try:
        second, none = databases.plan("vru", reuse=True, pid=2, lock_dir=tmp_path)
        assert first.keep
        assert second == databases.Plan(name="test_vru_2", keep=False)
        assert none is None
    finally:
        lock.close()
    third, lock = databases.plan("vru", reuse=True, pid=3, lock_dir=tmp_path)
    lock.close()
    assert third == first  # once the first run is over, the kept database is used again


def test_a_changed_added_or_renamed_migration_changes_the_kept_databases_name(tmp_path):
    migrations = tmp_path / "grants" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "0001_initial.py").write_text("operations = []\n")
    before = databases.migrations_fingerprint(tmp_path)

    (migrations / "0001_initial.py").write_text("operations = ['changed']\n")
    changed = databases.migrations_fingerprint(tmp_path)
    (migrations / "0002_more.py").write_text("operations = []\n")
    added = databases.migrations_fingerprint(tmp_path)
    (migrations / "0002_more.py").rename(migrations / "0003_more.py")
    renamed = databases.migrations_fingerprint(tmp_path)

    assert len({before, changed, added, renamed}) == 4


def test_a_new_apps_migrations_change_the_kept_databases_name_too(tmp_path):
    (tmp_path / "grants" / "migrations").mkdir(parents=True)
    (tmp_path / "grants" / "migrations" / "0001_initial.py").write_text("operations = []\n")
    before = databases.migrations_fingerprint(tmp_path)

    (tmp_path / "newapp" / "migrations").mkdir(parents=True)
    (tmp_path / "newapp" / "migrations" / "0001_initial.py").write_text("operations = []\n")

    assert databases.migrations_fingerprint(tmp_path) != before


def test_only_this_checkouts_databases_for_other_migrations_are_stale():
    current = databases.Plan(name=databases.kept_prefix("vru") + "aaaa1111", keep=True)
    older = databases.kept_prefix("vru") + "bbbb2222"
    existing = [
        current.name,
        f"{current.name}_gw0",
        older,
        f"{older}_gw1",
        "test_vru_12345_gw0",  # a fresh database of a run going on right now
        "test_vru_0123abcd_mbbbb2222",  # another checkout's
        "vru",
    ]

    assert databases.stale(existing, current, "vru") == [older, f"{older}_gw1"]


@pytest.mark.skipif(not settings.REDIS_URL, reason="the cache is Redis only with REDIS_URL")
def test_a_test_empties_only_its_own_processes_cache_keys_on_redis():
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    other = "test-another-run:1:rate"  # another xdist worker's, or another run's
    client.set(other, "1", ex=60)
    cache.set("rate", 1)
    try:
        _clear_cache()

        assert cache.get("rate") is None
        assert client.get(other) == b"1"
    finally:
        client.delete(other)
