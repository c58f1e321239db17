"""Listening responses from the delivery partner's spreadsheet as a reviewed import: checked
first, imported once confirmed, undone from its page. The life (queue, check, confirmation,
cancel, undo, expiry) is the core's (vru.services.areas.crime_jobs); this module holds what
is particular to responses, and EvaluationConfig.ready registers it (vru.import_kinds).

- The check runs every row through the import's resource without saving (a dry run). Its
  preview: rows read, responses that would be added, rows skipped by reason (each bad cell
  is kept on the job with its row, column and reason) and the safeguarding concerns that
  would raise alerts. A file most of whose rows name places (local authorities or
  neighbourhoods) outside the partnership is refused whole; so is a file with a bad row,
  unless the person chose to import the valid rows only.
- The import saves the rows the person saw (or nothing, if the file would now do something
  else), raises the alerts of the concerns it holds, and keeps the ids of what it added.
- The undo removes exactly those responses. It is refused once a response has a
  safeguarding alert (alerts are never deleted) or anything else points at one. The words
  are not kept anywhere (they are held encrypted): only the ids of what was removed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from evaluation import permissions
from evaluation.models import FeedbackResponse, ListeningExercise, SafeguardingAlert
from evaluation.resources import FeedbackResponseResource
from evaluation.services.listening import raise_safeguarding_alert
from vru.import_kinds import Checked, ImportKind
from vru.models import LSOA, ImportJob, ImportSnapshot, LocalAuthority, User
from vru.resources import YesNoWidget
from vru.services import imports as core_imports
from vru.services import outbox, workbooks


@transaction.atomic
def responses_import_job_create(
    *,
    actor: User | None,
    exercise: ListeningExercise,
    file_name: str,
    content: bytes,
    skip_invalid_rows: bool = False,
) -> ImportJob:
    """Queue a spreadsheet of responses to be checked (a Celery task, once this commits);
    nothing is imported until someone confirms the check (vru.services.import_job_confirm)."""
    if actor is not None and not (
        permissions.can_record_feedback(actor) and actor.partnership_id == exercise.partnership_id
    ):
        raise PermissionDenied("You cannot import feedback for this exercise.")
    workbooks.check_upload(file_name=file_name, content=content)
    job = ImportJob(
        partnership=exercise.partnership,
        created_by=actor,
        kind=ImportJob.Kind.LISTENING_RESPONSES,
        target_id=exercise.pk,
        file_name=file_name[:255],
        content=content,
        skip_invalid_rows=skip_invalid_rows,
    )
    job.full_clean(exclude=["content"])
    job.save()
    # Through the outbox: a file queued while the broker is down is checked when it returns.
    outbox.enqueue(
        kind=core_imports.IMPORT_JOB_RUN, target_id=job.pk, partnership=exercise.partnership
    )
    return job


def may_review(user: User, job: ImportJob) -> bool:
    """Whoever may record feedback in the partnership (evaluation.permissions)."""
    return permissions.can_record_feedback(user)


def _exercise(job: ImportJob) -> ListeningExercise:
    exercise = (
        ListeningExercise.objects.filter(pk=job.target_id, partnership_id=job.partnership_id)
        .select_related("partnership")
        .first()
    )
    if exercise is None:
        raise ValidationError("The listening exercise no longer exists.", code="no_exercise")
    return exercise


def _rows_outside(exercise: ListeningExercise, dataset) -> int:
    """Rows naming a local authority or a neighbourhood that is not the partnership's."""
    headers = dataset.headers or []
    columns = [
        (
            headers.index(name),
            set(
                model.objects.filter(partnership_id=exercise.partnership_id).values_list(
                    "code", flat=True
                )
            ),
        )
        for name, model in (("local_authority_code", LocalAuthority), ("lsoa_code", LSOA))
        if name in headers
    ]
    outside = 0
    for row in dataset:
        for index, ours in columns:
            code = str(row[index] or "").strip()
            if code and code not in ours:
                outside += 1
                break
    return outside


def _concerns(dataset, good_rows: set[int]) -> int:
    """Rows to be added that flag a safeguarding concern (each raises an alert)."""
    headers = dataset.headers or []
    if "safeguarding_concern" not in headers:
        return 0
    index = headers.index("safeguarding_concern")
    flagged = 0
    for number, row in enumerate(dataset, start=2):
        if number in good_rows:
            try:
                flagged += YesNoWidget().clean(row[index])
            except ValueError:
                continue
    return flagged


def _good_rows(total: int, errors) -> set[int]:
    bad = {error.row for error in errors}
    return {number for number in range(2, total + 2) if number not in bad}


def _digest(good_rows: set[int]) -> str:
    return core_imports.digest(str(number) for number in good_rows)


