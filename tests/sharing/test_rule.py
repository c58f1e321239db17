"""The one rule: data goes to a partner only under an agreement in force, with that partner
as a party, covering that kind of data."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sharing import rules, services
from sharing.models import AgreementStatus
from tests.factories import UserFactory
from tests.sharing.conftest import make_agreement
from vru.data_kinds import DataKind
from vru.models import Role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _offered(viewer, recipient, kind=DataKind.REFERRAL):
    return rules.agreements_for_disclosure(viewer=viewer, recipient=recipient, kind=kind)


def test_an_agreement_in_force_is_offered_for_its_partner_and_kind(
    administrator, police, agreement
):
    assert agreement.status_on(TODAY()) == AgreementStatus.IN_FORCE
    assert _offered(administrator, police) == [agreement]
    assert _offered(administrator, None, DataKind.IDENTITY) == [agreement]


def test_an_agreement_past_its_review_date_still_allows_sharing(administrator, partnership, police):
    overdue = make_agreement(partnership, [police], review_on=TODAY() - datetime.timedelta(days=1))

    assert overdue.status_on(TODAY()) == AgreementStatus.REVIEW_OVERDUE
    assert _offered(administrator, police) == [overdue]


def test_an_ended_agreement_is_neither_offered_nor_accepted(administrator, police, agreement):
    services.agreement_end(actor=administrator, agreement=agreement)
    agreement.refresh_from_db()

    assert agreement.status_on(TODAY()) == AgreementStatus.ENDED
    assert _offered(administrator, police) == []
    with pytest.raises(ValidationError) as refused:
        rules.check_disclosure(
            viewer=administrator, agreement=agreement, recipient=police, kind=DataKind.REFERRAL
        )
    assert "has ended" in refused.value.message_dict["disclosure_agreement"][0]


def test_an_agreement_not_covering_the_kind_is_refused(administrator, police, agreement):
    assert _offered(administrator, police, DataKind.CASE_NOTES) == []
    with pytest.raises(ValidationError) as refused:
        rules.check_disclosure(
            viewer=administrator, agreement=agreement, recipient=police, kind=DataKind.CASE_NOTES
        )
    assert "does not cover case notes" in refused.value.message_dict["disclosure_agreement"][0]


def test_an_agreement_with_another_partner_is_refused(administrator, police, hospital, agreement):
    assert _offered(administrator, hospital) == []
    with pytest.raises(ValidationError) as refused:
        rules.check_disclosure(
            viewer=administrator, agreement=agreement, recipient=hospital, kind=DataKind.REFERRAL
        )
    assert "not a party" in refused.value.message_dict["disclosure_agreement"][0]


def test_drafts_and_receive_only_agreements_allow_no_sending(administrator, partnership, police):
    unsigned = make_agreement(partnership, [police], title="Unsigned", signatories="")
    future = make_agreement(
        partnership, [police], title="Future", starts_on=TODAY() + datetime.timedelta(days=5)
    )
    receive = make_agreement(partnership, [police], title="Inbound", direction="receive")

    assert unsigned.status_on(TODAY()) == future.status_on(TODAY()) == AgreementStatus.DRAFT
    assert _offered(administrator, police) == []
    for refused in (unsigned, future, receive):
        with pytest.raises(ValidationError):
            rules.check_disclosure(
                viewer=administrator, agreement=refused, recipient=police, kind=DataKind.REFERRAL
            )


def test_no_agreement_or_no_recipient_is_refused_by_field(administrator, police, agreement):
    with pytest.raises(ValidationError) as no_agreement:
        rules.check_disclosure(
            viewer=administrator, agreement=None, recipient=police, kind=DataKind.REFERRAL
        )
    with pytest.raises(ValidationError) as no_recipient:
        rules.check_disclosure(
            viewer=administrator, agreement=agreement, recipient=None, kind=DataKind.REFERRAL
        )

    assert set(no_agreement.value.message_dict) == {"disclosure_agreement"}
    assert set(no_recipient.value.message_dict) == {"recipient"}


def test_another_partnerships_agreement_is_never_offered(other_partnership, agreement, police):
    stranger = UserFactory(partnership=other_partnership, roles=[Role.ADMINISTRATOR])

    assert _offered(stranger, None) == []
    with pytest.raises(ValidationError):
        rules.check_disclosure(
            viewer=stranger, agreement=agreement, recipient=police, kind=DataKind.REFERRAL
        )


def test_criminal_offence_and_health_data_need_their_schedule_1_conditions(partnership, police):
    with pytest.raises(ValidationError) as refused:
        make_agreement(
            partnership,
            [police],
            criminal_offence_condition="",
            includes_health_data=True,
            special_category_condition="",
        )

    assert {"criminal_offence_condition", "special_category_condition"} <= set(
        refused.value.message_dict
    )


def test_the_owner_defaults_to_the_data_protection_lead(partnership, police):
    lead = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    partnership.data_protection_lead = lead
    partnership.save(update_fields=["data_protection_lead"])

    assert make_agreement(partnership, [police]).owner == lead


def test_a_disclosure_is_logged_by_record_and_field_never_the_data(
    administrator, police, agreement, referral
):
    log = services.record_disclosure(
        viewer=administrator,
        agreement=agreement,
        recipient=police,
        kind=DataKind.REFERRAL,
        records=[rules.Record("programmes.referral", referral.pk, referral.young_person_id)],
        fields=["id", "reason"],
        purpose="",
        door="Test",
    )

    assert (log.by, log.recipient, log.agreement, log.record_count) == (
        administrator,
        police,
        agreement,
        1,
    )
    assert log.fields == ["id", "reason"]
    assert log.purpose == agreement.purpose
    assert list(log.records.values_list("record_id", "young_person_id")) == [
        (referral.pk, referral.young_person_id)
    ]
