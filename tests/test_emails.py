"""Every e-mail the product sends, sent through its real service with realistic data.

Each is rendered from templates by vru.emails (a subject, a text body, an HTML alternative);
its links are absolute, on VRU_SITE_URL, and open a page of the product; and nothing that
identifies a young person (name, date of birth, address, postcode, phone, e-mail) nor what
they were referred for or what is known about them is in it. The e-mails about a young person
carry their pseudonymous reference and a link, as the bodies written in the services did.
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.urls import resolve
from django.utils import timezone

from evaluation import services as evaluation_services
from evaluation.models import SafeguardingContact
from grants import services as grants_services
from programmes import services as programme_services
from tests.evaluation.factories import ListeningExerciseFactory
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    GrantRoundFactory,
    PanelMemberFactory,
    ProgrammeFactory,
    UserFactory,
    programme_staff,
)
from vru import emails
from vru.models import Role

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[1]
SITE = "https://vru.example.org"

# Who the young person is and why they were referred: none of it may be in any e-mail.
YOUNG_PERSON = {
    "first_name": "Tallulah",
    "last_name": "Quixwood",
    "date_of_birth": datetime.date(2010, 2, 14),
    "address": "14 Larkspur Mews, Chelmsford",
    "postcode": "CM1 9ZZ",
    "phone": "07700 900456",
    "email": "tallulah.q@example.net",
    "reason": "drug_supply",
    "risk_factors": ["Carries a blade to school"],
    "protective_factors": ["Boxing club on Thursdays"],
}
NEVER_IN_AN_EMAIL = [
    "Tallulah",
    "Quixwood",
    "14 Larkspur Mews",
    "Larkspur",
    "CM1 9ZZ",
    "07700 900456",
    "tallulah.q@example.net",
    "2010-02-14",
    "14/02/2010",
    "14 Feb 2010",
    "14 February 2010",
    "Drug supply",
    "drug_supply",
    "Carries a blade",
    "Boxing club",
    "Lights by the station",  # a young person's words in a listening project
]


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.VRU_SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership, name="ReRoute")


def _refer(programme, *, hours_ago=2, actor=None, assigned_to=None):
    event_at = timezone.now() - datetime.timedelta(hours=hours_ago)
    return programme_services.referral_create(
        actor=actor,
        programme=programme,
        source="custody",
        event_at=event_at,
        referred_at=event_at + datetime.timedelta(minutes=30),
        assigned_to=assigned_to,
        **YOUNG_PERSON,
    )


# --- One scenario per e-mail: the product's own door to it -------------------------------


def referral_created(partnership, capture):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    manager = programme_staff(programme, "manager", email="manager@example.org")
    practitioner = programme_staff(programme, "practitioner", email="worker@example.org")
    referral = _refer(programme, actor=manager, assigned_to=practitioner)
    with capture(execute=True):
        programme_services.notices_sweep()  # the assignee's digest: one new referral
    return referral.young_person.reference


def breach_notification(partnership, capture):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    programme_staff(programme, "manager", email="manager@example.org")
    referral = _refer(programme, hours_ago=40)
    with capture(execute=True):
        programme_services.notices_sweep(now=timezone.now() - datetime.timedelta(hours=30))
    mail.outbox.clear()  # the new-referral digest; this scenario is the breach
    with capture(execute=True):
        programme_services.notices_sweep(now=timezone.now())
    return referral.young_person.reference


def break_glass(partnership, capture):
    mine = ProgrammeFactory(partnership=partnership, name="ReRoute")
    elsewhere = ProgrammeFactory(partnership=partnership, name="Hospital Navigators")
    lead = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR], email="dsl@example.org")
    partnership.designated_safeguarding_lead = lead
    partnership.save(update_fields=["designated_safeguarding_lead"])
    manager = programme_staff(mine, "manager", email="mo@example.org", username="mo.manager")
    referral = _refer(elsewhere)
    mail.outbox.clear()
    with capture(execute=True):
        programme_services.identity_break_glass(
            actor=manager,
            referral=referral,
            reason="Police called: missing from home tonight, need to confirm who is at risk.",
        )
    return referral.young_person.reference


def safeguarding_alert(partnership, capture):
    lead = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR], email="dsl@example.org")
    SafeguardingContact.objects.create(partnership=partnership, user=lead)
    exercise = ListeningExerciseFactory(
        partnership=partnership, name="Youth clubs winter 2023 & <Luton>"
    )
    with capture(execute=True):
        evaluation_services.response_record(
            actor=None,
            exercise=exercise,
            responded_on=datetime.date(2023, 1, 10),
            age_band="14_15",
            question="What would make you feel safer?",
            words="Lights by the station. Tallulah Quixwood from Larkspur Mews is scared.",
            safeguarding_concern=True,
        )
    return "Youth clubs winter 2023 & <Luton>"


def decision_letter(partnership, capture):
    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    grant_round = GrantRoundFactory(partnership=partnership)
    application = ApplicationFactory(
        grant_round=grant_round, status="eligible", title="Friday night football"
    )
    with capture(execute=True):
        grants_services.decision_record(
            actor=officer,
            application=application,
            outcome="not_fund",
            reasons="Other projects reached more young people.",
            override_reason="Test: the panel's scoring is not what this e-mail is about.",
        )
    return "Friday night football"


def return_overdue(partnership, capture):
    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    grant_round = GrantRoundFactory(partnership=partnership)
    application = ApplicationFactory(
        grant_round=grant_round, status="eligible", title="Friday night football"
    )
    decision = grants_services.decision_record(
        actor=officer,
        application=application,
        outcome="fund",
        amount=Decimal("3000"),
        reasons="Good",
        override_reason="Test: the panel's scoring is not what this e-mail is about.",
    )
    award = grants_services.award_create(
        actor=officer,
        decision=decision,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        tranche_count=3,
    )
    report = award.monitoring_returns.get(number=1)
    mail.outbox.clear()  # the decision letter
    late = datetime.datetime.combine(report.due_on, datetime.time(12), datetime.UTC)
    with (
        time_machine.travel(late + datetime.timedelta(days=1)),
        capture(execute=True),
    ):
        assert grants_services.overdue_return_reminders_send() == 1
    return "Friday night football"


def review_reminder(partnership, capture):
    grant_round = GrantRoundFactory(partnership=partnership)
    reviewer = PanelMemberFactory(partnership=partnership)
    AssignmentFactory(application__grant_round=grant_round, reviewer=reviewer)
    with (
        time_machine.travel(grant_round.panel_deadline - datetime.timedelta(hours=47)),
        capture(execute=True),
    ):
        assert grants_services.panel_reminders_send() == 1
    return "scores"


def password_reset(partnership, capture, client=None):
    UserFactory(partnership=partnership, roles=[Role.ANALYST], email="ana@example.org")
    # the request names another host: the link is still on the site's own address
    client.post(
        "/accounts/password/reset/",
        {"email": "ana@example.org"},
        REMOTE_ADDR="10.1.2.3",
        HTTP_HOST="localhost",
    )
    return "password"


def strategy_review_due(partnership, capture):
    from duty import services as duty_services
    from tests.factories import StrategyFactory

    lead = UserFactory(
        partnership=partnership, roles=[Role.ADMINISTRATOR], email="lead@example.org"
    )
    StrategyFactory(
        partnership=partnership,
        title="Serious Violence Strategy",
        published_on=datetime.date(2024, 1, 31),
        next_review_on=datetime.date(2025, 1, 31),
        lead=lead,
    )
    with capture(execute=True):
        assert (
            duty_services.strategy_review_reminders_enqueue(today=datetime.date(2025, 1, 10)) == 1
        )
    return "Serious Violence Strategy"


def action_notice(partnership, capture):
    from duty import services as duty_services
    from tests.factories import DutyHolderFactory, RecommendationFactory

    owner = DutyHolderFactory(partnership=partnership, contact_email="svd@police.example")
    duty_services.action_create(
        actor=None,
        recommendation=RecommendationFactory(needs_assessment__partnership=partnership),
        title="Share custody data monthly",
        owner=owner,
        owner_name="DCI Lee",
        due_on=datetime.date(2025, 1, 31),
    )
    with capture(execute=True):
        assert duty_services.action_notices_enqueue(today=datetime.date(2025, 2, 10)) == 1
    return "Share custody data monthly"


def agreement_review_due(partnership, capture):
    from sharing import services as sharing_services

    owner = UserFactory(
        partnership=partnership, roles=[Role.ADMINISTRATOR], email="dpo@example.org"
    )
    police = sharing_services.organisation_save(
        actor=None, partnership=partnership, name="Essex Police", kind="police"
    )
    sharing_services.agreement_save(
        actor=None,
        partnership=partnership,
        parties=[police],
        title="Police referrals agreement",
        purpose="Joint support",
        lawful_basis="e",
        criminal_offence_condition="para10",
        kinds=["referral"],
        direction="both",
        frequency="as_needed",
        recipient_retention="Six years",
        signatories="Head of information governance",
        starts_on=datetime.date(2024, 1, 1),
        review_on=datetime.date(2025, 1, 31),
        owner=owner,
    )
    with capture(execute=True):
        assert sharing_services.review_reminders_enqueue(today=datetime.date(2025, 2, 10)) == 1
    return "Police referrals agreement"


def request_due(partnership, capture):
    from rights import services as rights_services

    lead = UserFactory(partnership=partnership, roles=[Role.ANALYST], email="dpo@example.org")
    partnership.data_protection_lead = lead
    partnership.save(update_fields=["data_protection_lead"])
    referral = _refer(ProgrammeFactory(partnership=partnership, name="ReRoute"))
    rights_services.request_create(
        actor=lead,
        young_person=referral.young_person,
        kind="access",
        requester_name="A parent",
        relationship="parent",
        identity_check="parental",
        received_on=datetime.date(2025, 1, 10),
    )
    with capture(execute=True):
        assert rights_services.request_reminders_enqueue(today=datetime.date(2025, 2, 11)) == 1
    return referral.young_person.reference


SCENARIOS = {
    "emails/programmes/referral_created": referral_created,
    "emails/programmes/breach_notification": breach_notification,
    "emails/programmes/break_glass": break_glass,
    "emails/evaluation/safeguarding_alert": safeguarding_alert,
    "emails/grants/decision_letter": decision_letter,
    "emails/grants/return_overdue": return_overdue,
    "emails/grants/review_reminder": review_reminder,
    "emails/account/password_reset_key": password_reset,
    "emails/duty/strategy_review_due": strategy_review_due,
    "emails/duty/action_notice": action_notice,
    "emails/sharing/agreement_review_due": agreement_review_due,
    "emails/rights/request_due": request_due,
}


# --- The checks ----------------------------------------------------------------------------

URL = re.compile(r"https?://[^\s<>\"')]+")
HREF = re.compile(r"""href=["']([^"']*)["']""")
# a path written on its own (the old bodies' "Open it on the platform: /programmes/...")
BARE_PATH = re.compile(r"(?:^|[\s:(])(/[a-z][\w\-./#?=]*)", re.MULTILINE)


def _links(message: EmailMultiAlternatives) -> tuple[list[str], list[str]]:
    html = message.alternatives[0].content
    return URL.findall(message.body), HREF.findall(html)


def _assert_link_opens_a_page(link: str) -> None:
    assert link.startswith(SITE + "/"), link
    resolve(urlsplit(link).path)  # raises Resolver404 if it is no page of the product


@pytest.mark.parametrize("name", SCENARIOS, ids=lambda name: name.removeprefix("emails/"))
def test_each_email_is_a_template_with_absolute_links_and_nothing_about_a_young_person(
    name, partnership, django_capture_on_commit_callbacks, client
):
    scenario = SCENARIOS[name]
    kwargs = {"client": client} if scenario is password_reset else {}

    expected = scenario(partnership, django_capture_on_commit_callbacks, **kwargs)

    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]
    html = message.alternatives[0].content
    # rendered from the templates: the HTML layout and the text footer are there
    assert html.startswith("<!DOCTYPE html>") or "<!DOCTYPE html>" in html
    assert message.body.rstrip().endswith(f"Sent by the VRU platform: {SITE}/")
    assert expected in message.subject + message.body
    text_links, html_links = _links(message)
    assert text_links, "every e-mail links to the page it is about"
    assert html_links
    for link in [*text_links, *html_links]:
        _assert_link_opens_a_page(link)
    assert not BARE_PATH.findall(message.body), "a relative link cannot be opened from e-mail"
    everything = "\n".join([message.subject, message.body, html]).lower()
    for secret in NEVER_IN_AN_EMAIL:
        assert secret.lower() not in everything, secret


def test_every_email_template_has_a_scenario_above_and_all_three_parts():
    folder = REPO / "templates"
    names = {
        str(path.relative_to(folder)).removesuffix("_subject.txt")
        for path in folder.glob("emails/**/*_subject.txt")
    }
    assert names == set(SCENARIOS)
    for name in names:
        assert (folder / f"{name}.txt").exists(), name
        assert (folder / f"{name}.html").exists(), name


BUILDS_AN_EMAIL = re.compile(
    r"from django\.core\.mail import|import django\.core\.mail|(?<!def )send_mail\("
    r"|EmailMessage\(|EmailMultiAlternatives\(|mail_admins\("
)


def test_no_app_builds_an_email_but_through_vru_emails():
    offenders = []
    for app in ("vru", "programmes", "grants", "evaluation"):
        for path in (REPO / app).rglob("*.py"):
            if path == REPO / "vru" / "emails.py":
                continue
            source = path.read_text()
            if BUILDS_AN_EMAIL.search(source):
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_text_is_sent_as_written_and_html_is_escaped(
    partnership, django_capture_on_commit_callbacks
):
    safeguarding_alert(partnership, django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    assert "Youth clubs winter 2023 & <Luton>" in message.body
    html = message.alternatives[0].content
    assert "Youth clubs winter 2023 &amp; &lt;Luton&gt;" in html
    assert "<Luton>" not in html


def test_links_follow_the_setting_and_a_missing_address_is_an_error(settings):
    settings.VRU_SITE_URL = "https://vru.essex.example.org/"
    assert (
        emails.absolute_url("/programmes/referrals/12/")
        == "https://vru.essex.example.org/programmes/referrals/12/"
    )
    assert (
        emails.absolute_url("programmes:referral_detail", pk=12)
        == "https://vru.essex.example.org/programmes/referrals/12/"
    )
    # an absolute link (say, built from a request) is moved onto the site's address
    assert (
        emails.absolute_url("http://evil.example/accounts/password/reset/key/x-y/?a=1#b")
        == "https://vru.essex.example.org/accounts/password/reset/key/x-y/?a=1#b"
    )
    settings.VRU_SITE_URL = ""
    with pytest.raises(ImproperlyConfigured, match="VRU_SITE_URL"):
        emails.absolute_url("/")


def test_a_reset_for_an_address_no_account_has_sends_nothing_and_does_not_fail(client):
    response = client.post(
        "/accounts/password/reset/", {"email": "nobody@example.org"}, REMOTE_ADDR="10.1.2.4"
    )

    assert response.status_code == 302
    assert mail.outbox == []


def test_a_reset_answers_the_same_for_an_address_with_an_account_and_one_without(
    client, partnership
):
    UserFactory(partnership=partnership, email="ana@example.org")

    known = client.post(
        "/accounts/password/reset/", {"email": "ana@example.org"}, REMOTE_ADDR="10.1.2.5"
    )
    unknown = client.post(
        "/accounts/password/reset/", {"email": "nobody@example.org"}, REMOTE_ADDR="10.1.2.6"
    )

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    done = client.get(known["Location"])
    assert done.status_code == 200
    assert "nobody@example.org" not in done.text


def test_a_young_persons_referral_notice_still_reaches_the_right_people(
    programme, django_capture_on_commit_callbacks
):
    manager = programme_staff(programme, "manager", email="m1@example.org")
    programme_staff(programme, "manager", email="m2@example.org")
    referral = _refer(programme, actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        programme_services.notices_sweep()

    assert [m.to for m in mail.outbox] == [["m2@example.org"]]
    assert mail.outbox[0].body.count(f"{SITE}/programmes/referrals/{referral.pk}/") == 1


def test_a_digest_of_many_cases_lists_the_first_due_and_counts_the_rest(
    programme, django_capture_on_commit_callbacks
):
    from programmes.services.notices import LISTED

    programme_staff(programme, "manager", email="m@example.org")
    referrals = [_refer(programme, hours_ago=2 + n / 60) for n in range(LISTED + 3)]
    with django_capture_on_commit_callbacks(execute=True):
        programme_services.notices_sweep()

    (message,) = mail.outbox
    assert message.subject == f"{LISTED + 3} new referrals"
    html = message.alternatives[0].content
    first_due = sorted(referrals, key=lambda r: r.due_at)
    for referral in first_due[:LISTED]:
        assert f"{SITE}/programmes/referrals/{referral.pk}/" in message.body
        assert f"{SITE}/programmes/referrals/{referral.pk}/" in html
    for referral in first_due[LISTED:]:
        assert f"/programmes/referrals/{referral.pk}/" not in message.body
    assert "and 3 more." in message.body
    assert f"{SITE}/programmes/caseload/?sort=-referred" in message.body
