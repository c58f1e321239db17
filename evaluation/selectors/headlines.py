"""The partnership's headline figures on a commissioner's home page: this financial year
(UK, from 1 April: vru.periods), through the disclosure control, each with the page it
comes from. The figures are those of an impact report of the whole partnership for the
year (evaluation.selectors.report_content), so the home page and a report always agree."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from evaluation import permissions
from evaluation.models import FeedbackResponse, ImpactReport
from evaluation.selectors.report_content import build_headlines
from evaluation.selectors.report_content.scope import ReportScope, money
from vru import periods
from vru.models import LocalAuthority, User
from vru.permissions import sees_suppressed_figures
from vru.selectors import disclosure

# The figures are the same for every viewer of a partnership who may see them (after the
# disclosure control), so a commissioner's home page keeps them this long.
HEADLINES_CACHE_SECONDS = 5 * 60


@dataclass(frozen=True)
class Headline:
    key: str
    figure: str  # as published: "1,234", "<5", "83%", "£120,000"
    text: str
    link: str
    link_text: str


@dataclass(frozen=True)
class Headlines:
    period_name: str
    start: datetime.date
    end: datetime.date
    items: list[Headline]


def partnership_headlines(*, viewer: User, today: datetime.date | None = None) -> Headlines | None:
    """For whoever reads the partnership's figures only as protected aggregates
    (commissioners); None for anyone else (staff have their own pages). Kept in the cache
    per partnership and day for HEADLINES_CACHE_SECONDS, after the disclosure control."""
    if not (permissions.can_view_impact_reports(viewer) and sees_suppressed_figures(viewer)):
        return None
    today = today or timezone.localdate()
    key = f"evaluation:headlines:v1:{viewer.partnership_id}:{today.isoformat()}"
    headlines = cache.get(key)
    if headlines is None:
        start, end = periods.preset_dates(periods.Preset.THIS_FINANCIAL_YEAR, today=today)
        report = ImpactReport(
            partnership_id=viewer.partnership_id,
            scope=ImpactReport.Scope.PARTNERSHIP,
            period_start=start,
            period_end=end,
        )
        headlines = _headlines(report, with_listening=True)
        cache.set(key, headlines, HEADLINES_CACHE_SECONDS)
    return headlines


def area_headlines(
    *, viewer: User, local_authority: LocalAuthority, today: datetime.date | None = None
) -> Headlines | None:
    """The same figures for one local authority of the viewer's partnership, for whoever
    reads figures only as protected aggregates (a partner, whose organisation's areas the
    Duty's record knows: duty.selectors.partner_area_figures). Listening responses are not
    recorded by area, so they are left out."""
    if not sees_suppressed_figures(viewer) or local_authority.partnership_id != (
        viewer.partnership_id
    ):
        return None
    today = today or timezone.localdate()
    start, end = periods.preset_dates(periods.Preset.THIS_FINANCIAL_YEAR, today=today)
    report = ImpactReport(
        partnership_id=viewer.partnership_id,
        scope=ImpactReport.Scope.LOCAL_AUTHORITY,
        scope_local_authority=local_authority,
        period_start=start,
        period_end=end,
    )
    return _headlines(report, with_listening=False)


def _headlines(report: ImpactReport, *, with_listening: bool) -> Headlines:
    start, end = report.period_start, report.period_end
    scope = ReportScope(report=report)
    found = {item["key"]: item for item in build_headlines(scope)["blocks"][0]["items"]}

    programmes = reverse("programmes:programme_list")
    outcomes = reverse("evaluation:outcome_summaries")
    reports = reverse("evaluation:report_list")
    listening = reverse("evaluation:exercise_list")

    def headline(key: str, text: str, link: str, link_text: str) -> Headline:
        return Headline(
            key=key, figure=found[key]["figure"], text=text, link=link, link_text=link_text
        )

    reached = found["detached"], found["group_work"]
    reached_shown = _sum_shown([item["value"] for item in reached], scope)
    awards = scope.awards().aggregate(n=Count("pk"), amount=Sum("amount"))
    items = [
        headline(
            "referrals",
            "referrals of young people received",
            programmes,
            "Programme dashboards",
        ),
        Headline(
            key="compliance",
            figure=found["compliance"]["figure"],
            text="of referrals first contacted within the target time (usually 24 hours)",
            link=programmes,
            link_text="Programme dashboards",
        ),
        Headline(
            key="reached",
            figure=reached_shown,
            text="young people reached by detached youth work and group sessions",
            link=reports,
            link_text="Impact reports",
        ),
        Headline(
            key="grants",
            figure=f"{awards['n']:,}",
            text=f"community grants running, worth {money(awards['amount'] or Decimal(0))}",
            link=reports,
            link_text="Impact reports",
        ),
        headline(
            "grant_reach",
            "children and young people supported through community grants",
            reports,
            "Impact reports",
        ),
        headline("diverted", "young people diverted away from arrest", outcomes, "Outcomes"),
        headline(
            "eet",
            "young people supported back into education, training or employment",
            outcomes,
            "Outcomes",
        ),
    ]
    if with_listening:
        responses = FeedbackResponse.objects.filter(
            exercise__partnership_id=report.partnership_id,
            responded_on__gte=start,
            responded_on__lte=end,
        ).aggregate(n=disclosure.people("feedback_response"))["n"]
        items.insert(
            5,
            Headline(
                key="listening",
                figure=disclosure.shown_count(responses),
                text="listening responses from young people",
                link=listening,
                link_text="Listening projects",
            ),
        )
    kind = periods.period_kind_of(start, end)
    return Headlines(
        period_name=periods.period_name(kind, start, end), start=start, end=end, items=items
    )


def _sum_shown(values: list[int | None], scope: ReportScope) -> str:
    """The sum of published figures, shown only when each part is (reports show the parts:
    a hidden part would otherwise be worked out from the sum and the other parts)."""
    if any(value is None for value in values):
        return disclosure.SECONDARY_MARK
    return scope.shown(sum(values))
