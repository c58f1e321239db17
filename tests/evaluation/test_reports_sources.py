"""Each headline figure traces to its records: on the web page it links to the table it was
computed from (for everyone) and, for staff who may open casework, to the list it was
counted from; the PDF's "About these figures" says where each headline comes from."""

import datetime
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from pypdf import PdfReader

from evaluation import services
from evaluation.models import ImpactReport
from tests.factories import ProgrammeFactory, ReferralFactory
from vru.models import Role

pytestmark = pytest.mark.django_db

D = datetime.date
HEADLINE_KEYS = {"grant_reach", "detached", "group_work", "referrals", "compliance", "diverted"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 12, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def programme(partnership):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    for _ in range(6):
        ReferralFactory(programme=programme)
    return programme


def built(actor, capture, **scope) -> ImpactReport:
    with capture(execute=True):
        report = services.request_impact_report(
            actor=actor, period_start=D(2026, 4, 1), period_end=D(2026, 6, 30), **scope
        )
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.READY, report.error
    return report


def sources(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure-source="([a-z_]+)">(.*?)</p>', page, re.S))


def test_each_headline_links_to_the_table_it_was_computed_from(
    client, user_with_role, programme, django_capture_on_commit_callbacks
):
    commissioner = user_with_role(Role.COMMISSIONER)
    report = built(commissioner, django_capture_on_commit_callbacks)
    client.force_login(commissioner)

    page = client.get(report.get_absolute_url()).text

    found = sources(page)
    assert set(found) >= HEADLINE_KEYS
    for key, text in found.items():
        (target,) = re.findall(r'href="#([a-z-]+)"', text)
        assert page.count(f'id="{target}"') == 1, (key, target)  # one table, found once
        assert "Computed from the table" in text
    assert "Referrals received, by programme" in found["referrals"]
    assert "Outcomes achieved in the period, by programme" in found["diverted"]


def test_a_commissioner_gets_no_link_into_casework(
    client, user_with_role, programme, django_capture_on_commit_callbacks
):
    commissioner = user_with_role(Role.COMMISSIONER)
    report = built(commissioner, django_capture_on_commit_callbacks)
    client.force_login(commissioner)

    page = client.get(report.get_absolute_url()).text

    assert "/programmes/caseload/" not in page
    assert "/programmes/sessions/" not in page
    assert "Counted from <a" not in page


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER])
def test_staff_who_see_casework_also_get_the_list_each_figure_came_from(
    client, user_with_role, programme, role, django_capture_on_commit_callbacks
):
    staff = user_with_role(role)
    report = built(
        staff, django_capture_on_commit_callbacks, scope="programme", programme=programme
    )
    client.force_login(staff)

    found = sources(client.get(report.get_absolute_url()).text)

    sessions = re.search(r'Counted from <a class="govuk-link" href="([^"]+)"', found["detached"])
    url = urlparse(sessions.group(1).replace("&amp;", "&"))
    assert url.path == "/programmes/sessions/"
    assert parse_qs(url.query) == {
        "kind": ["detached"],
        "held_from": ["2026-04-01"],
        "held_to": ["2026-06-30"],
        "programme": [str(programme.pk)],
    }
    assert "/programmes/sessions/?kind=group" in found["group_work"]
    assert f"/programmes/caseload/?programme={programme.pk}" in found["referrals"]
    assert "cannot be narrowed to the report&#x27;s period" in found["referrals"]
    # the list opens for them
    assert client.get(sessions.group(1).replace("&amp;", "&")).status_code == 200


def test_an_analyst_who_does_not_open_casework_gets_the_tables_only(
    client, user_with_role, programme, django_capture_on_commit_callbacks
):
    analyst = user_with_role(Role.ANALYST)
    report = built(analyst, django_capture_on_commit_callbacks)
    client.force_login(analyst)

    page = client.get(report.get_absolute_url()).text

    assert "Computed from the table" in page
    assert "/programmes/caseload/" not in page


def test_the_pdf_says_where_each_headline_figure_comes_from(
    client, user_with_role, programme, django_capture_on_commit_callbacks
):
    commissioner = user_with_role(Role.COMMISSIONER)
    report = built(commissioner, django_capture_on_commit_callbacks)
    client.force_login(commissioner)

    response = client.get(f"{report.get_absolute_url()}pdf/")
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    assert "Period: April to June 2026 (1 April 2026 to 30 June 2026)" in text
    assert "Where each headline figure comes from" in text
    for expected in [
        "Referral records with a referral date in the period",
        "Detached youth work sessions held in the period",
        "Community grant monitoring returns approved in the period",
        "Outcome records of the kind",
    ]:
        assert expected in text
