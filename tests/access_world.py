"""The world the access matrix is tried in: one partnership with every kind of record, each
in two versions where a role's scope is narrower than the partnership, and a second
partnership with the same records.

- ``in``: inside the scope of the signed-in users (the practitioner's own caseload, the
  manager's programme, the applicant's organisation, the reviewer's assignment, a published
  needs assessment ...);
- ``out``: in the same partnership but outside that scope (another programme's referral,
  another organisation's application, another reviewer's assignment, a draft assessment);
- ``other``: the same record in another partnership.

Everything is built through services and the shared factories (tests/factories.py), as users
would build it. Every name in the other partnership carries ``OTHER_MARKER`` so that the
matrix can check that no response of the first partnership ever shows one of them.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from duty import services as duty_services
from duty.models import PartnerMember, ReadinessArea
from evaluation import services as evaluation_services
from evaluation.models import SafeguardingAlert
from evaluation.services import reports as report_services
from finance import services as finance_services
from grants import services as grant_services
from grants.models import Attachment, OrganisationMembership, PanelMember
from programmes import services as programme_services
from rights.models import GatheredItem, Redaction, SubjectAccessRequest
from sharing import services as sharing_services
from sharing.models import DisclosureLog, PartnerToken
from tests.evaluation.factories import (
    EvaluationFactory,
    FeedbackResponseFactory,
    ListeningExerciseFactory,
    instrument,
    unit_cost,
)
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CrimeCountFactory,
    CrimeFactorFactory,
    DutyHolderFactory,
    FactorFactory,
    GrantRoundFactory,
    LSOAFactory,
    OrganisationFactory,
    PanelMemberFactory,
    ProgrammeFactory,
    RecommendationFactory,
    ReferralFactory,
    StrategicNeedsAssessmentFactory,
    StrategyFactory,
    SuccessMeasureFactory,
    SuccessMeasureValueFactory,
    UserFactory,
    applicant_for,
    make_risk_run,
)
from vru import services
from vru.models import AreaProfile, Hotspot, ImportJob, Role

OTHER_MARKER = "Zotherpartnershipz"

# A minimal PDF: what the SNA document and grant attachment validators accept.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _records(partnership, tag: str, lsoa_prefix: str) -> dict:
    """Every kind of record of one partnership, with the objects in and out of scope."""
    now = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
    grants_officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])

    # --- areas and strategy
    lsoas = [
        LSOAFactory(partnership=partnership, code=f"{lsoa_prefix}{n:03d}", name=f"{tag}town {n}")
        for n in range(1, 4)
    ]
    crime = CrimeFactorFactory(partnership=partnership, key="violence", name=f"{tag} violence")
    CrimeCountFactory(lsoa=lsoas[0], count=60)
    for lsoa in lsoas[1:]:
        CrimeCountFactory(lsoa=lsoa, count=5)
    services.hotspots_compute(actor=None, partnership=partnership, factor=crime, year=2019)
    services.area_profiles_generate(
        actor=None, partnership=partnership, month=datetime.date(2019, 1, 1)
    )
    run = make_risk_run(partnership, values={lsoa.code: float(i) for i, lsoa in enumerate(lsoas)})
    crime_import = services.crime_file_import(
        actor=None,
        partnership=partnership,
        file_name=f"2019-02-{tag.lower()}-street.csv",
        content=(
            "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
            "LSOA name,Crime type,Last outcome category,Context\n"
            f"x,2019-02,P,P,0,51,Here,{lsoas[0].code},A,Robbery,None,\n"
        ).encode(),
    )
    indicator_factor = FactorFactory(partnership=partnership, key="income", name=f"{tag} income")
    services.indicators_import(
        actor=None,
        partnership=partnership,
        dataset=services.read_table(
            file_name=f"{tag.lower()}-income.csv",
            content=(
                "lsoa_code,factor,period,period_start,value,source\n"
                f"{lsoas[0].code},{indicator_factor.key},year,2025,0.2,IoD2025\n"
            ).encode(),
        ),
        file_name=f"{tag.lower()}-income.csv",
    )
    postcode_job = services.import_job_create(
        actor=None,
        partnership=partnership,
        kind=ImportJob.Kind.POSTCODES,
        file_name=f"{tag.lower()}-nspl.csv",
        content=f"pcds,lsoa21cd\nCM{lsoa_prefix[-2:]} 1AA,{lsoas[0].code}\n".encode(),
    )
    services.reviewed_import_job_run(job_id=postcode_job.pk)
    services.import_job_confirm(actor=None, job=postcode_job)
    services.reviewed_import_job_run(job_id=postcode_job.pk)
    published = StrategicNeedsAssessmentFactory(
        partnership=partnership, published=True, title=f"{tag} needs assessment 2023"
    )
    published.document.save("sna.pdf", ContentFile(PDF_BYTES))
    draft = StrategicNeedsAssessmentFactory(
        partnership=partnership,
        title=f"{tag} draft 2024",
        period_start=datetime.date(2023, 8, 1),  # the refresh of the published one
        period_end=datetime.date(2024, 7, 31),
    )
    draft.document.save("draft.pdf", ContentFile(PDF_BYTES))
    measure = SuccessMeasureFactory(partnership=partnership, name=f"{tag} knife crime")
    SuccessMeasureValueFactory(measure=measure)

    # --- programmes
    programme = ProgrammeFactory(partnership=partnership, name=f"{tag} ReRoute")
    other_programme = ProgrammeFactory(partnership=partnership, name=f"{tag} Navigators")
    referrals, contacts, outcomes = {}, {}, {}
    for key, prog in (("in", programme), ("out", other_programme)):
        referral = ReferralFactory(
            programme=prog,
            last_name=f"{tag}surname",
            event_at=now,
            # consent given, so that recording its withdrawal is open to those who may
            consent_given_by="young_person",
            consent_given_at=now + datetime.timedelta(hours=2),
        )
        contacts[key] = programme_services.contact_record(
            actor=None,
            referral=referral,
            occurred_at=now + datetime.timedelta(hours=3),
            method="phone",
        )
        outcomes[key] = programme_services.outcome_record(
            actor=None, referral=referral, kind="safety_plan", achieved_on=now.date()
        )
        referrals[key] = referral
    sessions = {
        key: programme_services.session_record(
            actor=None,
            programme=prog,
            kind="detached",
            held_on=datetime.date(2026, 3, 2),
            place=f"{tag} park",
            counts={("14-17", "male"): 4},
        )
        for key, prog in (("in", programme), ("out", other_programme))
    }

    import_jobs = {
        key: ImportJob.objects.create(
            partnership=partnership,
            kind=ImportJob.Kind.REFERRALS,
            target_id=prog.pk,
            file_name=f"{tag} custody.csv",
            content=b"",
            status=ImportJob.Status.SUCCEEDED,
        )
        for key, prog in (("in", programme), ("out", other_programme))
    }
    for key, session in sessions.items():
        programme_services.session_attendee_add(
            actor=None, session=session, young_person=referrals[key].young_person
        )
    outcome_scores = {
        key: evaluation_services.outcome_score_record(
            actor=None,
            referral=referral,
            instrument=instrument("wemwbs"),
            time_point="baseline",
            scored_on=datetime.date(2026, 3, 10),
            total=40,
        )
        for key, referral in referrals.items()
    }

    # --- young people's rights: a request, with one record gathered
    sar = SubjectAccessRequest.objects.create(
        partnership=partnership,
        young_person=referrals["in"].young_person,
        requester_name=f"{tag} requester",
        relationship="self",
        identity_check="photo_id",
        received_on=datetime.date(2026, 3, 20),
        due_on=datetime.date(2026, 4, 20),
    )
    gathered = GatheredItem.objects.create(
        request=sar,
        position=1,
        kind="contact",
        source_label="Contact",
        field="Notes",
        text=f"{tag} note",
    )

    # --- grants
    grant_round = GrantRoundFactory(partnership=partnership, title=f"{tag} community grants")
    organisation = OrganisationFactory(partnership=partnership, name=f"{tag} youth club")
    draft_application = ApplicationFactory(
        grant_round=grant_round, organisation=organisation, title=f"{tag} draft bid"
    )
    Attachment.objects.create(
        application=draft_application,
        title="Budget",
        file=ContentFile(PDF_BYTES, name="budget.pdf"),
        uploaded_by=draft_application.created_by,
    )
    other_draft = ApplicationFactory(grant_round=grant_round, title=f"{tag} their draft")
    Attachment.objects.create(
        application=other_draft,
        title="Budget",
        file=ContentFile(PDF_BYTES, name="budget.pdf"),
        uploaded_by=other_draft.created_by,
    )
    eligible = ApplicationFactory(
        grant_round=grant_round, organisation=organisation, status="eligible", title=f"{tag} bid"
    )
    other_eligible = ApplicationFactory(
        grant_round=grant_round, status="eligible", title=f"{tag} their bid"
    )
    reviewer = PanelMemberFactory(partnership=partnership)
    other_reviewer = PanelMemberFactory(partnership=partnership)
    assignment = AssignmentFactory(application=eligible, reviewer=reviewer)
    other_assignment = AssignmentFactory(application=other_eligible, reviewer=other_reviewer)
    scores = {}
    for key, given in (("in", assignment), ("out", other_assignment)):
        actor = given.reviewer.user
        given = grant_services.no_conflict_declare(actor=actor, assignment=given)
        criteria = given.application.grant_round.criteria.all()
        grant_services.scores_save(
            actor=actor, assignment=given, scores={c.pk: (4, "Clear plan") for c in criteria}
        )
        scores[key] = given.scores.order_by("pk").first()
    awards = {}
    for key, org in (("in", organisation), ("out", None)):
        kwargs = {"organisation": org} if org else {}
        application = ApplicationFactory(
            grant_round=grant_round, status="eligible", title=f"{tag} funded {key}", **kwargs
        )
        decision = grant_services.decision_record(
            actor=grants_officer,
            override_reason="Decided early to set up this test.",
            application=application,
            outcome="fund",
            amount=Decimal("2000"),
            reasons="Good",
        )
        grant_services.decision_letter_send(decision_id=decision.pk)
        awards[key] = grant_services.award_create(
            actor=grants_officer,
            decision=decision,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 6, 30),
        )

    # --- listening projects
    exercise = ListeningExerciseFactory(partnership=partnership, name=f"{tag} listening")
    response = FeedbackResponseFactory(exercise=exercise, words=f"{tag} words about my street")
    listening_manager = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    action = evaluation_services.action_save(
        actor=listening_manager,
        theme=exercise.themes.first(),
        what=f"{tag} lights",
        who="Council",
    )
    evaluation_services.exercise_set_public(
        actor=listening_manager, exercise=exercise, is_public=True
    )
    alert = SafeguardingAlert.objects.create(response=response)
    listening_import = ImportJob.objects.create(
        partnership=partnership,
        kind=ImportJob.Kind.LISTENING_RESPONSES,
        target_id=exercise.pk,
        file_name=f"{tag} responses.csv",
        content=b"",
        status=ImportJob.Status.SUCCEEDED,
    )

    # --- evaluations and impact reports
    evaluations = {
        key: EvaluationFactory(partnership=partnership, programme=prog, title=f"{tag} eval {key}")
        for key, prog in (("in", programme), ("out", other_programme))
    }
    benefits = {
        key: evaluation_services.benefit_assumption_add(
            actor=None,
            evaluation=evaluation,
            unit_cost=unit_cost("Violence with injury"),
            offences_averted_per_participant=Decimal("0.1"),
            basis="YEF toolkit",
        )
        for key, evaluation in evaluations.items()
    }
    report = report_services.request_impact_report(
        actor=listening_manager,
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2026, 3, 31),
    )
    report = report_services.impact_report_build(report_id=report.pk)
    member = UserFactory(partnership=partnership, roles=[Role.APPLICANT])

    # --- money
    stream = finance_services.funding_stream_save(
        actor=None,
        partnership=partnership,
        funder="Home Office",
        grant_name=f"{tag} VRU grant",
        financial_year=2025,
        amount=Decimal("100000"),
        spend_type="intervention",
    )
    finance_services.allocation_add(
        actor=None, stream=stream, programme=programme, amount=Decimal("40000")
    )
    spend = finance_services.spend_record(
        actor=None, programme=programme, financial_year=2025, quarter=1, amount=Decimal("9000")
    )
    quarterly_return = finance_services.return_produce(
        actor=None, partnership=partnership, financial_year=2025, quarter=1
    )
    # commissioned providers: "in" delivers the "in" programme, "out" another provider the other
    contracts = {}
    for key, prog in (("in", programme), ("out", other_programme)):
        provider = finance_services.provider_create(
            actor=None, partnership=partnership, name=f"{tag} provider {key}"
        )
        contracts[key] = finance_services.contract_create(
            actor=None,
            provider=provider,
            programme=prog,
            value=Decimal("50000"),
            starts_on=datetime.date(2025, 4, 1),
            ends_on=datetime.date(2026, 3, 31),
            kpis=[("Young people engaged", Decimal("40"), "young people")],
        )
    provider_staff = finance_services.provider_staff_add(
        actor=None,
        provider=contracts["in"].provider,
        user=UserFactory(partnership=partnership, roles=[Role.PROVIDER]),
    )
    kpi_figures = {
        key: finance_services.kpi_figure_record(
            actor=None,
            kpi=contract.kpis.get(),
            financial_year=2025,
            quarter=1,
            value=Decimal("12"),
        )
        for key, contract in contracts.items()
    }
    spend_import = ImportJob.objects.create(
        partnership=partnership,
        kind=ImportJob.Kind.FINANCE_SPEND,
        file_name=f"{tag} spend.csv",
        content=b"",
        status=ImportJob.Status.SUCCEEDED,
    )
    population_import = ImportJob.objects.create(
        partnership=partnership,
        kind=ImportJob.Kind.POPULATION,
        file_name=f"{tag} population.csv",
        content=b"",
        status=ImportJob.Status.SUCCEEDED,
    )
    membership = OrganisationMembership.objects.create(user=member, organisation=organisation)

    return {
        "partnership": partnership,
        "organisation": organisation,
        "grant_organisation": {"in": organisation},
        "organisation_membership": {"in": membership},
        "referral_import_job": import_jobs,
        "scored_referral": referrals,
        "outcome_score": outcome_scores,
        "evaluation": evaluations,
        "benefit_assumption": benefits,
        "impact_report": {"in": report},
        "programme": {"in": programme, "out": other_programme},
        "reviewer": reviewer,
        "referral": referrals,
        "contact": contacts,
        "outcome": outcomes,
        "session": sessions,
        "lsoa": {"in": lsoas[0]},
        "needs_assessment": {"in": published, "out": draft},
        "refreshed_needs_assessment": {"in": draft},
        "recommendation": {
            "in": RecommendationFactory(needs_assessment=published),
            "out": RecommendationFactory(needs_assessment=draft),
        },
        "success_measure": {"in": measure},
        "risk_run": {"in": run},
        "crime_import_job": {"in": crime_import.job},
        "indicator_import_job": {
            "in": ImportJob.objects.get(
                partnership=partnership, kind=ImportJob.Kind.AREA_INDICATORS
            )
        },
        "postcode_import_job": {
            "in": ImportJob.objects.get(partnership=partnership, kind=ImportJob.Kind.POSTCODES)
        },
        "hotspot": {"in": Hotspot.objects.filter(partnership=partnership).first()},
        "area_profile": {"in": AreaProfile.objects.filter(partnership=partnership).first()},
        "grant_round": {"in": grant_round},
        "draft_application": {"in": draft_application, "out": other_draft},
        "attachment": {
            "in": draft_application.attachments.get(),
            "out": other_draft.attachments.get(),
        },
        "application": {"in": eligible, "out": other_eligible},
        "decided_application": {k: a.decision.application for k, a in awards.items()},
        "assignment": {"in": assignment, "out": other_assignment},
        "score": scores,
        "panel_member": {"in": reviewer, "out": other_reviewer},
        "award": awards,
        "tranche": {k: a.tranches.order_by("pk").first() for k, a in awards.items()},
        "monitoring_return": {
            k: a.monitoring_returns.order_by("pk").first() for k, a in awards.items()
        },
        "exercise": {"in": exercise},
        "response": {"in": response},
        "listening_import_job": {"in": listening_import},
        "funding_stream": {"in": stream},
        "quarterly_spend": {"in": spend},
        "spend_import_job": {"in": spend_import},
        "population_import_job": {"in": population_import},
        "quarterly_return": {"in": quarterly_return},
        # a figure of the return: the "in" programme's (managed by the world's manager) and
        # another programme's
        "return_cell": {
            key: SimpleNamespace(
                pk=quarterly_return.pk, programme_pk=prog.pk, column="young_people_reached"
            )
            for key, prog in (("in", programme), ("out", other_programme))
        },
        "contract": contracts,
        "provider": {key: contract.provider for key, contract in contracts.items()},
        "kpi": {key: contract.kpis.get() for key, contract in contracts.items()},
        "kpi_figure": kpi_figures,
        "provider_staff": {"in": provider_staff},
        "action": {"in": action},
        "public_exercise": {"in": exercise},
        "safeguarding_alert": {"in": alert},
        "duty_holder": {"in": DutyHolderFactory(partnership=partnership, name=f"{tag} council")},
        "strategy": {"in": StrategyFactory(partnership=partnership, title=f"{tag} strategy")},
        "duty_action": {
            key: duty_services.action_create(
                actor=None,
                recommendation=RecommendationFactory(needs_assessment=published),
                title=f"{tag} action {key}",
                owner=DutyHolderFactory(partnership=partnership, name=f"{tag} {owner}"),
                owner_name="Lead",
                due_on=datetime.date(2026, 9, 30),
            )
            for key, owner in (("in", "police"), ("out", "fire service"))
        },
        **_sharing_records(partnership, tag),
        "subject_access_request": {"in": sar},
        "gathered_item": {"in": gathered},
        "redaction": {
            "in": Redaction.objects.create(
                item=gathered, reason="A third party", redacted_by=grants_officer
            )
        },
        "readiness_assessment": {
            "in": duty_services.readiness_assessment_record(
                actor=None,
                partnership=partnership,
                assessed_on=datetime.date(2025, 6, 30),
                kind="self",
                scores={area.value: 3 for area in ReadinessArea},
            )
        },
    }


def _sharing_records(partnership, tag: str) -> dict:
    """A partner organisation, an agreement in force with it, and a disclosure under it."""
    today = timezone.localdate()
    organisation = sharing_services.organisation_save(
        actor=None, partnership=partnership, name=f"{tag} constabulary", kind="police"
    )
    agreement = sharing_services.agreement_save(
        actor=None,
        partnership=partnership,
        parties=[organisation],
        title=f"{tag} police referrals",
        purpose="Joint support",
        lawful_basis="e",
        criminal_offence_condition="para10",
        kinds=["referral"],
        direction="both",
        frequency="as_needed",
        recipient_retention="Six years",
        signatories="Head of information governance",
        starts_on=today - datetime.timedelta(days=30),
        review_on=today + datetime.timedelta(days=300),
    )
    disclosure = DisclosureLog.objects.create(
        partnership=partnership,
        agreement=agreement,
        recipient=organisation,
        kind="referral",
        purpose=f"{tag} case review",
        door="Referral export",
        fields=["id"],
        record_count=0,
    )
    issuer = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR])
    token, _key = services.api_token_create(actor=issuer, name=f"{tag} police system")
    partner_token = PartnerToken.objects.create(
        token=token, recipient=organisation, agreement=agreement
    )
    return {
        "sharing_organisation": {"in": organisation},
        "sharing_agreement": {"in": agreement},
        "disclosure": {"in": disclosure},
        "partner_token": {"in": partner_token},
    }


def build_world(partnership, other_partnership) -> dict:
    """Records of both partnerships. ``world[key]`` maps "in", "out" (where the scope is
    narrower than the partnership) and "other" to one object each."""
    mine = _records(partnership, "Ours", "E01021")
    theirs = _records(other_partnership, OTHER_MARKER, "E01015")
    world = {"partnership": partnership, "mine": mine}
    for key, variants in mine.items():
        if isinstance(variants, dict):
            world[key] = {**variants, "other": theirs[key]["in"]}
    return world


def user_for(world, role: str):
    """A user of the world's first partnership holding `role`, wired to the "in" records:
    the manager manages the programme, the practitioner holds the referral in their
    caseload (so does provider staff, of the provider contracted for the programme), the applicant belongs to the organisation, the reviewer is the assigned panel
    member. ``None`` for anonymous."""
    if role == "anonymous":
        return None
    mine = world["mine"]
    if role == Role.APPLICANT:
        return applicant_for(mine["organisation"])
    if role == Role.YOUTH_REVIEWER:
        return PanelMember.objects.get(pk=mine["reviewer"].pk).user
    user = UserFactory(partnership=world["partnership"], roles=[role])
    if role == Role.PARTNER:
        PartnerMember.objects.create(user=user, holder=mine["duty_action"]["in"].owner)
        return user
    programme = mine["programme"]["in"]
    if role == Role.PROGRAMME_MANAGER:
        programme_services.programme_staff_set(
            actor=None, programme=programme, user=user, role="manager"
        )
    elif role in (Role.PRACTITIONER, Role.PROVIDER):
        if role == Role.PROVIDER:
            # linked to the provider contracted for the "in" programme, which makes them a
            # practitioner of it (finance.services.provider_staff_add)
            finance_services.provider_staff_add(
                actor=None, provider=mine["contract"]["in"].provider, user=user
            )
        else:
            programme_services.programme_staff_set(
                actor=None, programme=programme, user=user, role="practitioner"
            )
        programme_services.referral_assign(
            actor=None, referral=mine["referral"]["in"], assigned_to=user
        )
    return user
