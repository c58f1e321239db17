"""The youth reviewer's pages: their queue, the conflict question, then scoring."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from grants import permissions, selectors, services
from grants.forms import ConflictForm, ScoreForm
from grants.models import Assignment
from vru import doors


@require_GET
def review_list(request):
    doors.require(permissions.is_youth_reviewer(request.user))
    return render(
        request,
        "grants/review_list.html",
        {
            "assignments": selectors.assignments_for(viewer=request.user),
            "member": getattr(request.user, "panel_member", None),
        },
    )


def _assignment(request, pk):
    assignment = selectors.assignments_for(viewer=request.user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    assignment = _assignment(request, pk)
    application = assignment.application
    grant_round = application.grant_round
    may_review = permissions.can_review(request.user, assignment)
    if assignment.status == Assignment.Status.AWAITING_DECLARATION:
        return _conflict_question(request, assignment, may_review)
    criteria = list(grant_round.criteria.all())
    saved = {s.criterion_id: s for s in assignment.scores.all()}
    if request.method == "POST" and assignment.status == Assignment.Status.IN_PROGRESS:
        form = ScoreForm(request.POST, criteria=criteria)
        if form.is_valid():
            # "Send my scores" saves them (every part scored) and goes to check them first:
            # only the check page's confirmation sends them
            to_check = "submit" in request.POST
            try:
                services.scores_save(
                    actor=request.user,
                    assignment=assignment,
                    scores=form.scores(),
                    complete=to_check,
                )
            except ValidationError as error:
                doors.add_errors(form, error)
            else:
                if to_check:
                    return redirect("grants:review_check", pk=assignment.pk)
                doors.flash(request, "Your scores are saved.")
                return redirect(assignment)
    else:
        initial = {}
        for criterion_id, score in saved.items():
            initial[f"score_{criterion_id}"] = str(score.score) if score.score else None
            initial[f"comment_{criterion_id}"] = score.comment
        form = ScoreForm(initial=initial, criteria=criteria)
    return render(
        request,
        "grants/review.html",
        {
            "assignment": assignment,
            # the application as reviewers see it: no contact details, no personal data
            "application": selectors.application_for_reviewer(
                viewer=request.user, assignment=assignment
            ),
            "round": grant_round,
            "form": form,
            "submitted": assignment.status == Assignment.Status.SUBMITTED,
            "saved": saved,
            "may_review": may_review,
        },
    )


@require_http_methods(["GET", "POST"])
def review_check(request, pk: int):
    """Check your scores (the GOV.UK check-answers pattern): each score and comment with a
    link to change it; confirming sends them, after which they cannot change."""
    assignment = _assignment(request, pk)
    if assignment.status != Assignment.Status.IN_PROGRESS:
        return redirect(assignment)
    if request.method == "POST":
        try:
            services.scores_submit(actor=request.user, assignment=assignment)
        except ValidationError as error:
            doors.flash_error(request, " ".join(error.messages))
            return redirect(assignment)
        doors.flash(request, "Thank you: your scores are sent.")
        return redirect(assignment)
    criteria = list(assignment.application.grant_round.criteria.all())
    saved = {s.criterion_id: s for s in assignment.scores.all()}
    rows = []
    for number, criterion in enumerate(criteria, start=1):
        score = saved.get(criterion.pk)
        value = score.score if score else None
        rows.append(
            {
                "number": number,
                "criterion": criterion,
                "score": value,
                "descriptor": dict(criterion.descriptors).get(value, "") if value else "",
                "comment": score.comment if score else "",
            }
        )
    return render(
        request,
        "grants/review_check.html",
        {
            "assignment": assignment,
            "application": assignment.application,
            "round": assignment.application.grant_round,
            "rows": rows,
            "complete": all(row["score"] for row in rows),
        },
    )


def _conflict_question(request, assignment, may_review):
    form = ConflictForm(doors.posted(request))
    if request.method == "POST" and may_review and form.is_valid():
        try:
            if form.cleaned_data["knows_someone"] == "yes":
                services.conflict_declare(
                    actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
                )
                doors.flash(request, "Thank you for telling us. Someone else will review this one.")
                return redirect("grants:review_list")
            services.no_conflict_declare(actor=request.user, assignment=assignment)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            return redirect(assignment)
    return render(
        request,
        "grants/conflict.html",
        {
            "assignment": assignment,
            "application": assignment.application,
            "form": form,
            "may_review": may_review,
        },
    )
