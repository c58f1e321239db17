"""factory_boy factories for the shared core (plain module, not fixtures).

Complex state goes through services where one exists: needs assessments are created with
`services.needs_assessment_create` and success measures with `services.success_measure_create`,
so factories build what users could build. Places and users have no create service; their
factories keep the invariants the services and imports keep (an LSOA's partnership and
community safety partnership are those of its local authority; a user's `is_staff` follows
their roles).
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from vru import permissions, services, viewer
from vru.models import (
    LSOA,
    CommunitySafetyPartnership,
    LocalAuthority,
    Partnership,
    PreventionStage,
    Recommendation,
    RoleAssignment,
    StrategicNeedsAssessment,
    SuccessMeasure,
    SuccessMeasureComparison,
    SuccessMeasureValue,
    Theme,
    User,
)

TEST_PASSWORD = "correct-horse-battery-staple"


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Test Violence Reduction Unit {n}")
    short_name = factory.Sequence(lambda n: f"Test VRU {n}")
    slug = factory.Sequence(lambda n: f"test-vru-{n}")


class CommunitySafetyPartnershipFactory(DjangoModelFactory):
    class Meta:
        model = CommunitySafetyPartnership

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"District {n} Community Safety Partnership")


class LocalAuthorityFactory(DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    code = factory.Sequence(lambda n: f"E07{n % 1_000_000:06d}")
    name = factory.Sequence(lambda n: f"District {n}")
    partnership = factory.SubFactory(PartnershipFactory)
    community_safety_partnership = factory.SubFactory(
        CommunitySafetyPartnershipFactory, partnership=factory.SelfAttribute("..partnership")
    )


class LSOAFactory(DjangoModelFactory):
    """An LSOA whose partnership and CSP are always those of its local authority.

    Pass `partnership=` (a local authority is made in it) or `local_authority=` (the
    partnership is taken from it), or neither.
    """

    class Meta:
        model = LSOA

    code = factory.Sequence(lambda n: f"E01{n % 1_000_000:06d}")
    name = factory.Sequence(lambda n: f"Testtown {n:03d}A")
    lsoa11_code = factory.SelfAttribute("code")
    partnership = factory.SubFactory(PartnershipFactory)
    local_authority = factory.SubFactory(
        LocalAuthorityFactory, partnership=factory.SelfAttribute("..partnership")
    )
    community_safety_partnership = factory.SelfAttribute(
        "local_authority.community_safety_partnership"
    )
    population = 1500
    imd_score = Decimal("21.500")
    imd_decile = 5

    @classmethod
    def _generate(cls, strategy, params):
        if "local_authority" in params and "partnership" not in params:
            params = {**params, "partnership": params["local_authority"].partnership}
        return super()._generate(strategy, params)


class StrategicNeedsAssessmentFactory(DjangoModelFactory):
    """A draft SNA, created by the service; `published=True` for a published one.

    A real publication needs recommendations first (`services.needs_assessment_publish`);
    the trait records one that was published when imported, as the demo does.
    """

    class Meta:
        model = StrategicNeedsAssessment

    class Params:
        published = factory.Trait(
            status=StrategicNeedsAssessment.Status.PUBLISHED,
            published_on=datetime.date(2023, 10, 1),
        )

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Strategic Needs Assessment {2000 + n}")
    period_start = datetime.date(2022, 8, 1)
    period_end = datetime.date(2023, 7, 31)
    status = StrategicNeedsAssessment.Status.DRAFT
    published_on = None
    source = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.needs_assessment_create(actor=None, **kwargs)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    needs_assessment = factory.SubFactory(StrategicNeedsAssessmentFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    description = "What the young people told us."
    position = factory.Sequence(lambda n: n)


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    needs_assessment = factory.SubFactory(StrategicNeedsAssessmentFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Support awareness raising in primary schools ({n}).")
    prevention_stage = PreventionStage.PRIMARY
    intended_impacts = factory.LazyFunction(lambda: ["Improve feelings of safety"])

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class SuccessMeasureFactory(DjangoModelFactory):
    class Meta:
        model = SuccessMeasure

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Knife enabled serious violence {n}")
    unit = "offences"
    direction = SuccessMeasure.Direction.DOWN
    counts_people = False
    description = ""
    position = 0

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.success_measure_create(actor=None, **kwargs)


class SuccessMeasureValueFactory(DjangoModelFactory):
    class Meta:
        model = SuccessMeasureValue

    measure = factory.SubFactory(SuccessMeasureFactory)
    period_start = factory.Sequence(lambda n: datetime.date(2000 + n, 1, 1))
    period_end = factory.LazyAttribute(lambda o: datetime.date(o.period_start.year, 12, 31))
    label = factory.LazyAttribute(lambda o: str(o.period_start.year))
    value = Decimal("100")
    is_baseline = False


class SuccessMeasureComparisonFactory(DjangoModelFactory):
    """A comparison the needs assessment makes; validated as every door validates it."""

    class Meta:
        model = SuccessMeasureComparison

    earlier = factory.SubFactory(SuccessMeasureValueFactory)
    later = factory.SubFactory(
        SuccessMeasureValueFactory, measure=factory.SelfAttribute("..earlier.measure")
    )
    measure = factory.SelfAttribute("earlier.measure")
    kind = SuccessMeasureComparison.Kind.PREVIOUS
    source_table = ""
    note = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        comparison = model_class(*args, **kwargs)
        comparison.full_clean()
        comparison.save()
        return comparison


class UserFactory(DjangoModelFactory):
    """A user of a partnership. `roles=[Role.ANALYST, ...]` creates RoleAssignment rows."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    partnership = factory.SubFactory(PartnershipFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=self, role=role) for role in extracted
        )
        self.is_staff = bool(set(extracted) & permissions.ADMIN_SITE_ROLES)
        self.save(update_fields=["is_staff"])
        viewer.forget(self)  # roles read before they were given are read again


