"""The ONS postcode directory as a reviewed import (an upload page beside the command): the
file is checked first in Celery (nothing written; counts, and every bad row by row, column
and reason), imported once confirmed, all or nothing, and can be undone. It reads and writes
with the same rule as `manage.py import_postcodes` (vru.services.postcodes), for the
neighbourhoods of the job's partnership. The life of the job is the core's
(vru.services.areas.crime_jobs, through vru.import_kinds)."""

import csv
import io

from django.core.exceptions import ValidationError

from vru import import_kinds, permissions
from vru.import_kinds import Checked, ImportKind
from vru.models import LSOA, ImportJob, ImportSnapshot, Postcode, User
from vru.services import postcodes
from vru.services.imports.rows import digest

STALE = (
    "The partnership's neighbourhoods changed after the file was checked: nothing was "
    "imported. Upload the file again to see what it would change now."
)


def _plan(job: ImportJob, progress=None) -> postcodes.PostcodePlan:
    content = bytes(job.content)
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    try:
        return postcodes.postcode_directory_plan(
            rows=csv.reader(text), partnership=job.partnership, progress=progress
        )
    except UnicodeDecodeError:
        raise ValidationError(
            "The file is not UTF-8 text: save the directory's CSV as it was downloaded."
        ) from None
    except csv.Error as exc:
        raise ValidationError(f"The file is not a readable CSV file ({exc}).") from None


def _digest(plan: postcodes.PostcodePlan) -> str:
    return digest(f"{p}|{lsoa}" for p, lsoa in plan.kept.items())


def postcode_import_check(job: ImportJob) -> Checked:
    total = max(bytes(job.content).count(b"\n") - 1, 0)  # rows below the header, about

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=max(total, done))

    plan = _plan(job, progress)
    preview = {
        "rows_read": plan.read,
        "postcodes_kept": len(plan.kept),
        "rows_outside": plan.outside,
        "errors": plan.error_rows,
        "stored_replaced": postcodes.postcodes_in_scope(job.partnership).count(),
        "digest": _digest(plan),
    }
    return Checked(preview, plan.errors)  # all or nothing: one bad row refuses the file


def postcode_import_apply(job: ImportJob, actor: User | None, prepared: None) -> int:
    plan = _plan(job)
    if plan.errors or _digest(plan) != job.preview.get("digest"):
        raise ValidationError(STALE, code="stale_check")
    postcodes.postcode_plan_apply(actor=actor, plan=plan, partnership=job.partnership, job=job)
    return len(plan.kept)


def postcode_import_restore(snapshot: ImportSnapshot) -> dict:
    """Put back the postcodes stored before the import; those it wrote are kept on the
    snapshot (rows_removed_on_restore)."""
    in_scope = postcodes.postcodes_in_scope(snapshot.job.partnership)
    snapshot.rows_removed_on_restore = [
        list(r) for r in in_scope.values_list("postcode", "lsoa_id")
    ]
    snapshot.save(update_fields=["rows_removed_on_restore"])
    in_scope.delete()
    held = set(LSOA.objects.values_list("pk", flat=True))
    back = [Postcode(postcode=p, lsoa_id=lsoa) for p, lsoa in snapshot.rows if lsoa in held]
    Postcode.objects.bulk_create(back, batch_size=postcodes.BATCH, ignore_conflicts=True)
    return {
        "postcodes_removed": len(snapshot.rows_removed_on_restore),
        "postcodes_put_back": len(back),
    }


def _overlap(snapshot: ImportSnapshot, later: ImportSnapshot) -> list[str]:
    return ["The postcode directory"]  # a later import replaced all of the partnership's


def _may_review(user: User, job: ImportJob) -> bool:
    return permissions.can_import_area_data(user)


def _replaced(preview: dict) -> list[dict]:
    n = preview.get("stored_replaced", 0)
    return [{"label": "the postcode directory", "replaced": n}] if n else []


def replace_unconfirmed_message(replaced: list[dict]) -> str:
    n = sum(r["replaced"] for r in replaced)
    return (
        f"This file replaces the {n:,} postcodes stored for the partnership's neighbourhoods: "
        "tick the box to confirm."
    )


def register_postcode_kind() -> None:
    import_kinds.register(
        ImportJob.Kind.POSTCODES,
        ImportKind(
            verb="postcodes",
            check=postcode_import_check,
            apply=postcode_import_apply,
            restore=postcode_import_restore,
            may_review=_may_review,
            replaced=_replaced,
            replace_message=replace_unconfirmed_message,
            overlap=_overlap,
        ),
    )
