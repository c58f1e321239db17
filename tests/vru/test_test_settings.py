"""The test settings themselves: on PostgreSQL each run has a database of its own (runs on
one server never drop each other's), and the tests that need PostgreSQL recognise it
whatever the backend's module is called (vru.postgresql wraps Django's)."""

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL runs only")


def test_each_run_has_its_own_test_database():
    assert connection.settings_dict["TEST"]["NAME"].endswith(f"_{os.getpid()}")


def test_the_worker_tests_find_their_database_on_postgresql():
    from tests.vru.test_worker import _database_url_for_worker

    try:
        url = _database_url_for_worker()
    except pytest.skip.Exception:  # a skip here would silently skip every worker test
        pytest.fail("The worker tests would skip on PostgreSQL.")
    assert url.startswith("postgres://")
