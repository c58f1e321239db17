"""The scope of a report as filters on each kind of record.

Reach is counted in the core's reach bands (vru.age_bands): a referral's age at referral
is put in its band by `band_expression`; sessions and grant returns are counted in the same
bands. Listening responses' bands are not added to reach (see vru.age_bands)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Q,
    QuerySet,
)
from django.utils import timezone

from evaluation.models import ImpactReport
from grants.models import Award, MonitoringReturn
from programmes.models import Outcome, Programme, Referral, SessionCount
from vru import age_bands
from vru.models import LSOA
from vru.selectors import disclosure
from vru.selectors.areas import priority_lsoa_codes

# --- Scope -------------------------------------------------------------------------------


@dataclass
class ReportScope:
    """The partnership, period and scope of a report, as filters on each kind of record."""

    report: ImpactReport
    threshold: int = field(default_factory=disclosure.threshold)
    now: datetime.datetime = field(default_factory=timezone.now)
    _priority_ids: set[int] | None = None
    _referral_groups: list[dict] | None = None
    _referrals_by_lsoa: dict[int, int] | None = None

    @property
    def partnership_id(self) -> int:
        return self.report.partnership_id

    @property
    def start(self) -> datetime.date:
        return self.report.period_start

    @property
    def end(self) -> datetime.date:
        return self.report.period_end

    def _moment(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def start_at(self) -> datetime.datetime:
        return self._moment(self.start)

    @property
    def end_before(self) -> datetime.datetime:
        """The first moment after the period (the period's last day is included)."""
        return self._moment(self.end + datetime.timedelta(days=1))

    @property
    def kind(self) -> str:
        return self.report.scope

    def lsoa_scope_q(self, prefix: str) -> Q:
        """Records placed by an LSOA (`prefix` is the path to it), limited to the scope."""
        if self.kind == ImpactReport.Scope.CSP:
            return Q(**{f"{prefix}__community_safety_partnership_id": self.report.scope_csp_id})
        if self.kind == ImpactReport.Scope.LOCAL_AUTHORITY:
            return Q(**{f"{prefix}__local_authority_id": self.report.scope_local_authority_id})
        return Q()

    def local_authority_scope_q(self, prefix: str) -> Q:
        """Records placed by a local authority (`prefix` is the path to it), in scope."""
        if self.kind == ImpactReport.Scope.CSP:
            return Q(**{f"{prefix}__community_safety_partnership_id": self.report.scope_csp_id})
        if self.kind == ImpactReport.Scope.LOCAL_AUTHORITY:
            return Q(**{f"{prefix}_id": self.report.scope_local_authority_id})
        return Q()

    def referrals(self) -> QuerySet[Referral]:
        """Referrals received in the period (referred_at), in scope."""
        qs = Referral.objects.filter(
            partnership_id=self.partnership_id,
            referred_at__gte=self.start_at,
            referred_at__lt=self.end_before,
        )
        if self.kind == ImpactReport.Scope.PROGRAMME:
            return qs.filter(programme_id=self.report.scope_programme_id)
        return qs.filter(self.lsoa_scope_q("lsoa"))

    def outcomes(self) -> QuerySet[Outcome]:
        """Outcomes achieved in the period, of referrals in scope (whenever referred)."""
        qs = Outcome.objects.filter(
            referral__partnership_id=self.partnership_id,
            achieved_on__gte=self.start,
            achieved_on__lte=self.end,
        )
        if self.kind == ImpactReport.Scope.PROGRAMME:
            return qs.filter(referral__programme_id=self.report.scope_programme_id)
        return qs.filter(self.lsoa_scope_q("referral__lsoa"))

    def session_counts(self) -> QuerySet[SessionCount]:
        qs = SessionCount.objects.filter(
            session__programme__partnership_id=self.partnership_id,
            session__held_on__gte=self.start,
            session__held_on__lte=self.end,
        )
        if self.kind == ImpactReport.Scope.PROGRAMME:
            return qs.filter(session__programme_id=self.report.scope_programme_id)
        return qs.filter(self.lsoa_scope_q("session__lsoa"))

    def programmes(self) -> QuerySet[Programme]:
        qs = Programme.objects.filter(partnership_id=self.partnership_id)
        if self.kind == ImpactReport.Scope.PROGRAMME:
            return qs.filter(pk=self.report.scope_programme_id)
        return qs

    @property
    def includes_grants(self) -> bool:
        return self.kind != ImpactReport.Scope.PROGRAMME

    def awards(self) -> QuerySet[Award]:
        """Grant awards running at some time in the period, to groups in scope."""
        if not self.includes_grants:
            return Award.objects.none()
        qs = Award.objects.filter(
            decision__application__grant_round__partnership_id=self.partnership_id,
            starts_on__lte=self.end,
            ends_on__gte=self.start,
        )
        return qs.filter(
            self.local_authority_scope_q("decision__application__organisation__local_authority")
        )

    def approved_returns(self) -> QuerySet[MonitoringReturn]:
        """Monitoring returns approved in the period: each reports the young people its
        project reached since the one before, so they add up without double counting."""
        if not self.includes_grants:
            return MonitoringReturn.objects.none()
        qs = MonitoringReturn.objects.filter(
            award__decision__application__grant_round__partnership_id=self.partnership_id,
            status=MonitoringReturn.Status.APPROVED,
            approved_at__gte=self.start_at,
            approved_at__lt=self.end_before,
        )
        return qs.filter(
            self.local_authority_scope_q(
                "award__decision__application__organisation__local_authority"
            )
        )

    def priority_lsoa_ids(self) -> set[int]:
        if self._priority_ids is None:
            codes = priority_lsoa_codes(self.partnership_id)
            self._priority_ids = set(
                LSOA.objects.filter(code__in=codes).values_list("pk", flat=True)
            )
        return self._priority_ids

    def _referral_pass(self) -> None:
        """The one pass over referrals the report makes: counts (with the 24-hour clock)
        grouped by programme, age band and home LSOA, in the database. Everything else about
        referrals (place, per-LSOA map counts, totals) is summed from these groups."""
        priority = self.priority_lsoa_ids()
        groups: dict[tuple, dict] = {}
        by_lsoa: dict[int, int] = defaultdict(int)
        for row in (
            self.referrals()
            .order_by()
            .annotate(band=age_bands.band_expression("age_at_referral"))
            .values("programme_id", "band", "lsoa_id")
            .annotate(
                n=disclosure.people("referral"),
                met=disclosure.people("referral", filter=Referral.met_q()),
                breached=disclosure.people("referral", filter=Referral.breached_q(self.now)),
            )
        ):
            lsoa_id = row["lsoa_id"]
            if lsoa_id is None:
                place = "unknown"
            else:
                place = "priority" if lsoa_id in priority else "elsewhere"
                by_lsoa[lsoa_id] += row["n"]
            key = (row["programme_id"], row["band"], place)
            group = groups.setdefault(
                key,
                {
                    "programme_id": key[0],
                    "band": key[1],
                    "place": place,
                    "n": 0,
                    "met": 0,
                    "breached": 0,
                },
            )
            for field_name in ("n", "met", "breached"):
                group[field_name] += row[field_name]
        self._referral_groups = list(groups.values())
        self._referrals_by_lsoa = dict(by_lsoa)

    def referral_groups(self) -> list[dict]:
        """Referrals grouped by programme, age band and where the young person lives
        (priority LSOA, elsewhere, not recorded), with n, met and breached."""
        if self._referral_groups is None:
            self._referral_pass()
        return self._referral_groups

    def referrals_by_lsoa(self) -> dict[int, int]:
        if self._referrals_by_lsoa is None:
            self._referral_pass()
        return self._referrals_by_lsoa

    def shown(self, value: int) -> str:
        return disclosure.shown_count(value)


# --- Small helpers for blocks ---------------------------------------------------------------


def money(value) -> str:
    return f"£{Decimal(value or 0):,.0f}"


def table_block(
    *,
    id: str,
    caption: str,
    row_labels: list[str],
    headers: list[str],
    counts: list[list[int]],
    row_totals: bool = True,
    column_totals: bool = True,
    total_label: str = "Total",
    highlight: list[bool] | None = None,
) -> dict:
    """A table of counts of people, suppressed, with its totals as published."""
    table = disclosure.protect_table(counts, row_totals=row_totals, column_totals=column_totals)
    rows = []
    for index, label in enumerate(row_labels):
        cells = list(table.cells[index])
        if row_totals:
            cells.append(table.row_totals[index])
        rows.append([label, *cells])
    all_headers = [*headers, "Total"] if row_totals else list(headers)
    foot = None
    if column_totals and not counts:
        foot = [total_label] + ["0"] * (len(all_headers) - 1)  # nothing counted at all
    elif column_totals:
        foot = [total_label, *table.column_totals]
        if row_totals:
            foot.append(table.grand_total)
    return {
        "type": "table",
        "id": id,
        "caption": caption,
        "headers": all_headers,
        "rows": rows,
        "foot": foot,
        "numeric": [False] + [True] * (len(all_headers) - 1),
        "highlight": highlight or [False] * len(rows),
    }


def programme_names(scope: ReportScope) -> dict[int, str]:
    return dict(scope.programmes().values_list("pk", "name"))
