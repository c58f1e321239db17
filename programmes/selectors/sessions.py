"""Group sessions, their attendees and detached contacts, as the viewer may see them."""

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from programmes import permissions
from programmes.models import DetachedContact, ProgrammeStaff, Session, YoungPerson
from programmes.selectors.programmes import _staffed_programme_ids, programmes_for_referrals
from programmes.selectors.referrals import referral_list
from vru.models import LSOA, Role, User
from vru.permissions import has_role


def session_list(*, viewer: User) -> QuerySet[Session]:
    if not permissions.can_use_caseload(viewer):
        return Session.objects.none()
    qs = (
        Session.objects.filter(programme__partnership_id=viewer.partnership_id)
        .select_related("programme", "lsoa")
        .defer(*LSOA.drawing("lsoa"))
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


def usual_places(*, viewer: User, limit: int = 5) -> list[dict]:
    """The neighbourhoods of the viewer's own most recent sessions (their usual places), then
    of their programmes' recent sessions, newest first, for the street-work page's short
    list: {code, name}."""
    recent = (
        session_list(viewer=viewer)
        .filter(lsoa__isnull=False)
        .order_by("-held_on", "-id")
        .values_list("lsoa__code", "lsoa__name")
    )
    places: dict[str, str] = {}
    for rows in (recent.filter(created_by=viewer)[:50], recent[:50]):
        for code, name in rows:
            places.setdefault(code, name)
            if len(places) == limit:
                return [{"code": c, "name": n} for c, n in places.items()]
    return [{"code": c, "name": n} for c, n in places.items()]


def street_colleagues(*, viewer: User) -> list[dict]:
    """Staff of the programmes the viewer records sessions for, but the viewer, for "other
    staff present" on the street-work page: {programme, user, name}, by name."""
    rows = (
        ProgrammeStaff.objects.filter(
            programme__in=programmes_for_referrals(viewer=viewer).values("pk"),
            user__is_active=True,
        )
        .exclude(user=viewer)
        .order_by("user__first_name", "user__last_name", "user_id")
        .values_list("programme_id", "user_id", "user__first_name", "user__last_name")
    )
    return [
        {"programme": programme, "user": user, "name": f"{first} {last}".strip()}
        for programme, user, first, last in rows
    ]
