"""A module's world, built once per module (per test process) as Django's setUpTestData does,
for the permission matrices whose hundreds of tests all start from the same records.

The world is written in a transaction opened when the module's first test starts and rolled
back after its last one. Each test still runs in its own savepoint (pytest-django's `db`),
rolled back after it, so what a test writes never reaches the next one; and each test gets
its own deep copy of the world's objects, so what it changes in memory does not either.

The module's world makes its own two partnerships, and the module's `partnership`,
`other_partnership` and `world` fixtures hand each test its copies of them (so
`user_with_role` makes its users in the world's partnership):

    shared = shared_world.fixture(_build)  # _build(partnership, other_partnership) -> world
    shared_copy, world, partnership, other_partnership = shared_world.copies()

The world must not rely on the cache (emptied before every test) nor on what runs once a
transaction commits (it never does). A module with a test that commits (transaction=True)
cannot have one: that test would run, and flush the database, inside the module's transaction.
"""

import copy
from dataclasses import dataclass

import pytest

from tests.demo_rows import rolled_back
from tests.factories import PartnershipFactory


@dataclass
class Shared:
    partnership: object
    other_partnership: object
    world: object


def _partnerships():
    """The two partnerships of tests/conftest.py's fixtures, with their names and slugs."""
    return (
        PartnershipFactory(
            name="Essex Violence and Vulnerability Partnership",
            short_name="Essex VVP",
            slug="essex-test",
        ),
        PartnershipFactory(
            name="Bedfordshire Violence and Exploitation Reduction Unit",
            short_name="Bedfordshire VERU",
            slug="bedfordshire-test",
        ),
    )


def _no_test_commits(request):
    """The module's transaction stays open from its first test to its last: a test of the
    module that commits would run, and flush the database, inside it."""
    for item in request.session.items:
        if getattr(item, "module", None) is not request.module:
            continue
        marker = item.get_closest_marker("django_db")
        kwargs = marker.kwargs if marker is not None else {}
        if kwargs.get("transaction") or kwargs.get("serialized_rollback"):
            pytest.fail(f"{item.nodeid} commits: move it out of this module's shared world")


def fixture(build):
    """The module-scoped fixture `shared`: the two partnerships and build(them)."""

    @pytest.fixture(scope="module", name="shared")
    def shared(request, django_db_setup, django_db_blocker):
        _no_test_commits(request)
        with django_db_blocker.unblock():
            kept = rolled_back()
            kept.__enter__()
            try:
                partnership, other_partnership = _partnerships()
                made = Shared(partnership, other_partnership, build(partnership, other_partnership))
            except BaseException as error:
                kept.__exit__(type(error), error, error.__traceback__)
                raise
        try:
            yield made
        finally:
            with django_db_blocker.unblock():
                kept.__exit__(None, None, None)

    return shared


def copies():
    """The function-scoped fixtures `world`, `partnership` and `other_partnership`: this
    test's deep copy of the shared ones (one copy, so they refer to one another)."""

    @pytest.fixture(name="shared_copy")
    def shared_copy(db, shared):
        return copy.deepcopy(shared)

    @pytest.fixture(name="world")
    def world(shared_copy):
        return shared_copy.world

    @pytest.fixture(name="partnership")
    def partnership(shared_copy):
        return shared_copy.partnership

    @pytest.fixture(name="other_partnership")
    def other_partnership(shared_copy):
        return shared_copy.other_partnership

    return shared_copy, world, partnership, other_partnership
