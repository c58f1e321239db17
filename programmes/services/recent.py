"""Which referrals each user opened last (programmes.models.RecentView)."""

from django.db import transaction
from django.utils import timezone

from programmes.models import RecentView, Referral
from vru.models import User

KEPT = 10  # rows kept per user; the caseload shows the latest 5 the user may still see


@transaction.atomic
def referral_viewed(*, actor: User, referral: Referral) -> None:
    """Note that the actor opened the referral (two queries: upsert, trim)."""
    RecentView.objects.bulk_create(
        [RecentView(user=actor, referral=referral, viewed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "referral"],
        update_fields=["viewed_at"],
    )
    latest = RecentView.objects.filter(user=actor).order_by("-viewed_at").values("pk")[:KEPT]
    RecentView.objects.filter(user=actor).exclude(pk__in=latest).delete()
