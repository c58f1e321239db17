"""A youth reviewer reads the whole application except the applicant's contact details
(one selector decides what they see), and checks their scores before sending them: only
the confirmation sends."""

import pytest
from django.urls import reverse

from grants import selectors, services
from grants.models import Application, Assignment, Organisation
from tests.factories import AssignmentFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(grant_round, panel):
    member = panel[0]
    assignment = AssignmentFactory(application__grant_round=grant_round, reviewer=member)
    application = assignment.application
    application.themes = ["Safe spaces to meet"]
    application.contact_name = "Pat Secretcontact"
    application.contact_phone = "07700 900999"
    application.save(update_fields=["themes", "contact_name", "contact_phone"])
    recommendation = RecommendationFactory(text="Fund youth clubs in priority neighbourhoods.")
    application.recommendations.add(recommendation)
    organisation = application.organisation
    organisation.contact_email = "office@secret-group.example.org"
    organisation.contact_phone = "01234 567890"
    organisation.address = "1 Hidden Street"
    organisation.save(update_fields=["contact_email", "contact_phone", "address"])
    services.no_conflict_declare(actor=member.user, assignment=assignment)
    assignment.refresh_from_db()
    return assignment


def _contact_values(application: Application) -> list[str]:
    organisation = application.organisation
    return [
        application.contact_name,
        application.contact_email,
        application.contact_phone,
        organisation.contact_email,
        organisation.contact_phone,
        organisation.address,
    ]


def test_the_reviewer_reads_the_whole_application_but_no_contact_detail(client, assignment):
    application = assignment.application
    client.force_login(assignment.reviewer.user)

    body = client.get(assignment.get_absolute_url()).content.decode()

    for shown in [
        application.title,
        application.summary,
        application.organisation.name,
        "Safe spaces to meet",
        "Fund youth clubs in priority neighbourhoods.",
        application.budget_lines.first().description,
        application.grant_round.eligibility_questions.first().text,
    ]:
        assert shown in body, shown
    for contact in _contact_values(application):
        assert contact not in body, contact


def test_the_selector_holds_no_contact_field_at_all(assignment):
    read = selectors.application_for_reviewer(
        viewer=assignment.reviewer.user, assignment=assignment
    )

    values = " ".join(str(value) for value in vars(read).values())
    for contact in _contact_values(assignment.application):
        assert contact not in values
    assert not [name for name in vars(read) if "contact" in name or "address" in name]
    contact_fields = {f.name for f in [*Application._meta.fields, *Organisation._meta.fields]} & {
        "contact_name",
        "contact_email",
        "contact_phone",
        "address",
        "postcode",
    }
    assert not contact_fields & set(selectors.REVIEWER_APPLICATION_FIELDS)


def test_another_reviewer_reads_nothing_of_it(assignment, panel):
    other = panel[1]

    assert selectors.application_for_reviewer(viewer=other.user, assignment=assignment) is None


def _score_all(client, assignment, submit=True):
    data = {}
    for n, criterion in enumerate(assignment.application.grant_round.criteria.all(), start=3):
        data[f"score_{criterion.pk}"] = str(n)
        data[f"comment_{criterion.pk}"] = f"Comment on {criterion.title}"
    data["submit" if submit else "save"] = ""
    return client.post(assignment.get_absolute_url(), data)


def test_send_my_scores_goes_to_a_check_page_listing_them_with_change_links(client, assignment):
    client.force_login(assignment.reviewer.user)

    response = _score_all(client, assignment)
    page = client.get(response["Location"]).content.decode()

    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.IN_PROGRESS  # nothing sent yet
    assert "Check your scores before sending them" in page
    for criterion in assignment.application.grant_round.criteria.all():
        assert f"Comment on {criterion.title}" in page
        assert f"#criterion-{criterion.pk}" in page
    assert page.count(">Change<") == assignment.application.grant_round.criteria.count()


def test_only_the_confirmation_sends_the_scores(client, assignment):
    client.force_login(assignment.reviewer.user)
    _score_all(client, assignment)
    check_url = reverse("grants:review_check", args=[assignment.pk])

    response = client.post(check_url)

    assignment.refresh_from_db()
    assert response.status_code == 302
    assert assignment.status == Assignment.Status.SUBMITTED
    # once sent the check page sends the reviewer back to the scores, which are final
    assert client.get(check_url)["Location"] == assignment.get_absolute_url()


def test_confirming_with_a_part_not_scored_sends_nothing(client, assignment):
    client.force_login(assignment.reviewer.user)
    first = assignment.application.grant_round.criteria.first()
    client.post(assignment.get_absolute_url(), {f"score_{first.pk}": "4", "save": ""})

    client.post(reverse("grants:review_check", args=[assignment.pk]))

    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.IN_PROGRESS