# --- Programmes and referrals (issue 4) --------------------------------------------------
# Referrals are made through programmes.services.referral_create, as users make them.


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = "programmes.Programme"
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"ReRoute {n}")
    description = "Support within 24 hours of an arrest for a knife or drug offence."
    delivering_organisation = "Youth Services"
    kind = "referral"
    referral_target_hours = 24

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from programmes import services as programme_services

        return programme_services.programme_create(actor=None, **kwargs)


def programme_staff(programme, role_name, **kwargs):
    """A user with the vru role and a ProgrammeStaff membership of `programme`."""
    from programmes import services as programme_services
    from vru.models import Role

    vru_role = Role.PROGRAMME_MANAGER if role_name == "manager" else Role.PRACTITIONER
    user = UserFactory(partnership=programme.partnership, roles=[vru_role], **kwargs)
    programme_services.programme_staff_set(
        actor=None, programme=programme, user=user, role=role_name
    )
    return user


def referrals_of(first_name, last_name, date_of_birth):
    """Referrals of the young person with this name and date of birth, found by the blind
    index: identity fields are encrypted at rest and cannot be filtered on."""
    from programmes.models import Referral, YoungPersonIdentity

    index = YoungPersonIdentity.index_for(first_name, last_name, date_of_birth)
    return Referral.objects.filter(young_person__identity__match_index=index)


class ReferralFactory(DjangoModelFactory):
    """A referral made through the service. Pass `programme=` (and `assigned_to=`)."""

    class Meta:
        model = "programmes.Referral"

    programme = factory.SubFactory(ProgrammeFactory)
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    date_of_birth = datetime.date(2010, 5, 1)
    source = "custody"
    reason = "knife"
    event_at = factory.LazyFunction(
        lambda: datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2)
    )
    referred_at = factory.LazyAttribute(lambda o: o.event_at + datetime.timedelta(hours=1))
    assigned_to = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from programmes import services as programme_services

        return programme_services.referral_create(actor=None, **kwargs)


# ---------------------------------------------------------------------------------------
# Grants (issue 5). Models are named as "grants.<Model>" strings so that this shared module
# keeps its imports at the top.
# ---------------------------------------------------------------------------------------


