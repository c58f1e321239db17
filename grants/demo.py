"""Demo data for grants, per partnership: an open round and a decided round, with
organisations, applications, a youth panel, assignments, scores, decisions and awards.

Loaded by the `load_demo` AppConfig hook after the core demo (which creates the
<prefix>.grants, <prefix>.reviewer and <prefix>.applicant users used here). Idempotent: a
partnership whose demo rounds exist is left alone. Writes go through the services, except
the decided round's history (scores and dates in the past), which is written directly as
it would have been recorded at the time.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from grants import selectors, services
from grants.models import (
    Application,
    Assignment,
    BudgetLine,
    EligibilityAnswer,
    GrantRound,
    MonitoringReturn,
    OrganisationMembership,
    PanelMember,
    Score,
)
from vru import services as core_services
from vru.demo import DEMO_PASSWORD, PARTNERSHIPS
from vru.models import LSOA, Partnership, Recommendation, Role, User

OPEN_TITLE = "Safer Streets Community Grants 2026/27"
DECIDED_TITLE = "Summer Diversion Grants 2026"

CRITERIA = [
    {
        "title": "Helps young people stay safe",
        "guidance": "Will this project help young people feel and be safer? Think about "
        "whether it reaches young people who most need it, in the places that need it.",
        "worked_example": "A project running football on Friday nights in a park where fights "
        "happen, with youth workers there, would score well. A one-off assembly in a school "
        "far from the area would score lower.",
        "weight": Decimal("2"),
        "descriptor_1": "Does not really help young people stay safe",
        "descriptor_2": "Helps a little, but it is not clear how",
        "descriptor_3": "Helps, and explains how",
        "descriptor_4": "Helps a lot, with a clear plan",
        "descriptor_5": "Helps a lot, with a clear plan, in the places that need it most",
    },
    {
        "title": "Young people have a say",
        "guidance": "Did young people help plan this project, and will they help run it?",
        "worked_example": "A group that asked young people what they wanted and has a youth "
        "committee choosing activities would score 4 or 5.",
        "weight": Decimal("1"),
        "descriptor_1": "Young people are not involved",
        "descriptor_2": "Young people are asked once",
        "descriptor_3": "Young people give ideas",
        "descriptor_4": "Young people help plan it",
        "descriptor_5": "Young people plan and help run it",
    },
    {
        "title": "Good use of money",
        "guidance": "Is the money spent sensibly? Do the costs look right for what they will do?",
        "worked_example": "£3,000 for 40 weekly sessions with two trained coaches is good "
        "value; £3,000 for one trip is not.",
        "weight": Decimal("1"),
        "descriptor_1": "Costs look wrong or too high",
        "descriptor_2": "Some costs are unclear",
        "descriptor_3": "Costs are OK",
        "descriptor_4": "Costs are clear and fair",
        "descriptor_5": "Excellent value for money",
    },
]
QUESTIONS = [
    {
        "text": "Is your organisation based in or working in the partnership's area?",
        "pass_answer": True,
    },
    {
        "text": "Do you have a safeguarding policy reviewed in the last 12 months?",
        "pass_answer": True,
    },
    {"text": "Is this project for profit?", "pass_answer": False},
]
ORGANISATIONS = [
    ("Riverside Youth Football Club", "charity", "1123456"),
    ("Northside Boxing Academy", "cic", ""),
    ("Open Doors Mentoring", "cio", "1187654"),
    ("Youth Voice Arts Collective", "group", ""),
    ("Safe Spaces Detached Youth Work", "charity", "1165432"),
]
PROJECTS = [
    (
        "Friday Night Football",
        "Weekly football and mentoring for 11 to 17 year olds in the "
        "park, with two detached youth workers.",
        "4000",
    ),
    ("Box Clever", "Boxing sessions with talks on knife crime and conflict resolution.", "3500"),
    (
        "Trusted Adults Mentoring",
        "One-to-one mentoring for young people at risk of "
        "exclusion, matched with trained volunteers.",
        "5000",
    ),
    (
        "Our Streets Our Say",
        "Young people design murals and film their ideas for safer "
        "streets, shown at a community event.",
        "2500",
    ),
    (
        "Safe Spaces After Dark",
        "Detached youth work on Friday and Saturday evenings in priority neighbourhoods.",
        "5000",
    ),
]
# Decided round: reviewer scores per application (criterion order), three reviewers each.
DECIDED_SCORES = [
    [(5, 4, 4), (4, 4, 5), (5, 5, 4)],
    [(3, 3, 2), (4, 2, 3), (2, 3, 3)],
    [(4, 5, 3), (5, 4, 4), (4, 4, 4)],
    [(2, 4, 3), (5, 5, 4), (3, 3, 3)],
    [(5, 5, 5), (4, 5, 4), (5, 4, 5)],
]
COMMENTS = [
    "Clear plan, and it is where it is needed.",
    "Young people helped design it, which is good.",
    "I am not sure the costs add up.",
]


def load_demo() -> list[str]:
    lines = []
    for slug, _name, _short, prefix in PARTNERSHIPS:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        if GrantRound.objects.filter(partnership=partnership, title=OPEN_TITLE).exists():
            continue
        lines.append(_load_partnership(partnership, prefix))
    return lines


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def _load_partnership(partnership: Partnership, prefix: str) -> str:
    officer = _user(f"{prefix}.grants")
    applicant = _user(f"{prefix}.applicant")
    now = timezone.now()
    today = timezone.localdate()
    lsoas = list(
        LSOA.objects.filter(partnership=partnership)
        .order_by("imd_decile", "code")
        .select_related("local_authority")[:8]
    )
    recommendations = list(
        Recommendation.objects.filter(needs_assessment__partnership=partnership)[:3]
    )

    organisations = []
    for index, (name, kind, charity) in enumerate(ORGANISATIONS):
        organisations.append(
            services.organisation_create(
                actor=officer,
                partnership=partnership,
                name=name,
                kind=kind,
                charity_number=charity,
                address=f"{index + 1} Community Way",
                postcode="SS14 1AA" if prefix == "essex" else "LU1 1AA",
                contact_email=f"hello@{name.lower().replace(' ', '')[:20]}.example.org",
                safeguarding_policy_date=today - datetime.timedelta(days=90),
                local_authority=lsoas[index % len(lsoas)].local_authority if lsoas else None,
            )
        )
    if applicant is not None and not OrganisationMembership.objects.filter(user=applicant).exists():
        services.organisation_member_add(
            actor=officer, organisation=organisations[0], user=applicant
        )

    panel = _panel(partnership, prefix, officer, today)

    def new_round(title, opens, closes, panel_deadline):
        return services.grant_round_create(
            actor=officer,
            partnership=partnership,
            criteria=CRITERIA,
            eligibility_questions=QUESTIONS,
            target_lsoas=lsoas[:5],
            recommendations=recommendations,
            fund="Home Office Violence Reduction Fund",
            title=title,
            description="Small grants for community projects that keep young "
            "people safe, chosen with our youth panel.",
            budget=Decimal("15000"),
            minimum_award=Decimal("1000"),
            maximum_award=Decimal("5000"),
            opens_at=opens,
            closes_at=closes,
            panel_deadline=panel_deadline,
            reviewers_per_application=3,
            listening_themes=["Youth facilities and safe spaces", "Trusted adults"],
            identifier_prefix=f"360G-{prefix}vru",
        )

    decided = new_round(
        DECIDED_TITLE,
        now - datetime.timedelta(days=150),
        now - datetime.timedelta(days=120),
        now - datetime.timedelta(days=100),
    )
    _decided_round(decided, organisations, panel, officer, lsoas, now)
    GrantRound.objects.filter(pk=decided.pk).update(decided_at=now - datetime.timedelta(days=95))
    open_round = new_round(
        OPEN_TITLE,
        now - datetime.timedelta(days=14),
        now + datetime.timedelta(days=14),
        now + datetime.timedelta(days=35),
    )
    _open_round(open_round, organisations, officer, applicant, lsoas, now)
    return (
        f"Grants demo for {partnership.short_name}: {len(organisations)} organisations, "
        f"a youth panel of {len(panel)}, an open and a decided round."
    )


def _panel(partnership, prefix, officer, today) -> list[PanelMember]:
    members = []
    people = [
        (f"{prefix}.reviewer", 16, True),
        (f"{prefix}.reviewer2", 15, True),
        (f"{prefix}.reviewer3", 19, True),
        (f"{prefix}.reviewer4", 17, True),
        (f"{prefix}.reviewer5", 14, False),  # training not done yet: cannot score
    ]
    for number, (username, age, trained) in enumerate(people, start=1):
        user = _user(username)
        if user is None:
            user = core_services.user_create(
                actor=None,
                username=username,
                partnership=partnership,
                roles=[Role.YOUTH_REVIEWER],
                password=DEMO_PASSWORD,
                first_name=["Riley", "Jordan", "Sam", "Alex", "Kai"][number - 1],
                last_name="Reviewer",
                email=f"{username}@example.org",
            )
        if hasattr(user, "panel_member"):
            members.append(user.panel_member)
            continue
        members.append(
            services.panel_member_create(
                actor=officer,
                partnership=partnership,
                user=user,
                date_of_birth=today.replace(year=today.year - age, day=1),
                training_completed_on=today - datetime.timedelta(days=200) if trained else None,
                guardian_consent_recorded_on=(
                    today - datetime.timedelta(days=210) if age < 18 else None
                ),
            )
        )
    return members


def _application(grant_round, organisation, index, lsoas, created_by, status, when):
    title, summary, amount = PROJECTS[index]
    application = Application.objects.create(
        grant_round=grant_round,
        organisation=organisation,
        created_by=created_by,
        status=status,
        title=title,
        summary=summary,
        amount_requested=Decimal(amount),
        young_people_expected=40 + 10 * index,
        contact_name="Pat Organiser",
        contact_email=organisation.contact_email,
        contact_phone="07700 900000",
        submitted_at=when if status != Application.Status.DRAFT else None,
    )
    BudgetLine.objects.create(
        application=application,
        description="Sessional youth workers",
        amount=Decimal(amount) - Decimal("500"),
    )
    BudgetLine.objects.create(
        application=application, description="Equipment", amount=Decimal("500")
    )
    application.lsoas.set(lsoas[index % len(lsoas) : index % len(lsoas) + 2] if lsoas else [])
    for question in grant_round.eligibility_questions.all():
        EligibilityAnswer.objects.create(
            application=application, question=question, answer=question.pass_answer
        )
    return application


def _decided_round(grant_round, organisations, panel, officer, lsoas, now) -> None:
    able = [m for m in panel if m.training_completed_on is not None][:3]
    criteria = list(grant_round.criteria.all())
    for index, organisation in enumerate(organisations):
        application = _application(
            grant_round,
            organisation,
            index,
            lsoas,
            officer,
            Application.Status.ELIGIBLE,
            now - datetime.timedelta(days=125),
        )
        application.eligibility_checked_by = officer
        application.eligibility_checked_at = now - datetime.timedelta(days=118)
        application.save(update_fields=["eligibility_checked_by", "eligibility_checked_at"])
        for member, values in zip(able, DECIDED_SCORES[index], strict=True):
            assignment = Assignment.objects.create(
                application=application,
                reviewer=member,
                status=Assignment.Status.SUBMITTED,
                declared_at=now - datetime.timedelta(days=110),
                submitted_at=now - datetime.timedelta(days=102),
            )
            Score.objects.bulk_create(
                Score(assignment=assignment, criterion=c, score=v, comment=COMMENTS[i])
                for i, (c, v) in enumerate(zip(criteria, values, strict=True))
            )
    ranked = sorted(
        grant_round.applications.all(),
        key=lambda a: -sum(s.score for s in Score.objects.filter(assignment__application=a)),
    )
    for position, application in enumerate(ranked):
        funded = position < 3
        # the officer quotes two of the panel's comments in each letter
        quoted = [c.pk for c in selectors.panel_view(application=application).comments[:2]]
        if funded:
            decision = services.decision_record(
                actor=officer,
                application=application,
                outcome="fund_conditions" if position == 0 else "fund",
                amount=application.amount_requested,
                conditions="Send us your updated safeguarding policy." if position == 0 else "",
                reasons="The panel scored this highly and it works in priority neighbourhoods.",
                quoted_comment_ids=quoted,
            )
        else:
            decision = services.decision_record(
                actor=officer,
                application=application,
                outcome="not_fund",
                reasons="Other projects scored higher against the budget this round.",
                quoted_comment_ids=quoted,
            )
        if funded:
            award = services.award_create(
                actor=officer,
                decision=decision,
                starts_on=(now - datetime.timedelta(days=90)).date(),
                ends_on=(now + datetime.timedelta(days=90)).date(),
                tranche_count=2,
            )
            services.tranche_release(actor=officer, tranche=award.tranches.get(number=1))
            if position == 0:
                first = award.monitoring_returns.get(number=1)
                MonitoringReturn.objects.filter(pk=first.pk).update(
                    status=MonitoringReturn.Status.APPROVED,
                    young_people_by_age_band={"10-13": 14, "14-17": 27, "18-24": 3},
                    young_people_by_lsoa={lsoa.code: 11 for lsoa in application.lsoas.all()},
                    sessions_delivered=12,
                    spend_to_date=Decimal("1800"),
                    case_study="A 15-year-old who had been excluded now helps coach the "
                    "younger group every Friday.",
                    submitted_at=now - datetime.timedelta(days=20),
                    approved_at=now - datetime.timedelta(days=15),
                    approved_by=officer,
                )


def _open_round(grant_round, organisations, officer, applicant, lsoas, now) -> None:
    # The demo applicant's organisation has a draft in progress.
    if applicant is not None:
        _application(
            grant_round, organisations[0], 0, lsoas, applicant, Application.Status.DRAFT, now
        )
    for index, organisation in enumerate(organisations[1:], start=1):
        application = _application(
            grant_round,
            organisation,
            index,
            lsoas,
            officer,
            Application.Status.SUBMITTED,
            now - datetime.timedelta(days=2),
        )
        if index == 4:
            services.application_check_eligibility(
                actor=officer,
                application=application,
                eligible=False,
                notes="The organisation's safeguarding policy is out of date.",
            )
        elif index in (1, 2, 3):
            services.application_check_eligibility(
                actor=officer, application=application, eligible=True
            )
    services.assignments_generate(actor=officer, grant_round=grant_round)
