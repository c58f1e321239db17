"""A programme's dashboard: the 24-hour clock by month and its headline figures, in the database."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from programmes import permissions
from programmes.models import Programme, Referral
from vru.models import User
from vru.permissions import sees_suppressed_figures
from vru.selectors import disclosure


def _decided_clock(now: datetime) -> Q:
    """Referrals whose 24-hour clock has a result: met or breached (Referral.breached_q)."""
    return Referral.met_q() | Referral.breached_q(now)


def compliance_by_month(
    *, programme_ids, now: datetime | None = None, suppress: bool = False
) -> list[dict]:
    """Per programme and month of the event: referrals decided, met on time, % met.

    Met: first contact at or before the due time. Breached: first contact after it, or none
    by now. Referrals still inside their clock are not counted yet. One GROUP BY query.
    """
    now = now or timezone.now()
    rows = (
        Referral.objects.filter(programme_id__in=programme_ids)
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


def programme_dashboard(
    *, viewer: User, programme: Programme, now: datetime | None = None
) -> Dashboard | None:
    if not permissions.can_view_programme_dashboard(viewer, programme):
        return None
    now = now or timezone.now()
    suppress = sees_suppressed_figures(viewer)
    referrals = Referral.objects.filter(programme=programme)

    def people(filter: Q | None = None):
        # counts as the disclosure control publishes them to this viewer
        return disclosure.people("referral", filter=filter, suppress=suppress)

    def grouped(field: str, choices) -> list[tuple[str, str]]:
        counts = dict(referrals.values_list(field).annotate(n=people()).order_by())
        cells = disclosure.protect_breakdown(
            [counts.get(value, 0) for value, _ in choices], suppress=suppress
        )
        return [(label, cell) for (_, label), cell in zip(choices, cells, strict=True)]

    target_ids = programme.target_lsoas.values("pk")
    totals = referrals.aggregate(
        total=people(),
        open_breaches=people(Referral.breached_q(now) & Q(awaiting_contact=True)),
        in_target=people(Q(lsoa_id__in=target_ids)),
        decided=people(_decided_clock(now)),
        met=people(Referral.met_q()),
    )
    compliance = compliance_by_month(programme_ids=[programme.pk], now=now, suppress=suppress)
    for row in compliance:
        row["decided_shown"] = disclosure.shown_count(row["decided"], suppress=suppress)
        row["percent"] = disclosure.shown_percent(row["met"], row["decided"], suppress=suppress)
    overall = disclosure.shown_percent(totals["met"], totals["decided"], suppress=suppress)
    in_target, elsewhere = disclosure.protect_breakdown(
        [totals["in_target"], totals["total"] - totals["in_target"]], suppress=suppress
    )
    return Dashboard(
        programme=programme,
        suppressed=suppress,
        total=disclosure.shown_count(totals["total"], suppress=suppress),
        by_status=grouped("status", Referral.Status.choices),
        by_source=grouped("source", Referral.Source.choices),
        by_reason=grouped("reason", Referral.Reason.choices),
        compliance=compliance,
        overall_percent=overall,
        open_breaches=disclosure.shown_count(totals["open_breaches"], suppress=suppress),
        in_target_lsoas=in_target,
        elsewhere=elsewhere,
    )