def _now():
    from django.utils import timezone

    return timezone.now()


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = "grants.Organisation"

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Community Group {n}")
    kind = "charity"
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
    address = "1 High Street, Basildon"
    postcode = "SS14 1AA"
    contact_email = factory.Sequence(lambda n: f"office{n}@group.example.org")
    contact_phone = "01268 000000"
    safeguarding_policy_date = datetime.date(2026, 1, 1)


class GrantRoundFactory(DjangoModelFactory):
    """An open round (opened 10 days ago, closes in 10 days, panel in 30) with two
    criteria (weights 2 and 1) and one eligibility question (pass on "yes")."""

    class Meta:
        model = "grants.GrantRound"
        skip_postgeneration_save = True

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: _now() - datetime.timedelta(days=40)),
            closes_at=factory.LazyFunction(lambda: _now() - datetime.timedelta(days=10)),
        )

    partnership = factory.SubFactory(PartnershipFactory)
    fund = "Violence Reduction Fund"
    title = factory.Sequence(lambda n: f"Safer Streets Community Grants {n}")
    budget = Decimal("20000")
    minimum_award = Decimal("1000")
    maximum_award = Decimal("5000")
    opens_at = factory.LazyFunction(lambda: _now() - datetime.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: _now() + datetime.timedelta(days=10))
    panel_deadline = factory.LazyAttribute(lambda o: o.closes_at + datetime.timedelta(days=20))
    reviewers_per_application = 2
    identifier_prefix = "360G-testvru"

    @factory.post_generation
    def rubric(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from grants.models import Criterion, EligibilityQuestion

        for position, (title, weight) in enumerate([("Helps young people", 2), ("Good value", 1)]):
            Criterion.objects.create(
                grant_round=self,
                title=title,
                guidance="What to look for.",
                worked_example="An example.",
                weight=Decimal(weight),
                position=position,
                descriptor_1="Not at all",
                descriptor_2="A little",
                descriptor_3="Some",
                descriptor_4="Quite a lot",
                descriptor_5="Very well",
            )
        EligibilityQuestion.objects.create(
            grant_round=self,
            text="Do you work with young people aged 10 to 25?",
            pass_answer=True,
        )


class ApplicationFactory(DjangoModelFactory):
    """A complete application, a draft unless `status=` says otherwise; its budget line adds
    up, its eligibility answers pass, and it serves one LSOA of the round's partnership."""

    class Meta:
        model = "grants.Application"
        skip_postgeneration_save = True

    grant_round = factory.SubFactory(GrantRoundFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, partnership=factory.SelfAttribute("..grant_round.partnership")
    )
    status = "draft"
    title = factory.Sequence(lambda n: f"Youth club nights {n}")
    summary = "Friday night football and mentoring in the park."
    amount_requested = Decimal("3000")
    young_people_expected = 60
    contact_name = "Pat Organiser"
    contact_email = factory.Sequence(lambda n: f"pat{n}@group.example.org")
    contact_phone = "07700 900123"
    created_by = factory.SubFactory(
        UserFactory, partnership=factory.SelfAttribute("..grant_round.partnership")
    )
    submitted_at = factory.LazyAttribute(lambda o: None if o.status == "draft" else _now())

    @factory.post_generation
    def complete(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from grants.models import BudgetLine, EligibilityAnswer

        BudgetLine.objects.create(
            application=self, description="Coaches", amount=self.amount_requested
        )
        for question in self.grant_round.eligibility_questions.all():
            EligibilityAnswer.objects.create(
                application=self, question=question, answer=question.pass_answer
            )
        self.lsoas.add(LSOAFactory(partnership=self.grant_round.partnership))


def applicant_for(organisation, **kwargs):
    """A user with the applicant role who belongs to `organisation`."""
    from grants.models import OrganisationMembership

    user = UserFactory(partnership=organisation.partnership, roles=["applicant"], **kwargs)
    OrganisationMembership.objects.create(user=user, organisation=organisation)
    return user


class PanelMemberFactory(DjangoModelFactory):
    """A trained 16-year-old reviewer with a parent's consent."""

    class Meta:
        model = "grants.PanelMember"

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(
        UserFactory,
        partnership=factory.SelfAttribute("..partnership"),
        roles=["youth_reviewer"],
    )
    date_of_birth = factory.LazyFunction(
        lambda: _now().date().replace(day=1) - datetime.timedelta(days=16 * 366)
    )
    training_completed_on = datetime.date(2026, 1, 10)
    guardian_consent_recorded_on = datetime.date(2026, 1, 3)


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = "grants.Assignment"

    application = factory.SubFactory(ApplicationFactory, status="eligible")
    reviewer = factory.SubFactory(
        PanelMemberFactory,
        partnership=factory.SelfAttribute("..application.grant_round.partnership"),
    )


# --- Areas, crime, hotspots and the risk index (issue 3) ------------------------------------


class FactorFactory(DjangoModelFactory):
    """A factor of a partnership: an imported indicator unless told otherwise."""

    class Meta:
        model = "vru.Factor"

    partnership = factory.SubFactory(PartnershipFactory)
    key = factory.Sequence(lambda n: f"factor-{n}")
    name = factory.Sequence(lambda n: f"Factor {n}")
    source = "indicator"


class CrimeFactorFactory(FactorFactory):
    source = "crime"
    is_proxy = True
    crime_weights = factory.LazyFunction(lambda: {"Violence and sexual offences": 1})


class AreaIndicatorFactory(DjangoModelFactory):
    class Meta:
        model = "vru.AreaIndicator"

    lsoa = factory.SubFactory(LSOAFactory)
    partnership = factory.SelfAttribute("lsoa.partnership")
    factor = factory.SubFactory(FactorFactory, partnership=factory.SelfAttribute("..partnership"))
    period = "year"
    period_start = datetime.date(2025, 1, 1)
    value = 1.0
    source = "Test indicator"


class CrimeCountFactory(DjangoModelFactory):
    class Meta:
        model = "vru.CrimeCount"

    lsoa = factory.SubFactory(LSOAFactory)
    partnership = factory.SelfAttribute("lsoa.partnership")
    month = datetime.date(2019, 1, 1)
    crime_type = "Violence and sexual offences"
    count = 1


def make_risk_run(partnership, *, values: dict | None = None, weights=None, top_percent=5):
    """A finished risk run, built through the services as an analyst would build it.

    `values` maps LSOA code -> value of one indicator factor; the LSOAs are made if missing.
    """
    values = values or {"E01000001": 3.0, "E01000002": 2.0, "E01000003": 1.0}
    factor = FactorFactory(partnership=partnership, key="need", name="Need")
    for code, value in values.items():
        lsoa = LSOA.objects.filter(code=code).first() or LSOAFactory(
            partnership=partnership, code=code, population=1500
        )
        AreaIndicatorFactory(lsoa=lsoa, factor=factor, value=value)
    run = services.risk_run_create(
        actor=None,
        partnership=partnership,
        weights=weights or {"need": 1},
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        top_percent=Decimal(top_percent),
        label="Test run",
    )
    return services.risk_run_compute(run_id=run.pk)


# ---------------------------------------------------------------------------------------
# The Serious Violence Duty
# ---------------------------------------------------------------------------------------


class DutyHolderFactory(DjangoModelFactory):
    class Meta:
        model = "duty.DutyHolder"

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"County Council {n}")
    kind = "local_authority"


class StrategyFactory(DjangoModelFactory):
    class Meta:
        model = "duty.Strategy"

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Serious Violence Strategy {n}")
    published_on = datetime.date(2024, 1, 31)
    next_review_on = datetime.date(2025, 1, 31)


# ---------------------------------------------------------------------------------------
# Form data for GOV.UK date inputs (vru.forms.GovukDateField / GovukDateTimeField)
# ---------------------------------------------------------------------------------------


def govuk_date(name: str, value: str) -> dict[str, str]:
    """POST data for a GOV.UK date (and time) input: "2027-01-31" or "2027-01-31 09:00"
    becomes name_day=31, name_month=1, name_year=2027 (and name_time=09:00)."""
    date, _, time = value.partition(" ")
    year, month, day = date.split("-")
    data = {f"{name}_day": str(int(day)), f"{name}_month": str(int(month)), f"{name}_year": year}
    if time:
        data[f"{name}_time"] = time
    return data