def responses_import_check(job: ImportJob) -> Checked:
    """What the job's file would add. Writes nothing."""
    exercise = _exercise(job)
    dataset = core_imports.read_table(file_name=job.file_name, content=bytes(job.content))
    checked = core_imports.check_with_resource(
        make_resource=lambda: FeedbackResponseResource(exercise=exercise), dataset=dataset
    )
    errors = checked.errors
    whole_file = any(error.row == 1 for error in errors)  # no header, missing columns
    good = set() if whole_file else _good_rows(len(dataset), errors)
    refusal = core_imports.another_area_refusal(
        rows_outside=_rows_outside(exercise, dataset),
        rows_read=len(dataset),
        partnership=exercise.partnership,
        places="places (local authorities or neighbourhoods)",
    )
    preview = {
        "exercise": exercise.name,
        "rows_read": len(dataset),
        "rows_to_add": len(good),
        "rows_skipped": len({e.row for e in errors if e.row > 1}),
        "skipped": core_imports.skipped_by_reason(e for e in errors if e.row > 1),
        "safeguarding_concerns": _concerns(dataset, good),
        "replaced": 0,  # an import adds responses; it never replaces any
        "refusal": refusal,
        "digest": _digest(good),
    }
    if refusal:
        return Checked(preview, [{"row": 1, "column": "", "message": refusal}])
    if not len(dataset) and not errors:
        return Checked(preview, [{"row": 1, "column": "", "message": "The file has no rows."}])
    as_dicts = [e.as_dict() for e in errors]
    if errors and (not job.skip_invalid_rows or not good):
        return Checked(preview, as_dicts)  # nothing would be imported: refused
    return Checked(preview, row_errors=as_dicts)


STALE = (
    "The exercise (its themes, dates or places) changed after the file was checked: nothing "
    "was imported. Upload the file again to see what it would add now."
)


def responses_import_apply(job: ImportJob, actor: User | None, prepared: None) -> int:
    """Add the rows the person saw, raise their alerts, keep their ids. Inside the
    machinery's transaction: a file that would now do something else rolls back."""
    exercise = ListeningExercise.objects.select_for_update().get(pk=_exercise(job).pk)
    dataset = core_imports.read_table(file_name=job.file_name, content=bytes(job.content))
    outcome = core_imports.import_with_resource(
        actor=actor,
        partnership=exercise.partnership,
        make_resource=lambda: FeedbackResponseResource(exercise=exercise),
        dataset=dataset,
        verb="import.feedback_responses",
        target=exercise,
        skip_invalid_rows=job.skip_invalid_rows,
    )
    good = _good_rows(len(dataset), outcome.errors)
    if not outcome.new_ids or _digest(good) != job.preview.get("digest"):
        raise ValidationError(STALE, code="stale_check")
    for response in FeedbackResponse.objects.filter(
        pk__in=outcome.new_ids, safeguarding_concern=True
    ).select_related("exercise"):
        raise_safeguarding_alert(response)
    ImportSnapshot.objects.create(
        job=job,
        scope={"exercise": exercise.pk, "exercise_name": exercise.name, "added": len(good)},
        rows=[[pk] for pk in sorted(outcome.new_ids)],
    )
    return len(outcome.new_ids)


def _added(snapshot: ImportSnapshot) -> list[int]:
    return [row[0] for row in snapshot.rows]


def responses_import_restore_problem(snapshot: ImportSnapshot) -> str:
    """Why undoing would lose something ("" when it would not). Reads only."""
    ids = _added(snapshot)
    still = alerts = 0
    for chunk in core_imports.in_chunks(ids):
        still += FeedbackResponse.objects.filter(pk__in=chunk).count()
        alerts += SafeguardingAlert.objects.filter(response_id__in=chunk).count()
    if still != len(ids):
        gone = len(ids) - still
        return (
            f"{gone:,} of the {len(ids):,} responses this import added "
            f"{'is' if gone == 1 else 'are'} no longer on record, so it cannot be undone exactly."
        )
    if alerts:
        return (
            f"{alerts:,} of the responses this import added raised "
            f"{'a safeguarding alert' if alerts == 1 else 'safeguarding alerts'}, which are "
            "never deleted, so the import cannot be undone."
        )
    found = core_imports.records_pointing_at(
        FeedbackResponse, ids, written_with_them=["safeguarding_alert"]
    )
    if not found:
        return ""
    what = "; ".join(f"{name}: {n:,}" for name, n in sorted(found.items()))
    return (
        f"Records have been made about the responses this import added since ({what}). "
        "Undoing the import would delete them, so it cannot be undone."
    )


def responses_import_restore(snapshot: ImportSnapshot) -> dict:
    """Remove exactly the responses the import added (with their themes). Inside the
    machinery's transaction, after responses_import_restore_problem found nothing to lose."""
    exercise_id = snapshot.scope["exercise"]
    ids = _added(snapshot)
    before = FeedbackResponse.objects.filter(exercise_id=exercise_id).count()
    snapshot.rows_removed_on_restore = ids
    snapshot.save(update_fields=["rows_removed_on_restore"])
    for chunk in core_imports.in_chunks(ids):
        FeedbackResponse.objects.filter(pk__in=chunk).delete()  # and their themes
    return {
        "exercise": snapshot.scope.get("exercise_name", ""),
        "responses_removed": len(ids),
        "responses_before_undo": before,
        "responses_after_undo": FeedbackResponse.objects.filter(exercise_id=exercise_id).count(),
    }


LISTENING_IMPORTS = ImportKind(
    verb="feedback_import",
    check=responses_import_check,
    apply=responses_import_apply,
    restore=responses_import_restore,
    restore_problem=responses_import_restore_problem,
    may_review=may_review,
)
