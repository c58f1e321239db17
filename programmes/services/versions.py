"""Every change to a case record kept as a numbered version (programmes.models.RecordVersion):
who, when, why, and each field before and after, written in the same transaction as the
change. Corrections (programmes.services.corrections) and assigning a case
(programmes.services.referrals.referral_assign) keep one each."""

from django.db.models import Max
from django.utils import timezone

from programmes.models import RecordVersion, Referral
from vru.models import LSOA, Partnership, User


def current_version(kind: str, object_id: int) -> int:
    """The version a record is at: 1 as first recorded, one more for each change kept."""
    latest = RecordVersion.objects.filter(kind=kind, object_id=object_id).aggregate(
        latest=Max("version")
    )["latest"]
    return latest or 1


def shown(value):
    """A value as the version keeps it (a neighbourhood by its code and name; counts by
    "age band / gender")."""
    if isinstance(value, LSOA):
        return str(value)
    if isinstance(value, User):
        return value.get_full_name() or value.get_username()
    if isinstance(value, dict):
        return {f"{band} / {gender}": count for (band, gender), count in value.items()}
    return value


def keep(
    *,
    actor: User | None,
    kind: str,
    object_id: int,
    partnership: Partnership,
    referral: Referral | None,
    version: int,
    why: str,
    changed: dict,
) -> RecordVersion:
    return RecordVersion.objects.create(
        partnership=partnership,
        kind=kind,
        object_id=object_id,
        referral=referral,
        version=version,
        changed_by=actor if actor is not None and actor.pk else None,
        changed_at=timezone.now(),
        why=why.strip(),
        fields=sorted(changed),
        values=RecordVersion.dump(
            {name: (shown(before), shown(after)) for name, (before, after) in changed.items()}
        ),
    )
