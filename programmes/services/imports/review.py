"""The custody import as a reviewed import: checked first, imported once confirmed, undone
from its page. The life (queue, check, confirmation, cancel, undo, expiry) is the core's
(vru.services.areas.crime_jobs); this module holds what is particular to referrals, and
ProgrammesConfig.ready registers it (vru.import_kinds: the core imports no app).

- The check reads the file and judges every row with the referral's one input, then looks
  up the referrals already on record; it writes nothing. Its preview: rows read, referrals
  that would be added, rows skipped by reason (each bad cell is kept on the job with its row,
  column and reason), possible duplicates. A file most of whose rows name home neighbourhoods
  outside the partnership is refused whole; so is a file with a bad row, unless the person
  chose to import the valid rows only.
- The import judges the file again (with progress, outside the transaction), then under
  the programme's lock checks that it would still add exactly the rows the person saw, loads
  them (COPY on PostgreSQL) and keeps the ids of what it added.
- The undo removes exactly those referrals and young people (their identities, first status
  and possible-duplicate links go with them). It is refused when anything has been recorded
  about them since (contacts, outcomes, sessions, scores, later referrals ...): undoing would
  lose that work. Nothing of their identities is kept: only ids and pseudonymous references.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from programmes import permissions
from programmes.models import (
    Programme,
    Referral,
    SearchToken,
    StatusChange,
    YoungPerson,
    YoungPersonIdentity,
)
from programmes.services import notices
from programmes.services.imports import service
from programmes.services.imports.reading import read_rows
from vru.import_kinds import Checked, ImportKind
from vru.models import LSOA, ImportJob, ImportSnapshot, User
from vru.services import RowError
from vru.services import imports as core_imports


def _programme(job: ImportJob) -> Programme:
    programme = (
        Programme.objects.filter(pk=job.target_id, partnership_id=job.partnership_id)
        .select_related("partnership")
        .first()
    )
    if programme is None:
        raise ValidationError("The programme no longer exists.", code="no_programme")
    return programme


def may_review(user: User, job: ImportJob) -> bool:
    """Whoever may import referrals into the job's programme (programmes.permissions)."""
    programme = Programme.objects.filter(pk=job.target_id).first()
    return programme is not None and permissions.can_import_referrals(user, programme)


def _digest(clean: list[dict]) -> str:
    """What would be added: changed if any row would now be added or left out."""
    return core_imports.digest(
        f"{r['row']}:{r['match_index']}:{r['event_at'].isoformat()}" for r in clean
    )


def _rows_outside(programme: Programme, rows: list[dict]) -> int:
    """Rows whose home neighbourhood is given and is no LSOA of the partnership."""
    given = [str(r.get("home_lsoa") or "").strip().upper() for r in rows]
    if not any(given):
        return 0
    ours = set(
        LSOA.objects.filter(partnership_id=programme.partnership_id).values_list("code", flat=True)
    )
    return sum(1 for code in given if code and code not in ours)


def _historical(programme: Programme, clean: list[dict], now: datetime) -> int:
    """Rows the import would mark historical: their contact target long past (notices)."""
    long_past = notices.historical_before(now)
    hours = programme.referral_target_hours
    return sum(1 for r in clean if Referral.due_for(r["event_at"], hours) < long_past)


def _as_dicts(errors: list[RowError]) -> list[dict]:
    return [e.as_dict() for e in errors]


