"""The caseload list: its columns, sorts and keyset pages, as one prepared query per viewer."""

from datetime import datetime

from django.db import connection
from django.db.models import DateTimeField, QuerySet
from django.utils import timezone

from programmes import paging, permissions
from programmes.models import RecentView, Referral
from programmes.selectors.referrals import (
    _referral_visibility,
    _referrals,
    _visibility,
    referral_list,
    referrals_filtered,
)
from vru import compiled
from vru.models import Role, User

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
    "consent_reconfirm_by",
    "parental_consent_not_needed",
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
# from the viewer's programmes, the LSOA is not shown; consent only as its expiry tag)
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
    "consent_given_by",
    "consent_withdrawn_at",
    "consent_reconfirm_by",
)


def referral_rows(
    *,
    viewer: User,
    filters: dict | None = None,
    now: datetime | None = None,
    fields: tuple[str, ...] = REFERRAL_ROW_FIELDS,
    open_only: bool = False,
) -> tuple[QuerySet, QuerySet]:
    """The visible referrals as plain rows (`fields`) for lists: no model instances, no
    identity. Order with `referral_ordering` (see programmes.paging); the columns of the
    ordering are added to the rows.

    Returns (rows, the same referrals without joins, for a capped count)."""
    if _referral_visibility(viewer) is None:
        return Referral.objects.none().values("id"), Referral.objects.none()
    qs = referral_list(viewer=viewer, filters=_without_sort(filters), now=now, open_only=open_only)
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
    open_only: bool = False,
) -> paging.SeekPage:
    """One seek page of referral_rows (the caseload page and the API list). Unfiltered, on
    PostgreSQL, its query is compiled once per shape and then only run (vru.compiled):
    building and compiling it through the ORM cost twice what running it did. With a search
    or any other filter it goes through the ORM (one query all the same). `open_only`
    leaves closed referrals out (the caseload's default)."""
    ordering = referral_ordering(sort)
    visible = _referral_visibility(viewer)
    if (
        visible is not None
        and not referrals_filtered(filters)
        and connection.vendor == "postgresql"
    ):
        page = _compiled_referral_page(viewer, ordering, cursor, size, fields, sort, open_only)
        if page is not None:
            return page
    rows, referrals = referral_rows(
        viewer=viewer, filters=filters, fields=fields, open_only=open_only
    )
    return paging.seek_page(
        rows, ordering=ordering, cursor=cursor, size=size, count_queryset=referrals
    )


def _visibility_shape(viewer: User) -> tuple[frozenset[str], list[tuple[int, str]]]:
    """What the visibility rule's SQL depends on: the roles that decide it, and the
    (programme id, staff role) pairs the viewer staffs (none for an administrator)."""
    roles = frozenset(viewer.role_names) & {
        Role.ADMINISTRATOR,
        Role.PROGRAMME_MANAGER,
        *permissions.FRONTLINE_ROLES,
    }
    staffed = [] if Role.ADMINISTRATOR in roles else sorted(permissions.staff_roles(viewer).items())
    return roles, staffed


def recently_viewed(*, viewer: User, limit: int = 5) -> list[dict]:
    """The referrals the viewer opened last (id, reference), latest first: only those they
    may still see (one query; on PostgreSQL compiled once per shape, as referral_page: the
    ORM took longer to build it than the database to run it)."""
    if _referral_visibility(viewer) is None:
        return []
    roles, staffed = _visibility_shape(viewer)
    staff_roles = [role for _, role in staffed]

    def build(inputs: list) -> QuerySet:
        partnership_id, user_id, *programme_ids = inputs
        visible = _visibility(
            partnership_id=partnership_id,
            user_id=user_id,
            roles=roles,
            staffed=list(zip(programme_ids, staff_roles, strict=True)),
        )
        return (
            RecentView.objects.filter(
                user_id=user_id, referral_id__in=Referral.objects.filter(visible).values("pk")
            )
            .order_by("-viewed_at")
            .values("referral_id", "referral__young_person__reference")[:limit]
        )

    inputs = [viewer.partnership_id, viewer.pk, *[programme_id for programme_id, _ in staffed]]
    if connection.vendor == "postgresql":
        key = ("recently_viewed", tuple(sorted(roles)), tuple(staff_roles), limit)
        found = compiled.rows(key, build, [int] * len(inputs), inputs)
        if found is not None:
            return found
    return list(build(inputs))


def _compiled_referral_page(viewer, ordering, cursor, size, fields, sort, open_only):
    """referral_page from SQL compiled once per shape. The key names all the SQL's shape
    depends on: the roles that decide visibility, how many programmes the viewer staffs and
    in which staff role (in id order), the columns, the sort, the cursor's direction and its
    true/false values, the page size. The inputs fill its parameters: partnership, user,
    programme ids, now, the cursor's other values."""
    roles, staffed = _visibility_shape(viewer)
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
        open_only,
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
        return _rows(_referrals(visible, None, now, open_only=open_only), fields, sort)

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
