"""Every upload door: content checked by magic bytes, size limited by a setting, stored under
a random name outside the web root, served only through permission-checked views as an
attachment with an explicit Content-Type and nosniff."""

import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants import services as grant_services
from tests.evaluation.factories import ListeningExerciseFactory
from tests.factories import (
    ApplicationFactory,
    GrantRoundFactory,
    OrganisationFactory,
    ProgrammeFactory,
    StrategicNeedsAssessmentFactory,
    UserFactory,
    applicant_for,
)
from vru.models import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
RANDOM_NAME = re.compile(r"^(sna|grants/attachments|grants/letters)/[0-9a-f]{32}(\.[a-z]+)?$")


@pytest.fixture
def draft(partnership):
    organisation = OrganisationFactory(partnership=partnership)
    application = ApplicationFactory(
        grant_round=GrantRoundFactory(partnership=partnership), organisation=organisation
    )
    return application, applicant_for(organisation)


def _upload(client, application, name, content, title="Budget"):
    return client.post(
        reverse("grants:attachment_upload", args=[application.pk]),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


def test_an_attachment_is_stored_under_a_random_name_not_the_uploaders(client, draft):
    application, applicant = draft
    client.force_login(applicant)

    _upload(client, application, "../../etc/passwd\u202egpj.pdf", PDF)

    stored = application.attachments.get().file.name
    assert RANDOM_NAME.match(stored), stored
    assert "passwd" not in stored


def test_two_files_with_the_same_name_never_overwrite_each_other(client, draft):
    application, applicant = draft
    client.force_login(applicant)

    _upload(client, application, "budget.pdf", PDF)
    _upload(client, application, "budget.pdf", PDF + b"second")

    names = {a.file.name for a in application.attachments.all()}
    assert len(names) == 2


def test_an_sna_document_is_stored_under_a_random_name(partnership):
    sna = StrategicNeedsAssessmentFactory(partnership=partnership)

    sna.document.save("Essex SNA 2023 (final).pdf", ContentFile(PDF), save=True)

    assert RANDOM_NAME.match(sna.document.name), sna.document.name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("budget.pdf", b"MZ\x90\x00 an executable named .pdf"),
        ("photo.png", b"<svg onload=alert(1)>"),
        ("letter.pdf", b"<html><script>alert(1)</script>"),
        ("empty.pdf", b""),
    ],
)
def test_an_attachment_whose_content_is_not_a_document_is_refused(client, draft, name, content):
    application, applicant = draft
    client.force_login(applicant)

    _upload(client, application, name, content)

    assert not application.attachments.exists()


def test_the_attachment_size_limit_is_a_setting(client, draft, settings):
    settings.VRU_MAX_ATTACHMENT_BYTES = 1024
    application, applicant = draft
    client.force_login(applicant)

    _upload(client, application, "big.pdf", PDF + b"0" * 2048)
    assert not application.attachments.exists()
    _upload(client, application, "small.pdf", PDF)
    assert application.attachments.count() == 1


def test_the_sna_document_size_limit_is_a_setting(settings):
    from django.core.exceptions import ValidationError

    from vru.validators import validate_document

    settings.VRU_MAX_DOCUMENT_BYTES = 100
    with pytest.raises(ValidationError, match="smaller than"):
        validate_document(SimpleUploadedFile("sna.pdf", PDF + b"0" * 200))


@pytest.mark.parametrize(
    ("url", "role", "fields"),
    [
        ("/area-indicators/", Role.ANALYST, {}),
        ("/crime-imports/", Role.ANALYST, {}),
        ("/programmes/referrals/import/", Role.PROGRAMME_MANAGER, {"programme": "programme"}),
        ("listening", Role.ANALYST, {}),
    ],
)
def test_import_files_over_the_size_limit_are_refused_with_a_message(
    client, partnership, settings, url, role, fields
):
    settings.VRU_MAX_IMPORT_BYTES = 64
    user = UserFactory(partnership=partnership, roles=[role])
    data = {}
    if fields:
        from programmes import services as programme_services

        programme = ProgrammeFactory(partnership=partnership)
        programme_services.programme_staff_set(
            actor=None, programme=programme, user=user, role="manager"
        )
        data["programme"] = programme.pk
    if url == "listening":
        url = reverse(
            "evaluation:responses_import",
            args=[ListeningExerciseFactory(partnership=partnership).pk],
        )
    client.force_login(user)

    data["file"] = SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * 100)
    response = client.post(url, data)

    # the form again with its error (programmes' pages answer a refused form with 400)
    assert response.status_code in {200, 400}
    assert "smaller than" in response.content.decode()


def _assert_served_as_a_download(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_attachment_is_served_as_a_download_typed_by_its_content(client, draft, partnership):
    application, applicant = draft
    client.force_login(applicant)
    # a PDF named like a web page: the name decides nothing
    _upload(client, application, "page.html", PDF, title="Our budget")
    attachment = application.attachments.get()

    response = client.get(
        reverse("grants:attachment_download", args=[application.pk, attachment.pk])
    )

    _assert_served_as_a_download(response, "application/pdf")
    assert 'filename="our-budget.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_an_sna_document_is_served_as_a_download(client, partnership, user_with_role):
    sna = StrategicNeedsAssessmentFactory(partnership=partnership, published=True)
    sna.document.save("sna.pdf", ContentFile(PDF), save=True)
    client.force_login(user_with_role(Role.COMMISSIONER))

    response = client.get(reverse("vru:sna_document", args=[sna.pk]))

    _assert_served_as_a_download(response, "application/pdf")


def test_a_decision_letter_is_served_as_a_download(client, partnership):
    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    application = ApplicationFactory(
        grant_round=GrantRoundFactory(partnership=partnership), status="eligible"
    )
    decision = grant_services.decision_record(
        actor=officer,
        override_reason="Decided early to set up this test.",
        application=application,
        outcome="fund",
        amount=Decimal("2000"),
        reasons="Good",
    )
    grant_services.decision_letter_send(decision_id=decision.pk)
    decision.refresh_from_db()
    assert RANDOM_NAME.match(decision.letter.name), decision.letter.name
    client.force_login(officer)

    response = client.get(reverse("grants:decision_letter", args=[application.pk]))

    _assert_served_as_a_download(response, "application/pdf")


def test_no_url_serves_the_upload_folder(client, draft, settings):
    application, applicant = draft
    client.force_login(applicant)
    _upload(client, application, "budget.pdf", PDF)
    stored = application.attachments.get().file.name

    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + stored).status_code == 404
    assert str(settings.MEDIA_ROOT) != str(settings.STATIC_ROOT)


def test_a_stored_name_tells_nothing_about_the_uploader_or_the_file_name():
    from vru.uploads import RandomName

    name = RandomName("grants/attachments")(None, "Jo Bloggs 2026-01-01.PDF")
    odd = RandomName("grants/attachments")(None, "payload.php")

    assert RANDOM_NAME.match(name)
    assert name.endswith(".pdf")
    assert "bloggs" not in name.lower()
    assert "2026" not in name
    assert not odd.endswith(".php")
