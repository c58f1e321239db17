import pytest

from tests.factories import (
    ApplicationFactory,
    GrantRoundFactory,
    OrganisationFactory,
    PanelMemberFactory,
    applicant_for,
)
from vru.models import Role


@pytest.fixture
def grant_round(partnership):
    return GrantRoundFactory(partnership=partnership)


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.GRANTS_OFFICER)


@pytest.fixture
def organisation(partnership):
    return OrganisationFactory(partnership=partnership)


@pytest.fixture
def applicant(organisation):
    return applicant_for(organisation)


@pytest.fixture
def draft(grant_round, organisation, applicant):
    return ApplicationFactory(
        grant_round=grant_round, organisation=organisation, created_by=applicant
    )


@pytest.fixture
def panel(partnership):
    return PanelMemberFactory.create_batch(3, partnership=partnership)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Decision letters and attachments are written under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