def referral_import_check(job: ImportJob) -> Checked:
    """What the job's file would add. Writes nothing (progress only)."""
    programme = _programme(job)
    rows = read_rows(file_name=job.file_name, content=bytes(job.content))
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows), processed_rows=0)

    def progress(checked: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=checked)

    now = timezone.now()
    clean, errors = service.referral_rows_judge(
        programme=programme, rows=rows, now=now, progress=progress
    )
    taken, duplicate_of = service.referral_rows_on_record(programme=programme, clean=clean)
    if taken:
        rows_taken = {e.row for e in taken}
        clean = [r for r in clean if r["row"] not in rows_taken]
        errors = sorted([*errors, *taken], key=lambda e: (e.row, e.column))
    refusal = core_imports.another_area_refusal(
        rows_outside=_rows_outside(programme, rows),
        rows_read=len(rows),
        partnership=programme.partnership,
        places="home neighbourhoods (LSOAs)",
    )
    preview = {
        "programme": programme.name,
        "rows_read": len(rows),
        "rows_to_add": len(clean),
        "rows_skipped": len({e.row for e in errors}),
        "skipped": core_imports.skipped_by_reason(errors),
        "possible_duplicates": service.possible_duplicates_count(clean, duplicate_of),
        "rows_historical": _historical(programme, clean, now),
        "historical_days": settings.VRU_HISTORICAL_REFERRAL_DAYS,
        "replaced": 0,  # an import adds referrals; it never replaces any
        "refusal": refusal,
        "digest": _digest(clean),
    }
    if refusal:
        return Checked(preview, [{"row": 1, "column": "home_lsoa", "message": refusal}])
    if errors and (not job.skip_invalid_rows or not clean):
        return Checked(preview, _as_dicts(errors))  # nothing would be imported: refused
    return Checked(preview, row_errors=_as_dicts(errors))


@dataclass
class _Judged:
    programme: Programme
    clean: list[dict]
    errors: list[RowError]
    now: datetime


def referral_import_prepare(job: ImportJob) -> _Judged:
    """The confirmed file judged again, outside the import's transaction (with progress)."""
    programme = _programme(job)
    rows = read_rows(file_name=job.file_name, content=bytes(job.content))

    def progress(checked: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=checked)

    now = timezone.now()
    clean, errors = service.referral_rows_judge(
        programme=programme, rows=rows, now=now, progress=progress
    )
    return _Judged(programme=programme, clean=clean, errors=errors, now=now)


STALE = (
    "The referrals on record (or the programme's rules) changed after the file was checked: "
    "nothing was imported. Upload the file again to see what it would add now."
)


def referral_import_apply(job: ImportJob, actor: User | None, judged: _Judged) -> int:
    """Add the rows the person saw, under the programme's lock; keep their ids. Inside the
    machinery's transaction."""
    programme = Programme.objects.select_for_update().get(pk=judged.programme.pk)
    taken, duplicate_of = service.referral_rows_on_record(programme=programme, clean=judged.clean)
    rows_taken = {e.row for e in taken}
    clean = [r for r in judged.clean if r["row"] not in rows_taken]
    if not clean or _digest(clean) != job.preview.get("digest"):
        raise ValidationError(STALE, code="stale_check")
    stored = service.referral_rows_load(
        actor=actor,
        programme=programme,
        clean=clean,
        duplicate_of=duplicate_of,
        now=judged.now,
        rows_with_errors=len({e.row for e in [*judged.errors, *taken]}),
        import_job=job,
    )
    ImportSnapshot.objects.create(
        job=job,
        scope={"programme": programme.pk, "programme_name": programme.name, "added": len(stored)},
        rows=[[referral_id, person_id] for referral_id, person_id in sorted(stored)],
    )
    return len(stored)


# --- Undo ----------------------------------------------------------------------------------

# What an import itself writes with its young people and referrals, removed with them.
# (the search tokens are the identity's, written with it)
_WRITTEN_WITH_PEOPLE = ["identity", "search_tokens", "referrals"]  # referrals: its own only
# status changes: only the first, its own (checked below); a breach notice is the 24-hour
# clock's, and a new-referral notice the import's own, about these referrals only; that
# someone opened one ("Recently viewed") is no work on it
_WRITTEN_WITH_REFERRALS = [
    "status_changes",
    "breach_notification",
    "new_referral_notice",
    "recent_views",
]


def _added(snapshot: ImportSnapshot) -> tuple[list[int], list[int]]:
    referral_ids = [row[0] for row in snapshot.rows]
    person_ids = sorted({row[1] for row in snapshot.rows})
    return referral_ids, person_ids


