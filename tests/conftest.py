"""Fixtures shared by every test: partnerships, users with roles, an API client.

Factories live in tests/factories.py (plain module); fixtures here only wire them up.
"""

import pytest
from rest_framework.test import APIClient

from tests.factories import PartnershipFactory, UserFactory


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
