"""A module's shared world (tests/shared_world.py): every test starts from the world as it
was built, whatever the tests before it wrote to the database or changed in memory.

Each test below first checks the world is as built, then changes it both ways: whichever
runs second fails if the first one's change reached it.
"""

from dataclasses import dataclass

import pytest

from tests import shared_world
from tests.factories import UserFactory
from vru.models import Partnership, Role, User

pytestmark = pytest.mark.django_db


@dataclass
class World:
    user: object


def _build(partnership, other_partnership):
    return World(user=UserFactory(partnership=partnership, username="built", roles=[Role.ANALYST]))


shared = shared_world.fixture(_build)
shared_copy, world, partnership, other_partnership = shared_world.copies()


def _is_as_built(world, partnership):
    assert world.user.username == "built"
    assert User.objects.get(pk=world.user.pk).username == "built"
    assert User.objects.filter(partnership=partnership).count() == 1
    assert partnership.name == "Essex Violence and Vulnerability Partnership"
    assert world.user.partnership is partnership  # one copy: they refer to one another


def _change(world, partnership, user_with_role):
    world.user.username = "changed"
    world.user.save()
    partnership.name = "Changed"
    user_with_role(Role.ANALYST)


def test_one_test_changes_the_world(world, partnership, user_with_role):
    _is_as_built(world, partnership)
    _change(world, partnership, user_with_role)


def test_another_test_changes_the_world_too(world, partnership, user_with_role):
    _is_as_built(world, partnership)
    _change(world, partnership, user_with_role)


def test_the_world_owns_the_conftest_partnerships(partnership, other_partnership):
    assert partnership.slug == "essex-test"
    assert other_partnership.slug == "bedfordshire-test"
    assert set(Partnership.objects.values_list("slug", flat=True)) >= {
        "essex-test",
        "bedfordshire-test",
    }
