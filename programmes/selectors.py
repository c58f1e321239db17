"""Every read of programmes and referrals that depends on who is asking.

A viewer who may not see a kind of record gets an empty queryset, so the doors answer 404.
Aggregates are computed in the database; commissioners get counts of 1 to 4 as "<5".
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from programmes import paging, permissions, yef
from programmes.filters import ReferralFilter
from programmes.models import (
    DetachedContact,
    Programme,
    ProgrammeStaff,
    Referral,
    Session,
    YoungPerson,
)
from vru import compiled
from vru.models import ImportJob, Role, User
from vru.permissions import has_role, sees_suppressed_figures
from vru.selectors import disclosure
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
            MyProgramme(row["pk"], row["name"], True, yef.is_harmful(row["yef_approach"]))
            for row in _rows_of(
                "caseload_programmes:all",
                lambda inputs: Programme.objects.filter(partnership_id=inputs[0]).values(
                    "pk", "name", "yef_approach"
                ),
                [viewer.partnership_id],
            )
        ]
    manager = has_role(viewer, Role.PROGRAMME_MANAGER)
    return [
        MyProgramme(
            row["programme_id"],
            row["programme__name"],
            manager and row["role"] == ProgrammeStaff.StaffRole.MANAGER,
            yef.is_harmful(row["programme__yef_approach"]),
        )
        for row in _rows_of(
            "caseload_programmes:staffed",
            lambda inputs: (
                ProgrammeStaff.objects.filter(
                    user_id=inputs[0], programme__partnership_id=inputs[1]
                )
                .order_by("programme__name")
                .values("programme_id", "programme__name", "role", "programme__yef_approach")
            ),
            [viewer.pk, viewer.partnership_id],
        )
    ]


def _rows_of(key: str, build, ids: list[int]) -> list[dict]:
    """The rows of build(ids): compiled once on PostgreSQL (vru.compiled), else the ORM."""
    if connection.vendor == "postgresql":
        found = compiled.rows(key, build, [int] * len(ids), ids)
        if found is not None:
            return found
    return list(build(ids))


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
    return _visibility(
        partnership_id=viewer.partnership_id,
        user_id=viewer.pk,
        roles=viewer.role_names,
        staffed=sorted(permissions.staff_roles(viewer).items()),
    )


def _visibility(
    *, partnership_id: int, user_id: int, roles: frozenset[str], staffed: list[tuple[int, str]]
) -> Q:
    """Which referrals someone of these roles, staffing these (programme id, staff role)
    pairs (by id), may see. A function of these values only: referral_page compiles it once
    per shape (vru.compiled)."""
    if Role.ADMINISTRATOR in roles:
        return Q(partnership_id=partnership_id)
    # The viewer's programmes as a list of ids (loaded with the signed-in user, see
    # permissions.staff_roles), not a subquery: with one, planning the list's query cost
    # PostgreSQL more than running it (docs/performance.md, "Lists of referrals").
    q = Q(pk__in=[])
    if Role.PROGRAMME_MANAGER in roles:
        managed = [p for p, role in staffed if role == ProgrammeStaff.StaffRole.MANAGER]
        q |= Q(programme_id__in=managed)
    if Role.PRACTITIONER in roles:
        # their own caseload, while they still work on the programme
        q |= Q(assigned_to_id=user_id, programme_id__in=[p for p, _ in staffed])
    # the partnership bounds it all (a programme id of another partnership shows nothing)
    return Q(partnership_id=partnership_id) & q


def referral_list(
    *, viewer: User, filters: dict | None = None, now: datetime | None = None
) -> QuerySet[Referral]:
    """The referrals the viewer may see: awaiting first contact (by due time) first."""
    visible = _referral_visibility(viewer)
    return _referrals(visible, filters, now or timezone.now())


def _referrals(visible: Q | None, filters: dict | None, now: datetime) -> QuerySet[Referral]:
    # none for a viewer without a caseload, with the same columns (lists read "breached")
    referrals = Referral.objects.none() if visible is None else Referral.objects.filter(visible)
    qs = (
        referrals.select_related("programme", "young_person", "assigned_to", "lsoa")
        .annotate(
            breached=Case(
                When(Referral.breached_q(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-awaiting_contact", "due_at", "id")
    )
    if _filtered(filters):
        qs = ReferralFilter(filters, queryset=qs).qs
    return qs


def _filtered(filters: dict | None) -> bool:
    return bool(filters) and any(filters.get(name) for name in ReferralFilter.base_filters)


# A referral's list columns (referral_rows' default): pseudonymous, no identity, nothing
# decrypted. The API list reads its serializer's (ReferralRowOutputSerializer.row_fields).
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
    return _rows(qs, fields, (filters or {}).get("sort"))


def _rows(qs: QuerySet, fields: tuple[str, ...], sort: str | None) -> tuple[QuerySet, QuerySet]:
    qs = qs.select_related(None)
    sort_fields = [f for f, _ in referral_ordering(sort)]
    return qs.values(*fields, *[f for f in sort_fields if f not in fields]), qs


def referral_page(
    *,
    viewer: User,
    filters: dict | None,
    sort: str | None,
    cursor: str | None,
    size: int,
    fields: tuple[str, ...] = REFERRAL_ROW_FIELDS,
) -> paging.SeekPage:
    """One seek page of referral_rows (the caseload page and the API list). Unfiltered, on
    PostgreSQL, its query is compiled once per shape and then only run (vru.compiled):
    building and compiling it through the ORM cost twice what running it did."""
    ordering = referral_ordering(sort)
    visible = _referral_visibility(viewer)
    if visible is not None and not _filtered(filters) and connection.vendor == "postgresql":
        page = _compiled_referral_page(viewer, ordering, cursor, size, fields, sort)
        if page is not None:
            return page
    rows, referrals = referral_rows(viewer=viewer, filters=filters, fields=fields)
    return paging.seek_page(
        rows, ordering=ordering, cursor=cursor, size=size, count_queryset=referrals
    )


def _compiled_referral_page(viewer, ordering, cursor, size, fields, sort):
    """referral_page from SQL compiled once per shape. The key names all the SQL's shape
    depends on: the roles that decide visibility, how many programmes the viewer staffs and
    in which staff role (in id order), the columns, the sort, the cursor's direction and its
    true/false values, the page size. The inputs fill its parameters: partnership, user,
    programme ids, now, the cursor's other values."""
    roles = frozenset(viewer.role_names) & {
        Role.ADMINISTRATOR,
        Role.PROGRAMME_MANAGER,
        Role.PRACTITIONER,
    }
    staffed = [] if Role.ADMINISTRATOR in roles else sorted(permissions.staff_roles(viewer).items())
    decoded = paging.decode_cursor(cursor, ordering)
    cursor_values = decoded[1] if decoded else []
    # the cursor's values as the ORM would take them (times parsed), booleans in the key
    value_kinds, values, flags = [], [], []
    for (field, _), value in zip(ordering, cursor_values, strict=False):  # none: first page
        if isinstance(value, bool):
            flags.append(value)
            continue
        model_field = _referral_field(field)
        if isinstance(model_field, DateTimeField):
            value = model_field.to_python(value)
            if not isinstance(value, datetime) or timezone.is_naive(value):
                return None  # not a cursor this list made
        elif not isinstance(value, int | str):
            return None
        value_kinds.append(type(value) if not isinstance(value, datetime) else datetime)
        values.append(value)
    key = (
        "referral_page",
        fields,
        tuple(sorted(roles)),
        tuple(role for _, role in staffed),
        tuple(ordering),
        decoded[0] if decoded else None,
        tuple(flags),
        size,
    )
    kinds = [int, int, *[int] * len(staffed), datetime, *value_kinds]
    inputs = [
        viewer.partnership_id,
        viewer.pk,
        *[programme_id for programme_id, _ in staffed],
        timezone.now(),
        *values,
    ]
    staff_roles = [role for _, role in staffed]

    def querysets(inputs: list) -> tuple[QuerySet, QuerySet]:
        partnership_id, user_id, *rest = inputs
        programme_ids = rest[: len(staffed)]
        now = rest[len(staffed)]
        visible = _visibility(
            partnership_id=partnership_id,
            user_id=user_id,
            roles=roles,
            staffed=list(zip(programme_ids, staff_roles, strict=True)),
        )
        return _rows(_referrals(visible, None, now), fields, sort)

    def as_decoded(inputs: list):
        if decoded is None:
            return None
        given = iter(inputs[len(inputs) - len(values) :])
        flag = iter(flags)
        return decoded[0], [
            next(flag) if isinstance(v, bool) else next(given) for v in cursor_values
        ]

    def build(inputs: list) -> QuerySet:
        rows, referrals = querysets(inputs)
        return paging.page_queryset(
            rows, ordering=ordering, decoded=as_decoded(inputs), size=size, count_queryset=referrals
        )

    found = compiled.rows(key, build, kinds, inputs)
    if found is None:
        return None
    return paging.page_of(
        found,
        ordering=ordering,
        decoded=as_decoded(inputs),
        size=size,
        count_queryset=lambda: querysets(inputs)[1],
    )


def _referral_field(path: str):
    """The model field at the end of a lookup path ("due_at", "programme__name")."""
    model, field = Referral, None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model or model
    return field


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


def staff_of(programmes) -> QuerySet[User]:
    """The people who work on these programmes, for the assign list."""
    return (
        User.objects.filter(programme_memberships__programme__in=programmes)
        .distinct()
        .order_by("first_name", "last_name")
    )
