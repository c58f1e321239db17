"""The caseload's filter panel shows what was asked for: the chosen programme, statuses,
source, reason and contact target stay chosen after "Apply filters", and only the viewer's
own programmes are offered (their names escaped)."""

import pytest
from django.urls import reverse

from tests.factories import ProgrammeFactory, programme_staff

pytestmark = pytest.mark.django_db

CASELOAD = reverse("programmes:caseload")


def test_the_panel_keeps_each_choice_and_offers_only_the_viewers_programmes(client, partnership):
    mine = ProgrammeFactory(partnership=partnership, name="Knife <crime> & us")
    ProgrammeFactory(partnership=partnership, name="Somebody else's")
    practitioner = programme_staff(mine, "practitioner")
    client.force_login(practitioner)

    html = client.get(
        CASELOAD,
        {
            "programme": mine.pk,
            "status": ["received", "closed"],
            "source": "custody",
            "reason": "knife",
            "breached": "false",
        },
    ).content.decode()

    assert f'<option value="{mine.pk}" selected>Knife &lt;crime&gt; &amp; us</option>' in html
    assert "Somebody else" not in html
    assert 'id="status_received" name="status" type="checkbox" value="received" checked>' in html
    assert 'id="status_closed" name="status" type="checkbox" value="closed" checked>' in html
    assert 'id="status_contacted" name="status" type="checkbox" value="contacted">' in html
    assert '<option value="custody" selected>' in html
    assert '<option value="knife" selected>' in html
    assert '<option value="false" selected>Met or still open</option>' in html
    assert '<option value="true">Missed</option>' in html


def test_nothing_chosen_leaves_every_choice_open(client, partnership):
    practitioner = programme_staff(ProgrammeFactory(partnership=partnership), "practitioner")
    client.force_login(practitioner)

    html = client.get(CASELOAD).content.decode()

    assert " selected>" not in html.split('id="caseload-filters"', 1)[1].split("</form>")[0]
    assert " checked>" not in html
