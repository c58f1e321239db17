"""The programmes demo: six programmes per partnership, a few thousand synthetic referrals with
realistic timings, clearly fictional names, demo users attached as staff; idempotent."""

import pytest

from programmes import demo, selectors
from programmes.models import Programme, ProgrammeStaff, Referral, YoungPersonIdentity
from tests.factories import LocalAuthorityFactory, LSOAFactory, PartnershipFactory, UserFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_with_staff_and_realistic_referrals():
    # given the two demo partnerships with a few neighbourhoods and their demo users
    users = {}
    for slug, prefix in [("essex-vvp", "essex"), ("bedfordshire-veru", "beds")]:
        partnership = PartnershipFactory(slug=slug)
        LSOAFactory.create_batch(5, local_authority=LocalAuthorityFactory(partnership=partnership))
        for role, suffix in [
            (Role.PROGRAMME_MANAGER, "manager"),
            (Role.PRACTITIONER, "practitioner"),
            (Role.ANALYST, "analyst"),
        ]:
            users[f"{prefix}.{suffix}"] = UserFactory(
                username=f"{prefix}.{suffix}", partnership=partnership, roles=[role]
            )

    # when
    demo.load_demo()
    counts = Referral.objects.count()
    demo.load_demo()

    # then
    assert Referral.objects.count() == counts
    assert 2500 < counts < 4000
    assert Programme.objects.count() == 12
    assert ProgrammeStaff.objects.filter(user=users["essex.manager"], role="manager").count() == 6
    assert all(i.last_name.startswith("Demo-") for i in YoungPersonIdentity.objects.all()[:50])
    essex_practitioner = users["essex.practitioner"]
    caseload = selectors.referral_list(viewer=essex_practitioner)
    assert caseload.exists()
    assert not caseload.exclude(assigned_to=essex_practitioner).exists()
    assert not selectors.referral_list(viewer=users["essex.analyst"]).exists()
    reroute = Programme.objects.get(partnership__slug="essex-vvp", name="ReRoute")
    compliance = selectors.compliance_by_month(programme_ids=[reroute.pk])
    overall = sum(r["met"] for r in compliance) / sum(r["decided"] for r in compliance)
    assert 0.6 < overall < 0.95  # most, not all, first contacts within 24 hours
