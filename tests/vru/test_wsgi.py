"""A web worker builds the URL map, importing every page's code, as it imports vru.wsgi
(before its first request), and touches no database doing so."""

import importlib
import sys

import pytest
from django.urls import clear_url_caches, get_resolver


@pytest.fixture
def fresh_url_map():
    """No URL map built yet, and vru.wsgi not yet imported, as in a worker starting."""
    imported = sys.modules.pop("vru.wsgi", None)
    clear_url_caches()
    yield get_resolver()
    clear_url_caches()
    if imported is not None:
        sys.modules["vru.wsgi"] = imported


def test_importing_the_wsgi_module_builds_the_url_map_without_the_database(
    fresh_url_map, django_db_blocker
):
    # given
    assert not fresh_url_map._populated

    # when (any use of the database raises here)
    with django_db_blocker.block():
        wsgi = importlib.import_module("vru.wsgi")

    # then the map is built, every app's part of it too, with no request served
    assert callable(wsgi.application)
    assert get_resolver() is fresh_url_map
    assert fresh_url_map._populated
    parts = {name: resolver for name, (_, resolver) in fresh_url_map.namespace_dict.items()}
    assert {"vru", "programmes", "grants", "evaluation", "admin", "api"} <= set(parts)
    assert all(resolver._populated for resolver in parts.values())
    assert fresh_url_map.resolve("/risk/").view_name == "vru:risk_map"
