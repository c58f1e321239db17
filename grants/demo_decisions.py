"""The grants demo's decided rounds: the panel's scores, moderation, decisions, awards,
tranches and monitoring returns, dated when they happened (grants.demo).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from grants import selectors, services
from grants.demo_data import CASE_STUDIES, COMMENTS, RoundPlan
from grants.models import (
    Application,
    Assignment,
    Decision,
    GrantRound,
    MonitoringReturn,
    Score,
    Tranche,
)


class DecisionsDemo:
    """Mixed into GrantsDemo, whose rng, officer, panel and dates it uses."""

    def decided_round(self, grant_round: GrantRound, plan: RoundPlan) -> None:
        rng = self.rng
        able = [
            m
            for m in self.panel
            if m.training_completed_on is not None
            and m.training_completed_on <= (self.today + datetime.timedelta(days=plan.closes))
        ]
        criteria = list(grant_round.criteria.all())
        weights = [float(c.weight) for c in criteria]
        applications = []
        for i, (organisation, group) in enumerate(self.groups_for(plan)):
            submitted = self.at(rng.uniform(plan.opens + 2, plan.closes - 1), rng.randint(9, 20))
            application = self.application(
                grant_round,
                organisation,
                group,
                status=Application.Status.ELIGIBLE,
                submitted_at=submitted,
                by=self.officer,
            )
            Application.objects.filter(pk=application.pk).update(
                eligibility_checked_by=self.officer,
                eligibility_checked_at=self.at(plan.closes + rng.randint(1, 4), 11),
            )
            reviewers = [able[(i + k) % len(able)] for k in range(min(3, len(able)))]
            panel_score = 0.0
            for reviewer in reviewers:
                declared = self.at(rng.uniform(plan.closes + 5, plan.panel - 8), 18)
                assignment = Assignment.objects.create(
                    application=application,
                    reviewer=reviewer,
                    status=Assignment.Status.SUBMITTED,
                    declared_at=declared,
                    submitted_at=declared + datetime.timedelta(days=rng.uniform(1, 6)),
                )
                values = []
                for position, criterion in enumerate(criteria):
                    value = max(1, min(5, round(group.quality + rng.gauss(0, 0.7))))
                    level = "low" if value <= 2 else "mid" if value == 3 else "high"
                    values.append(value)
                    Score.objects.create(
                        assignment=assignment,
                        criterion=criterion,
                        score=value,
                        comment=rng.choice(COMMENTS[position][level]) if rng.random() < 0.8 else "",
                    )
                panel_score += sum(v * w for v, w in zip(values, weights, strict=True)) / sum(
                    weights
                )
            applications.append((panel_score / max(1, len(reviewers)), application, group))
        # the officer funds the highest-scored projects the budget allows
        left = Decimal(plan.budget)
        decided_at = self.at(plan.decided, 15)
        funded_awards = []
        for position, (score, application, group) in enumerate(
            sorted(applications, key=lambda row: -row[0])
        ):
            amount = Decimal(group.amount)
            funded = score >= 3.2 and amount <= left
            quoted = [c.pk for c in selectors.panel_view(application=application).comments[:2]]
            decision = services.decision_record(
                actor=self.officer,
                application=application,
                outcome=("fund_conditions" if position == 0 else "fund") if funded else "not_fund",
                amount=amount if funded else None,
                conditions=(
                    "Send us your updated safeguarding policy." if funded and position == 0 else ""
                ),
                reasons=(
                    "The youth panel scored this highly and it works where young people told us "
                    "they need it."
                    if funded
                    else "Other projects scored higher against the budget this round."
                ),
                quoted_comment_ids=quoted,
            )
            Decision.objects.filter(pk=decision.pk).update(decided_at=decided_at)
            if funded:
                left -= amount
                funded_awards.append(decision)
        # in the running round, one group's latest return waits for the grants officer and
        # another's is overdue, whatever the day the demo is loaded
        holds = {}
        if plan.key == "current" and len(funded_awards) >= 3:
            holds = {funded_awards[-1].pk: "submitted", funded_awards[-2].pk: "overdue"}
        for decision in funded_awards:
            self.award(decision, plan, hold=holds.get(decision.pk))
        GrantRound.objects.filter(pk=grant_round.pk).update(decided_at=decided_at)

    def award(self, decision: Decision, plan: RoundPlan, *, hold: str | None = None) -> None:
        """The award (dated the day of the decision), its first tranche paid when the
        project starts, then each return submitted and approved before the next tranche,
        as far as the day the demo is loaded has reached."""
        rng = self.rng
        decision.refresh_from_db()
        starts_on = self.today + datetime.timedelta(days=plan.starts + rng.randint(0, 10))
        ends_on = self.today + datetime.timedelta(days=plan.ends)
        award = services.award_create(
            actor=self.officer,
            decision=decision,
            starts_on=starts_on,
            ends_on=ends_on,
            tranche_count=plan.tranches,
        )
        group = next(
            g for g in self.story.groups if g.name == decision.application.organisation.name
        )
        tranches = list(award.tranches.order_by("number"))
        returns = {r.number: r for r in award.monitoring_returns.all()}
        lsoas = list(decision.application.lsoas.values_list("code", flat=True))
        # the return a hold applies to: the latest already due
        latest_due = max((n for n, r in returns.items() if r.due_on < self.today), default=None)
        spent = Decimal(0)
        for tranche in tranches:
            if tranche.number > 1:
                before = returns[tranche.number - 1]
                if not self.report(
                    before,
                    award,
                    group,
                    lsoas,
                    spent,
                    late=rng.random() < 0.15,
                    hold=hold if before.number == latest_due else None,
                ):
                    break
            released = timezone.make_aware(
                datetime.datetime.combine(tranche.due_on, datetime.time(11))
            )
            if tranche.number > 1:
                approved = returns[tranche.number - 1].approved_at
                released = max(released, approved + datetime.timedelta(days=1))
            if released >= self.now:
                break
            services.tranche_release(actor=self.officer, tranche=tranche)
            Tranche.objects.filter(pk=tranche.pk).update(released_at=released)
            spent += tranche.amount
        # the final return, once the project has ended and every tranche is paid
        if not Tranche.objects.filter(award=award, released_at__isnull=True).exists():
            self.report(returns[len(tranches)], award, group, lsoas, spent, late=False)

    def report(self, monitoring_return, award, group, lsoas, spent, *, late, hold=None) -> bool:
        """Submit (and approve) a monitoring return if its time has come; True once approved.
        `hold`: "submitted" leaves it with the grants officer, "overdue" not yet sent."""
        rng = self.rng
        if hold == "overdue" and monitoring_return.due_on < self.today:
            return False
        due = timezone.make_aware(
            datetime.datetime.combine(monitoring_return.due_on, datetime.time(16))
        )
        submitted = due + datetime.timedelta(
            days=rng.uniform(4, 12) if late else -rng.uniform(0, 6)
        )
        if submitted >= self.now:
            return False  # not due yet (or late and not in): stays "due"
        approved = submitted + datetime.timedelta(days=rng.uniform(2, 9))
        share = (award.ends_on - award.starts_on).days / 365 / len(award.monitoring_returns.all())
        reached = max(5, round(group.young_people * share * rng.uniform(0.8, 1.15)))
        bands = {band: round(reached * s) for band, s in group.bands.items()}
        by_lsoa = {}
        if lsoas:
            for i, code in enumerate(lsoas):
                by_lsoa[code] = reached * (len(lsoas) - i) // sum(range(1, len(lsoas) + 1))
        status = MonitoringReturn.Status.APPROVED
        if approved >= self.now or hold == "submitted":
            status = MonitoringReturn.Status.SUBMITTED  # with the grants officer
        MonitoringReturn.objects.filter(pk=monitoring_return.pk).update(
            status=status,
            young_people_by_age_band=bands,
            young_people_by_lsoa=by_lsoa,
            sessions_delivered=max(1, round(36 * share * rng.uniform(0.8, 1.1))),
            new_starts=reached * 2 // 5,
            completions=reached // 4,
            outcomes_achieved=reached // 5,
            spend_to_date=min(award.amount, spent),
            case_study=rng.choice(CASE_STUDIES),
            submitted_at=submitted,
            approved_at=approved if status == MonitoringReturn.Status.APPROVED else None,
            approved_by=self.officer if status == MonitoringReturn.Status.APPROVED else None,
        )
        monitoring_return.refresh_from_db()
        return status == MonitoringReturn.Status.APPROVED