def referral_import_restore_problem(snapshot: ImportSnapshot) -> str:
    """Why undoing would lose something ("" when it would not). Reads only."""
    referral_ids, person_ids = _added(snapshot)
    still = 0
    changed = 0
    for chunk in core_imports.in_chunks(referral_ids):
        referrals = Referral.objects.filter(pk__in=chunk)
        still += referrals.count()
        changed += (
            referrals.annotate(changes=Count("status_changes"))
            .filter(
                Q(changes__gt=1)
                | Q(first_contact_at__isnull=False)
                | Q(consent_given_at__isnull=False)
                | Q(anonymised_at__isnull=False)
                | ~Q(status=Referral.Status.RECEIVED)
            )
            .count()
        )
    if still != len(referral_ids):
        gone = len(referral_ids) - still
        return (
            f"{gone:,} of the {len(referral_ids):,} referrals this import added "
            f"{'is' if gone == 1 else 'are'} no longer on record, so it cannot be undone exactly."
        )
    found = core_imports.records_pointing_at(
        Referral, referral_ids, written_with_them=_WRITTEN_WITH_REFERRALS
    ) + core_imports.records_pointing_at(
        YoungPerson, person_ids, written_with_them=_WRITTEN_WITH_PEOPLE
    )
    later = 0
    for chunk in core_imports.in_chunks(person_ids):
        later += Referral.objects.filter(young_person_id__in=chunk).count()
    if later > len(referral_ids):
        found["later referrals of the same young people"] += later - len(referral_ids)
    if changed:
        found["referrals moved on (status, first contact, consent)"] += changed
    if not found:
        return ""
    what = "; ".join(f"{name}: {n:,}" for name, n in sorted(found.items()))
    return (
        f"Work has been recorded about the referrals this import added since ({what}). "
        "Undoing the import would delete it, so it cannot be undone."
    )


def referral_import_restore(snapshot: ImportSnapshot) -> dict:
    """Remove exactly the referrals and young people the import added (with their
    identities, first status and possible-duplicate links). Inside the machinery's
    transaction, after referral_import_restore_problem found nothing to lose."""
    programme_id = snapshot.scope["programme"]
    referral_ids, person_ids = _added(snapshot)
    before = Referral.objects.filter(programme_id=programme_id).count()
    references = []
    for chunk in core_imports.in_chunks(person_ids):
        references += YoungPerson.objects.filter(pk__in=chunk).values_list("reference", flat=True)
    snapshot.rows_removed_on_restore = sorted(references)
    snapshot.save(update_fields=["rows_removed_on_restore"])
    through = YoungPerson.possible_duplicates.through
    for chunk in core_imports.in_chunks(person_ids):
        through.objects.filter(
            Q(from_youngperson_id__in=chunk) | Q(to_youngperson_id__in=chunk)
        ).delete()
    for chunk in core_imports.in_chunks(referral_ids):
        StatusChange.objects.filter(referral_id__in=chunk).delete()
        Referral.objects.filter(pk__in=chunk).delete()  # with its breach notice, if any
    for chunk in core_imports.in_chunks(person_ids):
        YoungPersonIdentity.objects.filter(young_person_id__in=chunk).delete()
        SearchToken.objects.filter(young_person_id__in=chunk).delete()
        YoungPerson.objects.filter(pk__in=chunk).delete()
    return {
        "programme": snapshot.scope.get("programme_name", ""),
        "referrals_removed": len(referral_ids),
        "young_people_removed": len(person_ids),
        "referrals_before_undo": before,
        "referrals_after_undo": Referral.objects.filter(programme_id=programme_id).count(),
    }


REFERRAL_IMPORTS = ImportKind(
    verb="referral_import",
    check=referral_import_check,
    prepare=referral_import_prepare,
    apply=referral_import_apply,
    restore=referral_import_restore,
    restore_problem=referral_import_restore_problem,
    may_review=may_review,
)
