"""A small, hand-made partnership year for the impact-report tests: every record made
through the services, with records outside the period and in another partnership that
must not be counted."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from evaluation import services as evaluation_services
from grants import services as grant_services
from grants.models import MonitoringReturn
from programmes import services as programme_services
from tests.evaluation.factories import FeedbackResponseFactory, ListeningExerciseFactory
from tests.factories import (
    ApplicationFactory,
    GrantRoundFactory,
    LocalAuthorityFactory,
    LSOAFactory,
    ProgrammeFactory,
    RecommendationFactory,
    ReferralFactory,
    StrategicNeedsAssessmentFactory,
    SuccessMeasureComparisonFactory,
    SuccessMeasureFactory,
    SuccessMeasureValueFactory,
    UserFactory,
    make_risk_run,
)
from vru import services as vru_services
from vru.models import Role


@dataclass
class YearOfWork:
    partnership: object
    start: datetime.date
    end: datetime.date
    reroute: object
    detached: object
    la_north: object
    la_south: object
    lsoas: list
    priority: set


def _referral(programme, lsoa, *, days_ago: int, contact_hours: float | None, age: int = 15):
    now = timezone.now()
    event_at = now - datetime.timedelta(days=days_ago)
    referral = ReferralFactory(
        programme=programme,
        event_at=event_at,
        referred_at=event_at + datetime.timedelta(hours=1),
        home_lsoa=lsoa,
        date_of_birth=(event_at - datetime.timedelta(days=365 * age + 100)).date(),
    )
    if contact_hours is not None:
        programme_services.contact_record(
            actor=None,
            referral=referral,
            occurred_at=event_at + datetime.timedelta(hours=contact_hours),
            method="phone",
        )
    return referral


def make_year(partnership, other_partnership) -> YearOfWork:
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=364), today
    la_north = LocalAuthorityFactory(partnership=partnership, name="Northtown")
    la_south = LocalAuthorityFactory(partnership=partnership, name="Southtown")
    lsoas = [
        LSOAFactory(local_authority=la_north, code="E01900001"),
        LSOAFactory(local_authority=la_north, code="E01900002"),
        LSOAFactory(local_authority=la_south, code="E01900003"),
        LSOAFactory(local_authority=la_south, code="E01900004"),
        LSOAFactory(local_authority=la_south, code="E01900005"),
    ]
    run = make_risk_run(
        partnership,
        values={
            "E01900001": 9.0,
            "E01900002": 1.0,
            "E01900003": 8.0,
            "E01900004": 2.0,
            "E01900005": 3.0,
        },
        top_percent=40,
    )
    vru_services.risk_run_make_current(actor=None, run=run)
    reroute = ProgrammeFactory(partnership=partnership, name="ReRoute", budget=Decimal("50000"))
    detached = ProgrammeFactory(
        partnership=partnership,
        name="Detached Youth Work",
        kind="detached",
        budget=Decimal("42000"),
    )
    # ReRoute: 13 referrals in the period: 8 contacted within 24h, 4 late, 1 never.
    referrals = []
    for i in range(8):
        referrals.append(_referral(reroute, lsoas[i % 2], days_ago=10 + i, contact_hours=5))
    for i in range(4):
        referrals.append(_referral(reroute, lsoas[2], days_ago=30 + i, contact_hours=40, age=19))
    referrals.append(_referral(reroute, None, days_ago=50, contact_hours=None, age=12))
    # Outside the period, and in another partnership: never counted.
    _referral(reroute, lsoas[0], days_ago=400, contact_hours=2)
    other = ProgrammeFactory(partnership=other_partnership, name="Elsewhere ReRoute")
    for i in range(6):
        _referral(other, None, days_ago=5 + i, contact_hours=3)
    # Outcomes: 6 diverted, 5 back into education or employment (in the period).
    for referral in referrals[:6]:
        programme_services.outcome_record(
            actor=None, referral=referral, kind="diverted", achieved_on=today
        )
    for referral in referrals[3:8]:
        programme_services.outcome_record(
            actor=None, referral=referral, kind="eet", achieved_on=today
        )
    # Detached sessions: 25 + 15 young people, one session before the period.
    programme_services.session_record(
        actor=None,
        programme=detached,
        kind="detached",
        held_on=today - datetime.timedelta(days=3),
        place="Central park",
        lsoa=lsoas[0],
        counts={("14-17", "male"): 17, ("14-17", "female"): 8},
    )
    programme_services.session_record(
        actor=None,
        programme=detached,
        kind="detached",
        held_on=today - datetime.timedelta(days=9),
        place="High Street",
        lsoa=lsoas[3],
        counts={("18-24", "male"): 15},
    )
    programme_services.session_record(
        actor=None,
        programme=detached,
        kind="detached",
        held_on=today - datetime.timedelta(days=500),
        place="Old park",
        lsoa=lsoas[3],
        counts={("18-24", "male"): 99},
    )
    programme_services.session_record(
        actor=None,
        programme=reroute,
        kind="group",
        held_on=today - datetime.timedelta(days=20),
        place="Boxing gym",
        counts={("14-17", "male"): 9},
    )
    # SNA: recommendation 1 delivered by ReRoute, 2 by a grant, 3 by nothing.
    sna = StrategicNeedsAssessmentFactory(
        partnership=partnership, published=True, period_start=start, period_end=end
    )
    rec1 = RecommendationFactory(needs_assessment=sna, number=1, text="Divert after arrest.")
    rec2 = RecommendationFactory(needs_assessment=sna, number=2, text="Safe spaces.")
    RecommendationFactory(needs_assessment=sna, number=3, text="Street lighting.")
    reroute.recommendations.add(rec1)
    # Grants: two groups funded; one approved return reaching 44 young people.
    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    grant_round = GrantRoundFactory(partnership=partnership)
    awards = []
    for name in ("Boxing Club", "Youth Theatre"):
        application = ApplicationFactory(
            grant_round=grant_round,
            status="eligible",
            organisation__name=name,
            organisation__local_authority=la_north,
        )
        application.recommendations.add(rec2)
        decision = grant_services.decision_record(
            actor=officer,
            override_reason="Decided early to set up this test.",
            application=application,
            outcome="fund",
            amount=Decimal("3000"),
            reasons="Good",
        )
        awards.append(
            grant_services.award_create(
                actor=officer,
                decision=decision,
                starts_on=start,
                ends_on=end,
                tranche_count=2,
            )
        )
    first = awards[0].monitoring_returns.get(number=1)
    MonitoringReturn.objects.filter(pk=first.pk).update(
        status="approved",
        young_people_by_age_band={"10-13": 14, "14-17": 27, "18-24": 3},
        approved_at=timezone.now() - datetime.timedelta(days=2),
    )
    # Success measure with a baseline, and the two comparisons its needs assessment makes.
    measure = SuccessMeasureFactory(partnership=partnership, name="Knife crime", unit="offences")
    baseline = SuccessMeasureValueFactory(
        measure=measure,
        period_start=datetime.date(2019, 4, 1),
        period_end=datetime.date(2020, 3, 31),
        label="2019/20",
        value=Decimal("1176"),
        is_baseline=True,
    )
    last_year = SuccessMeasureValueFactory(
        measure=measure,
        period_start=start - datetime.timedelta(days=365),
        period_end=start - datetime.timedelta(days=1),
        label="Last year",
        value=Decimal("1100"),
    )
    this_year = SuccessMeasureValueFactory(
        measure=measure,
        period_start=start,
        period_end=end,
        label="This year",
        value=Decimal("1066"),
    )
    SuccessMeasureComparisonFactory(
        earlier=last_year, later=this_year, kind="previous", note="Rolling years."
    )
    SuccessMeasureComparisonFactory(
        earlier=baseline,
        later=this_year,
        kind="baseline",
        source_table="Table B",
        note="Financial year 2019/20 compared with the year to the report's end.",
    )
    # Voice: 7 responses about lighting (an action delivered), 3 about safe spaces.
    exercise = ListeningExerciseFactory(partnership=partnership, period_start=start, period_end=end)
    themes = {t.name: t for t in exercise.themes.all()}
    lighting = themes["Street lighting and CCTV"]
    spaces = themes["Youth facilities and safe spaces"]
    for _ in range(7):
        FeedbackResponseFactory(
            exercise=exercise, responded_on=today, themes=[lighting], local_authority=la_north
        )
    for _ in range(3):
        FeedbackResponseFactory(
            exercise=exercise, responded_on=today, themes=[spaces], local_authority=la_south
        )
    evaluation_services.action_save(
        actor=UserFactory(partnership=partnership, roles=[Role.ANALYST]),
        theme=lighting,
        what="Lit the station path.",
        who="District council",
        status="delivered",
        delivered_on=today,
        spend=Decimal("4200"),
    )
    return YearOfWork(
        partnership=partnership,
        start=start,
        end=end,
        reroute=reroute,
        detached=detached,
        la_north=la_north,
        la_south=la_south,
        lsoas=lsoas,
        priority={"E01900001", "E01900003"},
    )


@dataclass
class EvaluationWork:
    reroute_evaluation: object
    detached_evaluation: object
    grant_evaluation: object
    named_reference: str  # a young person's reference written into a findings text
    scored_referrals: list


def add_evaluation_work(year: YearOfWork, other_partnership) -> EvaluationWork:
    """Evaluations, outcome scores and a benefit estimate on top of `make_year`: ReRoute
    (independent, rated, costed, 10 young people scored on WEMWBS in Northtown: 5 improved by
    3 or more, 5 did not), Detached Youth Work (internal, no findings yet, 3 young people
    scored on SDQ in Southtown), a grant award evaluated with 3 recorded participants, and
    evaluations outside the period and in another partnership that must not appear."""
    from tests.evaluation.factories import award_for, past_referral, scores, unit_cost

    partnership = year.partnership
    scores_from = year.start + datetime.timedelta(days=10)
    wemwbs = [(40, 46), (40, 45), (38, 44), (41, 45), (39, 42)]  # improved (3 or more)
    wemwbs += [(40, 41), (40, 40), (42, 41), (40, 42), (39, 40)]  # not
    scored = []
    for first, last in wemwbs:
        referral = past_referral(year.reroute, days_ago=400, home_lsoa=year.lsoas[0])
        scores(referral, "wemwbs", first, last, start=scores_from)
        scored.append(referral)
    for first, last in [(20, 15), (18, 16), (22, 18)]:
        referral = past_referral(year.detached, days_ago=400, home_lsoa=year.lsoas[3])
        scores(referral, "sdq-total", first, last, start=scores_from)
        scored.append(referral)
    # Scores before the period are not counted.
    early = past_referral(year.reroute, days_ago=800, home_lsoa=year.lsoas[0])
    scores(early, "wemwbs", 20, 60, start=year.start - datetime.timedelta(days=200))
    named = scored[0].young_person.reference
    reroute_evaluation = evaluation_services.evaluation_save(
        actor=None,
        partnership=partnership,
        programme=year.reroute,
        title="ReRoute diversion evaluation",
        kind="independent",
        method="comparison",
        evaluator="University of Essex",
        status="reported",
        reported_on=year.end - datetime.timedelta(days=5),
        starts_on=year.start - datetime.timedelta(days=30),
        findings="Reoffending fell by a third against the matched comparison group. "
        f"Young person {named} did especially well.",
        evidence_rating=3,
        cost=Decimal("50000"),
        participants=40,
    )
    evaluation_services.benefit_assumption_add(
        actor=None,
        evaluation=reroute_evaluation,
        unit_cost=unit_cost("Violence with injury"),
        offences_averted_per_participant=Decimal("0.2"),
        basis="Comparison group effect size.",
    )
    detached_evaluation = evaluation_services.evaluation_save(
        actor=None,
        partnership=partnership,
        programme=year.detached,
        title="Detached youth work listening review",
        kind="internal",
        method="qualitative",
        evaluator="VRU analyst team",
        status="in_progress",
        starts_on=year.end - datetime.timedelta(days=60),
    )
    grant_evaluation = evaluation_services.evaluation_save(
        actor=None,
        partnership=partnership,
        award=award_for(partnership),
        title="Small grant pilot review",
        kind="internal",
        method="pre_post",
        evaluator="Grants team",
        status="reported",
        reported_on=year.end - datetime.timedelta(days=5),
        starts_on=year.start,
        ends_on=year.end,
        findings=f"Sessions were well attended ({named.lower()} came every week).",
        evidence_rating=2,
        participants=3,
    )
    evaluation_services.evaluation_save(
        actor=None,
        partnership=partnership,
        programme=year.reroute,
        title="Old pilot (ended before the period)",
        kind="internal",
        method="pre_post",
        evaluator="Old team",
        starts_on=year.start - datetime.timedelta(days=700),
        ends_on=year.start - datetime.timedelta(days=10),
    )
    evaluation_services.evaluation_save(
        actor=None,
        partnership=other_partnership,
        programme=ProgrammeFactory(partnership=other_partnership, name="Their programme"),
        title="Another partnership's evaluation",
        kind="internal",
        method="pre_post",
        evaluator="Them",
        starts_on=year.start,
    )
    return EvaluationWork(
        reroute_evaluation=reroute_evaluation,
        detached_evaluation=detached_evaluation,
        grant_evaluation=grant_evaluation,
        named_reference=named,
        scored_referrals=scored,
    )
