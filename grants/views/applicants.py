"""The applicant portal: start a draft, save as you go, attach files, submit by the deadline."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from grants import permissions, selectors, services
from grants.forms import ApplicationForm, AttachmentForm, BudgetLineFormSet
from grants.services.applications import DRAFT_FIELDS, submission_problems
from vru import doors


@require_POST
def application_start(request, pk: int):
    doors.require(permissions.is_applicant(request.user))
    grant_round = get_object_or_404(selectors.open_round_list(viewer=request.user), pk=pk)
    try:
        application, created = services.application_start(
            actor=request.user, grant_round=grant_round
        )
    except (ValidationError, PermissionDenied):
        raise Http404 from None
    if not created:
        messages.info(
            request, "Your organisation already has a draft for this round: carry on with it."
        )
    return redirect("grants:application_edit", pk=application.pk)


def _initial(application) -> dict:
    initial = {
        name: getattr(application, name)
        for name in (
            "title",
            "summary",
            "amount_requested",
            "young_people_expected",
            "contact_name",
            "contact_email",
            "contact_phone",
        )
    }
    initial["lsoa_codes"] = ", ".join(lsoa.code for lsoa in application.lsoas.all())
    initial["recommendations"] = [str(r.pk) for r in application.recommendations.all()]
    initial["themes"] = application.themes
    for answer in application.eligibility_answers.all():
        initial[f"question_{answer.question_id}"] = "yes" if answer.answer else "no"
    return initial


@require_http_methods(["GET", "POST"])
def application_edit(request, pk: int):
    application = selectors.application_get(viewer=request.user, pk=pk)
    if application is None or not permissions.can_edit_application(request.user, application):
        raise Http404
    grant_round = application.grant_round
    now = timezone.now()
    problems = {}
    if request.method == "POST":
        form = ApplicationForm(request.POST, grant_round=grant_round, viewer=request.user)
        budget = BudgetLineFormSet(request.POST, prefix="budget")
        if form.is_valid() and budget.is_valid():
            data = form.cleaned_data
            try:
                services.application_update(
                    actor=request.user,
                    application=application,
                    data={name: data.get(name) for name in DRAFT_FIELDS}
                    | {"themes": data.get("themes", [])},
                    lsoa_codes=data["lsoa_codes"],
                    recommendation_ids=data.get("recommendations", []),
                    budget_lines=[
                        (f.cleaned_data["description"], f.cleaned_data["amount"])
                        for f in budget.forms
                        if f.cleaned_data.get("description")
                    ],
                    answers=form.answers(),
                )
                if "submit" in request.POST:
                    services.application_submit(actor=request.user, application=application)
                    doors.flash(
                        request, "Application submitted. We will tell you what happens next."
                    )
                    return redirect(application)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    problems = {k: v[0] for k, v in error.message_dict.items()}
                doors.add_errors(form, error)
            else:
                doors.flash(request, "Your draft is saved.")
                return redirect("grants:application_edit", pk=application.pk)
    else:
        form = ApplicationForm(
            initial=_initial(application), grant_round=grant_round, viewer=request.user
        )
        budget = BudgetLineFormSet(
            prefix="budget",
            initial=[
                {"description": b.description, "amount": b.amount}
                for b in application.budget_lines.all()
            ],
        )
        problems = submission_problems(application)
    # 422 when the POST did not save, so the autosave script (and tests) can tell.
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "grants/application_edit.html",
        {
            "application": application,
            "round": grant_round,
            "form": form,
            "budget": budget,
            "problems": problems,
            "is_open": grant_round.is_open(now),
            "attachment_form": AttachmentForm(),
            "target_lsoas": grant_round.target_lsoas.all(),
        },
        status=status,
    )


@require_POST
def attachment_upload(request, pk: int):
    application = selectors.application_get(viewer=request.user, pk=pk)
    if application is None or not permissions.can_edit_application(request.user, application):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                application=application,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "File added.")
            return redirect("grants:application_edit", pk=application.pk)
    messages.error(
        request,
        "The file was not added: " + " ".join(e for errors in form.errors.values() for e in errors),
    )
    return redirect("grants:application_edit", pk=application.pk)
