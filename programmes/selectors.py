"""Every read of programmes and referrals that depends on who is asking.

A viewer who may not see a kind of record gets an empty queryset, so the doors answer 404.
Aggregates are computed in the database; commissioners get counts of 1 to 4 as "<5".
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from programmes import permissions, yef
from programmes.filters import ReferralFilter
from programmes.models import (
    DetachedContact,
    Programme,
    ProgrammeStaff,
    Referral,
    Session,
    YoungPerson,
)
from vru import disclosure
from vru.models import ImportJob, Role, User
from vru.permissions import has_role, sees_suppressed_figures
from vru.viewer import remembered


def _managed_programme_ids(viewer: User) -> QuerySet:
    return ProgrammeStaff.objects.filter(user=viewer, role=ProgrammeStaff.StaffRole.MANAGER).values(
        "programme_id"
    )


def _staffed_programme_ids(viewer: User) -> QuerySet:
    return ProgrammeStaff.objects.filter(user=viewer).values("programme_id")


def programme_list(*, viewer: User) -> QuerySet[Programme]:
    if not permissions.can_view_programmes(viewer):
        return Programme.objects.none()
    return Programme.objects.filter(partnership_id=viewer.partnership_id)


def programmes_for_referrals(*, viewer: User) -> QuerySet[Programme]:
    """Programmes the viewer may log referrals for."""
    if not permissions.can_use_caseload(viewer):
        return Programme.objects.none()
    qs = Programme.objects.filter(partnership_id=viewer.partnership_id)
    if has_role(viewer, Role.ADMINISTRATOR):
        return qs
    return qs.filter(pk__in=_staffed_programme_ids(viewer))


@dataclass(frozen=True)
class MyProgramme:
    id: int
    name: str
    manages: bool  # may assign its caseload, import into it
    harmful: bool = False  # its YEF toolkit approach is rated harmful (warn wherever shown)


def caseload_programmes(*, viewer: User) -> list[MyProgramme]:
    """The programmes whose referrals the viewer logs, and which of them they manage: one
    query, remembered for the rest of the request (the lists ask several times)."""
    return remembered(viewer, "caseload_programmes", lambda: _caseload_programmes(viewer))


def _caseload_programmes(viewer: User) -> list[MyProgramme]:
    if not permissions.can_use_caseload(viewer):
        return []
    if has_role(viewer, Role.ADMINISTRATOR):
        return [
            MyProgramme(pk, name, True, yef.is_harmful(approach))
            for pk, name, approach in Programme.objects.filter(
                partnership_id=viewer.partnership_id
            ).values_list("pk", "name", "yef_approach")
        ]
    manager = has_role(viewer, Role.PROGRAMME_MANAGER)
    return [
        MyProgramme(
            pk,
            name,
            manager and role == ProgrammeStaff.StaffRole.MANAGER,
            yef.is_harmful(approach),
        )
        for pk, name, role, approach in ProgrammeStaff.objects.filter(
            user=viewer, programme__partnership_id=viewer.partnership_id
        )
        .order_by("programme__name")
        .values_list("programme_id", "programme__name", "role", "programme__yef_approach")
    ]


def managed_programmes(*, viewer: User) -> QuerySet[Programme]:
    if not permissions.can_use_caseload(viewer):
        return Programme.objects.none()
    qs = Programme.objects.filter(partnership_id=viewer.partnership_id)
    if has_role(viewer, Role.ADMINISTRATOR):
        return qs
    if has_role(viewer, Role.PROGRAMME_MANAGER):
        return qs.filter(pk__in=_managed_programme_ids(viewer))
    return Programme.objects.none()


def _referral_visibility(viewer: User) -> Q | None:
    if not permissions.can_use_caseload(viewer):
        return None
    if has_role(viewer, Role.ADMINISTRATOR):
        return Q(partnership_id=viewer.partnership_id)
    # The viewer's programmes as a list of ids (loaded with the signed-in user, see
    # permissions.staff_roles), not a subquery: with one, planning the list's query cost
    # PostgreSQL more than running it (docs/performance.md, "Lists of referrals").
    staffed = permissions.staff_roles(viewer)
    q = Q(pk__in=[])
    if has_role(viewer, Role.PROGRAMME_MANAGER):
        managed = sorted(
            p for p, role in staffed.items() if role == ProgrammeStaff.StaffRole.MANAGER
        )
        q |= Q(programme_id__in=managed)
    if has_role(viewer, Role.PRACTITIONER):
        # their own caseload, while they still work on the programme
        q |= Q(assigned_to_id=viewer.pk, programme_id__in=sorted(staffed))
    # the partnership bounds it all (a programme id of another partnership shows nothing)
    return Q(partnership_id=viewer.partnership_id) & q


def referral_list(
    *, viewer: User, filters: dict | None = None, now: datetime | None = None
) -> QuerySet[Referral]:
    """The referrals the viewer may see: awaiting first contact (by due time) first."""
    visible = _referral_visibility(viewer)
    if visible is None:
        return Referral.objects.none()
    now = now or timezone.now()
    qs = (
        Referral.objects.filter(visible)
        .select_related("programme", "young_person", "assigned_to", "lsoa")
        .annotate(
            breached=Case(
                When(Referral.breached_q(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-awaiting_contact", "due_at", "id")
    )
    if filters and any(filters.get(name) for name in ReferralFilter.base_filters):
        qs = ReferralFilter(filters, queryset=qs).qs
    return qs


# The list columns (pages and API): pseudonymous, no identity, nothing decrypted.
REFERRAL_ROW_FIELDS = (
    "id",
    "young_person__reference",
    "programme_id",
    "programme__name",
    "source",
    "reason",
    "event_at",
    "referred_at",
    "due_at",
    "first_contact_at",
    "awaiting_contact",
    "breached",
    "status",
    "closure_reason",
    "age_at_referral",
    "lsoa__code",
    "assigned_to_id",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "consent_given_by",
    "consent_given_at",
    "consent_withdrawn_at",
    "risk_factors",
    "protective_factors",
    "eligibility_override",
)

# ?sort= keys of the lists -> the seek ordering (a unique last column); the default is the
# caseload order: awaiting first contact first, soonest due first (index-backed per viewer)
DEFAULT_REFERRAL_ORDERING = [("awaiting_contact", True), ("due_at", False), ("id", False)]
REFERRAL_SORTS = {
    "due": "due_at",
    "event": "event_at",
    "referred": "referred_at",
    "status": "status",
    "reference": "young_person__reference",
    "programme": "programme__name",
}


def referral_ordering(sort: str | None) -> list[tuple[str, bool]]:
    sort = (sort or "").strip()
    descending = sort.startswith("-")
    field = REFERRAL_SORTS.get(sort.lstrip("-"))
    if field is None:
        return DEFAULT_REFERRAL_ORDERING
    return [(field, descending), ("id", descending)]


# The caseload page's columns: fewer joins than the API's rows (the programme's name comes
# from the viewer's programmes, the LSOA and consent are not shown)
CASELOAD_ROW_FIELDS = (
    "id",
    "young_person__reference",
    "programme_id",
    "reason",
    "event_at",
    "due_at",
    "awaiting_contact",
    "breached",
    "status",
    "assigned_to_id",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


def referral_rows(
    *,
    viewer: User,
    filters: dict | None = None,
    now: datetime | None = None,
    fields: tuple[str, ...] = REFERRAL_ROW_FIELDS,
) -> tuple[QuerySet, QuerySet]:
    """The visible referrals as plain rows (`fields`) for lists: no model instances, no
    identity. Order with `referral_ordering` (see programmes.paging); the columns of the
    ordering are added to the rows.

    Returns (rows, the same referrals without joins, for a capped count)."""
    if _referral_visibility(viewer) is None:
        return Referral.objects.none().values("id"), Referral.objects.none()
    qs = referral_list(viewer=viewer, filters=_without_sort(filters), now=now)
    qs = qs.select_related(None)
    sort_fields = [f for f, _ in referral_ordering((filters or {}).get("sort"))]
    return qs.values(*fields, *[f for f in sort_fields if f not in fields]), qs


def _without_sort(filters):
    if filters is None or "sort" not in filters:
        return filters
    filters = filters.copy()
    filters.pop("sort")
    return filters


def referral_get(*, viewer: User, pk: int) -> Referral | None:
    return referral_list(viewer=viewer).filter(pk=pk).first()


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    detail: str
    by: str


def referral_timeline(*, referral: Referral) -> list[TimelineEntry]:
    """Contacts, status changes and outcomes of one referral, oldest first (3 queries)."""
    entries = [
        TimelineEntry(referral.event_at, "event", "Event", referral.get_reason_display(), ""),
        TimelineEntry(
            referral.referred_at, "referral", "Referred", referral.get_source_display(), ""
        ),
    ]
    for change in referral.status_changes.select_related("changed_by"):
        detail = change.get_closure_reason_display() if change.closure_reason else ""
        entries.append(
            TimelineEntry(
                change.changed_at,
                "status",
                f"Status: {change.get_to_status_display()}",
                detail,
                str(change.changed_by or "system"),
            )
        )
    for contact in referral.contacts.select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                contact.occurred_at,
                "contact",
                f"Contact ({contact.get_method_display()}, {contact.duration_minutes} min)",
                " ".join(
                    filter(
                        None,
                        [contact.notes, f"Next: {contact.next_step}" if contact.next_step else ""],
                    )
                ),
                str(contact.recorded_by or ""),
            )
        )
    for outcome in referral.outcomes.select_related("recorded_by"):
        at = timezone.make_aware(datetime.combine(outcome.achieved_on, datetime.min.time()))
        entries.append(
            TimelineEntry(
                at,
                "outcome",
                f"Outcome: {outcome.get_kind_display()}",
                outcome.notes,
                str(outcome.recorded_by or ""),
            )
        )
    return sorted(entries, key=lambda e: e.at)


def referral_import_jobs(*, viewer: User) -> QuerySet[ImportJob]:
    """Referral import jobs the viewer may follow: those into programmes they manage."""
    managed = managed_programmes(viewer=viewer).values("pk")
    return ImportJob.objects.filter(
        kind=ImportJob.Kind.REFERRALS,
        partnership_id=viewer.partnership_id,
        target_id__in=managed,
    ).select_related("created_by")


def session_list(*, viewer: User) -> QuerySet[Session]:
    if not permissions.can_use_caseload(viewer):
        return Session.objects.none()
    qs = (
        Session.objects.filter(programme__partnership_id=viewer.partnership_id)
        .select_related("programme", "lsoa")
        .annotate(young_people=Coalesce(Sum("counts__count"), 0))
        .order_by("-held_on", "-id")
    )
    if not has_role(viewer, Role.ADMINISTRATOR):
        qs = qs.filter(programme_id__in=_staffed_programme_ids(viewer))
    return qs


def session_get(*, viewer: User, pk: int) -> Session | None:
    return session_list(viewer=viewer).filter(pk=pk).first()


def attendee_candidate(*, viewer: User, reference: str) -> YoungPerson | None:
    """A young person the viewer may name on a session: one with a referral they may see
    (a practitioner's own caseload, a manager's programmes, an administrator's
    partnership), not anonymised. Anyone else is "not found", whether or not they exist."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    visible = referral_list(viewer=viewer).order_by().values("young_person_id")
    return YoungPerson.objects.filter(
        reference=reference, pk__in=visible, anonymised_at__isnull=True
    ).first()


