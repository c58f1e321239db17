"""The grants demo, per partnership (grants.demo_data): its own community groups, a youth
panel and three rounds whose dates run in order, relative to the day the demo is loaded:
last year's (decided, projects finished, every return approved), this year's (decided,
projects running, the first returns in) and one open now (applications coming in, the panel
asked to check for conflicts).

Loaded by the `load_demo` AppConfig hook after the core demo (which creates the
<prefix>.grants, <prefix>.reviewer and <prefix>.applicant users used here). Idempotent: a
partnership with grant rounds is left alone. Decisions, awards and tranches go through the
services; the dates of what happened in the past (scores, decisions, releases, returns) are
then set to when they happened, as they would have been recorded at the time.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from grants import services
from grants.demo_data import (
    BEDFORDSHIRE,
    CRITERIA,
    ESSEX,
    QUESTIONS,
    GrantsStory,
    Group,
    RoundPlan,
)
from grants.demo_decisions import DecisionsDemo
from grants.models import (
    Application,
    Award,
    BudgetLine,
    Decision,
    EligibilityAnswer,
    GrantRound,
    Organisation,
    OrganisationMembership,
    PanelMember,
)
from vru import demo as core_demo
from vru.models import LSOA, LocalAuthority, Partnership, Recommendation, Role, User
from vru.selectors.areas import priority_lsoa_codes

STORIES = [("essex-vvp", "essex", ESSEX), ("bedfordshire-veru", "beds", BEDFORDSHIRE)]


def load_demo() -> list[str]:
    lines = []
    for slug, prefix, story in STORIES:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        if GrantRound.objects.filter(partnership=partnership).exists():
            continue
        loaded = GrantsDemo(partnership, prefix, story)
        lines.append(loaded.load())
        # The decision letters are built once the decisions are committed: dated as sent
        # a few hours after each decision, not on the day the demo was loaded.
        Decision.objects.filter(
            application__grant_round__partnership=partnership,
            letter_sent_at__isnull=False,
            decided_at__lt=loaded.now - datetime.timedelta(days=1),
        ).update(letter_sent_at=F("decided_at") + datetime.timedelta(hours=3))
    return lines


def _season(day: datetime.date) -> str:
    """ "autumn 2026": when a round opened, which names it (rounds open months apart)."""
    name = ["winter", "spring", "summer", "autumn"][(day.month % 12) // 3]
    return f"{name} {day.year if day.month != 12 else day.year + 1}"


class GrantsDemo(DecisionsDemo):
    """One partnership's grants demo: its groups, its panel and its rounds."""

    def __init__(self, partnership: Partnership, prefix: str, story: GrantsStory):
        self.partnership = partnership
        self.prefix = prefix
        self.story = story
        self.rng = random.Random(f"grants-{partnership.slug}")  # noqa: S311 - synthetic
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.officer = User.objects.filter(username=f"{prefix}.grants").first()
        self.applicant = User.objects.filter(username=f"{prefix}.applicant").first()
        numbers = Recommendation.objects.filter(needs_assessment__partnership=partnership).order_by(
            "needs_assessment__period_start", "number"
        )
        self.recommendations = {r.number: r for r in numbers}
        codes = priority_lsoa_codes(partnership)
        lsoas = list(
            LSOA.objects.filter(partnership=partnership)
            .select_related("local_authority")
            .defer("boundary")
            .order_by("imd_decile", "code")
        )
        self.priority = [lsoa for lsoa in lsoas if lsoa.code in codes] or lsoas[:20]
        self.lsoas = lsoas

    def at(self, days: float, hour: int = 10) -> datetime.datetime:
        """A moment `days` from today (negative: in the past), at `hour` o'clock."""
        day = self.today + datetime.timedelta(days=round(days))
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def recs(self, numbers) -> list[Recommendation]:
        return [self.recommendations[n] for n in numbers if n in self.recommendations]

    @transaction.atomic
    def load(self) -> str:
        self.organisations = self.make_organisations()
        self.panel = self.make_panel()
        made = []
        for plan in self.story.rounds:
            made.append(self.make_round(plan))
        awards = Award.objects.filter(
            decision__application__grant_round__partnership=self.partnership
        ).count()
        return (
            f"Grants demo for {self.partnership.short_name}: {len(self.organisations)} "
            f"community groups, a youth panel of {len(self.panel)}, {len(made)} rounds "
            f"({', '.join(r.title for r in made)}), {awards} awards."
        )

    # --- who ---------------------------------------------------------------------------

    def make_organisations(self) -> list[Organisation]:
        areas = {la.name: la for la in LocalAuthority.objects.filter(partnership=self.partnership)}
        organisations = []
        for group in self.story.groups:
            slug = "".join(c for c in group.name.lower() if c.isalnum())[:24]
            organisations.append(
                services.organisation_create(
                    actor=self.officer,
                    partnership=self.partnership,
                    name=group.name,
                    kind=group.kind,
                    charity_number=group.charity_number,
                    address=f"Community centre, {group.area}",
                    postcode=group.postcode,
                    contact_email=f"hello@{slug}.example.org",
                    safeguarding_policy_date=self.today - datetime.timedelta(days=90),
                    local_authority=areas.get(group.area),
                )
            )
        if (
            self.applicant is not None
            and not OrganisationMembership.objects.filter(user=self.applicant).exists()
        ):
            services.organisation_member_add(
                actor=self.officer, organisation=organisations[0], user=self.applicant
            )
        return organisations

    def make_panel(self) -> list[PanelMember]:
        members = []
        for number, (first, age, trained, active) in enumerate(self.story.reviewers, start=1):
            username = f"{self.prefix}.reviewer" + ("" if number == 1 else str(number))
            user = core_demo.demo_user(
                username=username,
                partnership=self.partnership,
                role=Role.YOUTH_REVIEWER,
                first_name=first,
                last_name="Reviewer",
            )
            if hasattr(user, "panel_member"):
                members.append(user.panel_member)
                continue
            trained_on = None if trained is None else self.today - datetime.timedelta(trained)
            members.append(
                services.panel_member_create(
                    actor=self.officer,
                    partnership=self.partnership,
                    user=user,
                    date_of_birth=self.today.replace(year=self.today.year - age, day=1)
                    - datetime.timedelta(days=number * 37),
                    training_completed_on=trained_on,
                    guardian_consent_recorded_on=(
                        trained_on - datetime.timedelta(days=10)
                        if trained is not None and age - trained / 365 < 18  # then a child
                        else None
                    ),
                )
            )
            if not active:
                PanelMember.objects.filter(pk=members[-1].pk).update(active=False)
                members[-1].active = False
        return members

    # --- rounds ------------------------------------------------------------------------

    def make_round(self, plan: RoundPlan) -> GrantRound:
        story = self.story
        opens = self.at(plan.opens, 9)
        grant_round = services.grant_round_create(
            actor=self.officer,
            partnership=self.partnership,
            criteria=CRITERIA,
            eligibility_questions=QUESTIONS,
            target_lsoas=self.priority,
            recommendations=self.recs(story.round_recommendations),
            fund=story.fund,
            title=story.title.format(season=_season(timezone.localdate(opens))),
            description=story.description,
            budget=Decimal(plan.budget),
            minimum_award=Decimal(story.minimum),
            maximum_award=Decimal(story.maximum),
            opens_at=opens,
            closes_at=self.at(plan.closes, 17),
            panel_deadline=self.at(plan.panel, 17),
            reviewers_per_application=3,
            listening_themes=list(story.listening_themes),
            identifier_prefix=f"360G-{self.prefix}vru",
        )
        if plan.decided is None:
            self.open_round(grant_round, plan)
        else:
            self.decided_round(grant_round, plan)
        return grant_round

    def groups_for(self, plan: RoundPlan) -> list[tuple[Organisation, Group]]:
        """Who applies: most groups each round, a few only once."""
        pairs = list(zip(self.organisations, self.story.groups, strict=True))
        if plan.key == "older":
            return pairs[1:-3]
        if plan.key == "past":
            return pairs[:-2]
        if plan.key == "current":
            return pairs[2:]
        return pairs[:1] + pairs[1::2]

    def application(self, grant_round, organisation, group, *, status, submitted_at, by):
        rng = self.rng
        amount = Decimal(group.amount)
        application = Application.objects.create(
            grant_round=grant_round,
            organisation=organisation,
            created_by=by,
            status=status,
            title=group.project,
            summary=group.summary,
            amount_requested=amount,
            young_people_expected=group.young_people,
            themes=list(group.themes),
            contact_name=rng.choice(["Sam", "Jo", "Chris", "Amina", "Dev", "Lou"]) + " Organiser",
            contact_email=organisation.contact_email,
            contact_phone="07700 900" + f"{rng.randrange(1000):03d}",
            submitted_at=submitted_at if status != Application.Status.DRAFT else None,
        )
        staff = (amount * Decimal("0.7")).quantize(Decimal("1"))
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    application=application, description="Sessional youth workers", amount=staff
                ),
                BudgetLine(
                    application=application,
                    description="Venue, equipment and food",
                    amount=amount - staff,
                ),
            ]
        )
        area = [
            lsoa
            for lsoa in self.priority
            if lsoa.local_authority_id == organisation.local_authority_id
        ]
        area = area or [
            lsoa
            for lsoa in self.lsoas
            if lsoa.local_authority_id == organisation.local_authority_id
        ]
        application.lsoas.set(area[:3])
        application.recommendations.set(self.recs(group.recommendations))
        EligibilityAnswer.objects.bulk_create(
            EligibilityAnswer(application=application, question=q, answer=q.pass_answer)
            for q in grant_round.eligibility_questions.all()
        )
        return application

    def open_round(self, grant_round: GrantRound, plan: RoundPlan) -> None:
        rng = self.rng
        for index, (organisation, group) in enumerate(self.groups_for(plan)):
            if index == 0:
                # the demo applicant's organisation has a draft in progress
                if self.applicant is not None:
                    self.application(
                        grant_round,
                        organisation,
                        group,
                        status=Application.Status.DRAFT,
                        submitted_at=None,
                        by=self.applicant,
                    )
                continue
            application = self.application(
                grant_round,
                organisation,
                group,
                status=Application.Status.SUBMITTED,
                submitted_at=self.at(rng.uniform(plan.opens + 1, -1), rng.randint(9, 21)),
                by=self.officer,
            )
            if index == 1:
                services.application_check_eligibility(
                    actor=self.officer,
                    application=application,
                    eligible=False,
                    notes="The organisation's safeguarding policy is out of date.",
                )
            elif index <= 4:
                services.application_check_eligibility(
                    actor=self.officer, application=application, eligible=True
                )
        services.assignments_generate(actor=self.officer, grant_round=grant_round)
