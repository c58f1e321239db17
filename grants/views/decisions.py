"""Grants staff: recording a decision (it waits for the youth panel unless overridden with a
reason), the decision letter, and releasing a reviewer so the decision stops waiting."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import permissions, selectors, services
from grants.forms import AssignmentReleaseForm, DecisionForm
from grants.models import Assignment
from grants.views.staff import decision_context, staff_application
from vru import doors, uploads


@require_POST
def application_decide(request, pk: int):
    application = staff_application(request, pk)
    form = DecisionForm(
        request.POST,
        comments=selectors.panel_view(application=application).comments,
        waits=selectors.decision_waits(application=application),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.application_decide(
                actor=request.user,
                application=application,
                outcome=data["outcome"],
                amount=data["amount"],
                conditions=data["conditions"],
                reasons=data["reasons"],
                quoted_comment_ids=data.get("quoted_comments") or (),
                override_reason=data.get("override_reason") or "",
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                tranche_count=data["tranche_count"],
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "Decision recorded. The letter is being sent.")
            return redirect(application)
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "round": application.grant_round,
            "is_staff": True,
            **decision_context(request, application, form),
        },
    )


@require_GET
def decision_letter(request, pk: int):
    application = selectors.application_get(viewer=request.user, pk=pk)
    decision = getattr(application, "decision", None) if application else None
    if decision is None or not decision.letter:
        raise Http404
    return uploads.download(decision.letter, name=f"decision-{application.pk}")


@require_http_methods(["GET", "POST"])
def assignment_release(request, pk: int):
    """Let a reviewer off an application they have not scored, with a reason (asked on a
    confirmation page): the decision stops waiting for them."""
    doors.require(permissions.is_grants_staff(request.user))
    assignment = get_object_or_404(
        Assignment.objects.select_related("application__grant_round", "reviewer__user").filter(
            application__grant_round__partnership_id=request.user.partnership_id
        ),
        pk=pk,
    )
    form = AssignmentReleaseForm(doors.posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_release(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, f"{assignment.reviewer.user} is released from this application.")
            return redirect(assignment.application)
    return render(
        request,
        "grants/assignment_release.html",
        {
            "assignment": assignment,
            "form": form,
            "may_release": assignment.still_to_score
            and permissions.can_decide(request.user, assignment.application),
        },
    )
