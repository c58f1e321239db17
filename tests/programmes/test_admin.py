"""The programme admin leads administrators to the one referral import (no second import
path through the admin)."""

import pytest

from tests.factories import ProgrammeFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


def test_a_programmes_admin_page_links_to_its_referral_import_which_chooses_it(
    client, partnership, user_with_role
):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    other = ProgrammeFactory(partnership=partnership, name="Detached Youth Work")
    administrator = user_with_role(Role.ADMINISTRATOR, is_staff=True)
    client.force_login(administrator)

    page = client.get(f"/admin/programmes/programme/{programme.pk}/change/").text
    link = f"/programmes/referrals/import/?programme={programme.pk}"
    assert link in page.replace("&amp;", "&")

    form = client.get(link).text
    assert f'<option value="{programme.pk}" selected>ReRoute</option>' in form
    assert f'<option value="{other.pk}">Detached Youth Work</option>' in form


def test_choosing_a_programme_the_viewer_does_not_manage_chooses_nothing(
    client, partnership, other_partnership, user_with_role
):
    theirs = ProgrammeFactory(partnership=other_partnership, name="Elsewhere")
    ProgrammeFactory(partnership=partnership, name="ReRoute")
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    form = client.get(f"/programmes/referrals/import/?programme={theirs.pk}").text

    assert "Elsewhere" not in form
    assert " selected>" not in form