def session_attendees(*, session: Session) -> QuerySet[YoungPerson]:
    """Named attendees: pseudonymous references only (shown to the programme's staff)."""
    return session.attendees.order_by("reference").only("pk", "reference", "anonymised_at")


def detached_contact_get(*, viewer: User, pk) -> DetachedContact | None:
    """An anonymous contact of a visible detached session, not yet made a referral."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        DetachedContact.objects.filter(
            pk=pk,
            session__in=session_list(viewer=viewer).order_by().values("pk"),
            referral__isnull=True,
        )
        .select_related("session")
        .first()
    )


# --- Aggregates -------------------------------------------------------------------------


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


def referral_for_break_glass(*, viewer: User, reference: str) -> Referral | None:
    """The young person's latest open-to-identity referral in the viewer's partnership, found
    by their pseudonymous reference (what a caller from the police or a school quotes).
    Only for those who may use break-glass; None when there is no such case."""
    if not permissions.can_use_break_glass(viewer):
        return None
    return (
        Referral.objects.filter(
            partnership_id=viewer.partnership_id,
            young_person__reference=reference.strip().upper(),  # as filters.ReferralFilter
            anonymised_at__isnull=True,
        )
        .select_related("programme", "young_person", "partnership")
        .order_by("-referred_at", "-pk")
        .first()
    )


def notice_recipients(
    *, programme: Programme, also: tuple[int | None, ...] = (), leave_out: int | None = None
) -> list[str]:
    """The e-mail addresses a programme's notices go to (a new referral, a missed contact
    target): its managers and the users in `also`, only active users with an address, not
    `leave_out` (who did the thing being told)."""
    managers = ProgrammeStaff.objects.filter(
        programme=programme, role=ProgrammeStaff.StaffRole.MANAGER
    ).values_list("user_id", flat=True)
    users = User.objects.filter(is_active=True).exclude(email="")
    users = users.filter(pk__in=[*managers, *[pk for pk in also if pk is not None]])
    if leave_out is not None:
        users = users.exclude(pk=leave_out)
    return sorted(users.values_list("email", flat=True))
