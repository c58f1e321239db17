from django.db.models import QuerySet

from finance import permissions
from vru.models import ImportJob, User


def spend_import_jobs(*, viewer: User) -> QuerySet[ImportJob]:
    """The partnership's imports of spend, for those who may import it (newest first)."""
    if not permissions.can_import_spend(viewer):
        return ImportJob.objects.none()
    return (
        ImportJob.objects.for_viewer(viewer)
        .filter(kind=ImportJob.Kind.FINANCE_SPEND)
        .select_related("created_by", "confirmed_by", "restored_by", "partnership")
    )


def population_import_jobs(*, viewer: User) -> QuerySet[ImportJob]:
    """The partnership's imports of population figures, for those who may import area data."""
    if not permissions.can_import_population(viewer):
        return ImportJob.objects.none()
    return (
        ImportJob.objects.for_viewer(viewer)
        .filter(kind=ImportJob.Kind.POPULATION)
        .select_related("created_by", "confirmed_by", "restored_by", "partnership")
    )
