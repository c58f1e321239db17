"""A contact or an outcome of a case, as the viewer may see it: through its referral."""

from programmes.models import Contact, Outcome
from programmes.selectors.referrals import referral_list
from vru.models import User


def contact_get(*, viewer: User, pk: int) -> Contact | None:
    return (
        Contact.objects.filter(pk=pk, referral__in=referral_list(viewer=viewer).values("pk"))
        .select_related("referral__programme", "referral__young_person")
        .first()
    )


def outcome_get(*, viewer: User, pk: int) -> Outcome | None:
    return (
        Outcome.objects.filter(pk=pk, referral__in=referral_list(viewer=viewer).values("pk"))
        .select_related("referral__programme", "referral__young_person")
        .first()
    )
