"""A programme's dashboard: the 24-hour clock by month and its headline figures, in the database."""

import datetime as dt
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from programmes import permissions
from programmes.models import Programme, Referral
from vru import charts
from vru.charts import BarChart
from vru.models import User
from vru.periods import whole_period_error
from vru.permissions import sees_suppressed_figures
from vru.selectors import disclosure


def event_between(start: dt.date | None, end: dt.date | None, *, field: str = "event_at") -> Q:
    """Records whose `field` falls on a day from `start` to `end` (both included, either
    open), days in the site's time zone."""
    q = Q()
    zone = timezone.get_current_timezone()
    if start is not None:
        q &= Q(**{f"{field}__gte": datetime.combine(start, dt.time.min, tzinfo=zone)})
    if end is not None:
        after = datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        q &= Q(**{f"{field}__lt": after})
    return q


def _decided_clock(now: datetime) -> Q:
    """Referrals whose 24-hour clock has a result: met or breached (Referral.breached_q)."""
    return Referral.met_q() | Referral.breached_q(now)


def compliance_by_month(
    *,
    programme_ids,
    now: datetime | None = None,
    suppress: bool = False,
    within: Q | None = None,
) -> list[dict]:
    """Per programme and month of the event: referrals decided, met on time, % met.

    Met: first contact at or before the due time. Breached: first contact after it, or none
    by now. Referrals still inside their clock are not counted yet. One GROUP BY query.
    """
    now = now or timezone.now()
    rows = (
        Referral.objects.filter(programme_id__in=programme_ids)
        .filter(within or Q())
        .filter(_decided_clock(now))
        .annotate(month=TruncMonth("event_at"))
        .values("programme_id", "month")
        .annotate(
            decided=disclosure.people("referral", suppress=suppress),
            met=disclosure.people("referral", filter=Referral.met_q(), suppress=suppress),
        )
        .order_by("programme_id", "month")
    )
    result = []
    for row in rows:
        row["percent"] = round(100 * row["met"] / row["decided"]) if row["decided"] else None
        result.append(row)
    return result


@dataclass
class Dashboard:
    programme: Programme
    suppressed: bool
    total: str
    by_status: list[tuple[str, str]]
    by_source: list[tuple[str, str]]
    by_reason: list[tuple[str, str]]
    compliance: list[dict]
    overall_percent: int | None
    open_breaches: str
    in_target_lsoas: str
    elsewhere: str
    start: dt.date | None = None
    end: dt.date | None = None
    charts: list[BarChart] = field(default_factory=list)


def programme_dashboard(
    *,
    viewer: User,
    programme: Programme,
    now: datetime | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Dashboard | None:
    """The dashboard of referrals whose event falls from `start` to `end` (all time when
    both are None). Whoever sees protected figures gets whole periods only (a month, a
    quarter, a financial year: vru.periods), so no two of their dashboards overlap by a day;
    other dates give them None, as for a dashboard they may not see."""
    if not permissions.can_view_programme_dashboard(viewer, programme):
        return None
    suppress = sees_suppressed_figures(viewer)
    if whole_period_error(start, end, whole_only=suppress):
        return None
    now = now or timezone.now()
    within = event_between(start, end)
    referrals = Referral.objects.filter(programme=programme).filter(within)

    def people(filter: Q | None = None):
        # counts as the disclosure control publishes them to this viewer
        return disclosure.people("referral", filter=filter, suppress=suppress)

    chart_rows = {}

    def grouped(field: str, choices) -> list[tuple[str, str]]:
        counts = dict(referrals.values_list(field).annotate(n=people()).order_by())
        numbers = [counts.get(value, 0) for value, _ in choices]
        cells = disclosure.protect_breakdown(numbers, suppress=suppress)
        chart_rows[field] = [
            (label, cell, charts.published_value(n, cell))
            for (_, label), n, cell in zip(choices, numbers, cells, strict=True)
        ]
        return [(label, cell) for (_, label), cell in zip(choices, cells, strict=True)]

    target_ids = programme.target_lsoas.values("pk")
    totals = referrals.aggregate(
        total=people(),
        open_breaches=people(Referral.breached_q(now) & Q(awaiting_contact=True)),
        in_target=people(Q(lsoa_id__in=target_ids)),
        decided=people(_decided_clock(now)),
        met=people(Referral.met_q()),
    )
    compliance = compliance_by_month(
        programme_ids=[programme.pk], now=now, suppress=suppress, within=within
    )
    for row in compliance:
        row["decided_shown"] = disclosure.shown_count(row["decided"], suppress=suppress)
        row["percent"] = disclosure.shown_percent(row["met"], row["decided"], suppress=suppress)
    overall = disclosure.shown_percent(totals["met"], totals["decided"], suppress=suppress)
    in_target, elsewhere = disclosure.protect_breakdown(
        [totals["in_target"], totals["total"] - totals["in_target"]], suppress=suppress
    )
    by_status = grouped("status", Referral.Status.choices)
    by_source = grouped("source", Referral.Source.choices)
    by_reason = grouped("reason", Referral.Reason.choices)
    hours = programme.referral_target_hours
    drawn = [
        charts.bar_chart(
            id="chart-on-time",
            key="Month",
            caption=f"First contact within {hours} hours, by month of the event",
            unit="On time",
            rows=[
                (
                    f"{row['month']:%B %Y}",
                    "–" if row["percent"] is None else f"{row['percent']}%",
                    row["percent"],
                )
                for row in compliance
            ],
            scale_to=100,
        ),
        charts.bar_chart(
            id="chart-status",
            key="Status",
            caption="Referrals by status",
            unit="Referrals",
            rows=chart_rows["status"],
        ),
        charts.bar_chart(
            id="chart-source",
            key="Source",
            caption="Referrals by source",
            unit="Referrals",
            rows=chart_rows["source"],
        ),
        charts.bar_chart(
            id="chart-reason",
            key="Reason",
            caption="Referrals by reason",
            unit="Referrals",
            rows=chart_rows["reason"],
        ),
    ]
    return Dashboard(
        programme=programme,
        suppressed=suppress,
        total=disclosure.shown_count(totals["total"], suppress=suppress),
        by_status=by_status,
        by_source=by_source,
        by_reason=by_reason,
        compliance=compliance,
        overall_percent=overall,
        open_breaches=disclosure.shown_count(totals["open_breaches"], suppress=suppress),
        in_target_lsoas=in_target,
        elsewhere=elsewhere,
        start=start,
        end=end,
        charts=drawn,
    )
