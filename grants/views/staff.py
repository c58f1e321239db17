"""Grants staff: rounds, applications, eligibility, assignments, moderation, decisions."""

import tablib
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants import permissions, selectors, services
from grants.filters import ApplicationFilter, GrantRoundFilter
from grants.forms import (
    AssignmentAddForm,
    CriterionFormSet,
    DecisionForm,
    EligibilityForm,
    GrantRoundForm,
    QuestionFormSet,
)
from grants.models import Application, Assignment
from grants.resources import ApplicationResource, GrantRoundResource, ScoreResource
from sharing import doors as sharing_doors
from sharing.rules import Record
from vru import doors, uploads
from vru import selectors as core_selectors
from vru.data_kinds import DataKind
from vru.exports import audited_download


@require_GET
def round_list(request):
    doors.require(
        permissions.can_manage_rounds(request.user) or permissions.is_applicant(request.user)
    )
    filters = doors.checked_filters(request, GrantRoundFilter)
    rounds = selectors.grant_round_list(viewer=request.user, filters=request.GET)
    export_format = request.GET.get("format")
    if export_format in {"csv", "xlsx"} and filters.is_valid():
        doors.require(permissions.can_manage_rounds(request.user))
        return doors.download(
            request,
            resource=GrantRoundResource(),
            queryset=rounds,
            name="grant-rounds",
            export_format=export_format,
            verb="grant-rounds.exported",
        )
    return render(
        request,
        "grants/round_list.html",
        {
            "filter_form": filters,
            "page_obj": Paginator(rounds, doors.PAGE_SIZE).get_page(request.GET.get("page")),
            "current_sort": request.GET.get("sort", ""),
            "is_staff": permissions.can_manage_rounds(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def round_create(request):
    """A new round with its rubric and eligibility questions."""
    doors.require(permissions.can_manage_rounds(request.user))
    recommendations = core_selectors.recommendation_list(viewer=request.user)
    form = GrantRoundForm(
        doors.posted(request), recommendations=recommendations, viewer=request.user
    )
    criteria = CriterionFormSet(doors.posted(request), prefix="criteria")
    questions = QuestionFormSet(doors.posted(request), prefix="questions")
    if (
        request.method == "POST"
        and form.is_valid()
        and criteria.is_valid()
        and questions.is_valid()
    ):
        data = form.cleaned_data
        codes = data.pop("target_lsoa_codes")
        lsoas = list(core_selectors.lsoa_list(viewer=request.user).filter(code__in=codes))
        missing = sorted(set(codes) - {lsoa.code for lsoa in lsoas})
        chosen = list(recommendations.filter(pk__in=data.pop("recommendations")))
        if missing:
            form.add_error(None, f"Not in this area: {', '.join(missing)}")
        else:
            try:
                grant_round = services.grant_round_create(
                    actor=request.user,
                    partnership=request.user.partnership,
                    criteria=[
                        c.cleaned_data for c in criteria.forms if c.cleaned_data.get("title")
                    ],
                    eligibility_questions=[
                        {
                            "text": q.cleaned_data["text"],
                            "pass_answer": q.cleaned_data.get("pass_answer") != "no",
                        }
                        for q in questions.forms
                        if q.cleaned_data.get("text")
                    ],
                    target_lsoas=lsoas,
                    recommendations=chosen,
                    **data,
                )
            except ValidationError as error:
                doors.add_errors(form, error)
            else:
                doors.flash(request, "Round created.")
                return redirect(grant_round)
    return render(
        request,
        "grants/round_create.html",
        {
            "form": form,
            "criteria": criteria,
            "questions": questions,
        },
    )


def _staff_round(request, pk):
    doors.require(permissions.can_manage_rounds(request.user))
    return get_object_or_404(selectors.grant_round_list(viewer=request.user), pk=pk)


@require_GET
def round_detail(request, pk: int):
    grant_round = _staff_round(request, pk)
    applications = (
        selectors.application_list(viewer=request.user, filters={"grant_round": grant_round.pk})
        .exclude(status=Application.Status.DRAFT)
        .prefetch_related("assignments")
    )
    return render(
        request,
        "grants/round_detail.html",
        {
            "round": grant_round,
            "criteria": grant_round.criteria.all(),
            "questions": grant_round.eligibility_questions.all(),
            "target_lsoas": grant_round.target_lsoas.all(),
            "applications": applications,
            "panel": selectors.panel_member_list(viewer=request.user),
        },
    )


@require_POST
def round_assign(request, pk: int):
    grant_round = _staff_round(request, pk)
    result = services.assignments_generate(actor=request.user, grant_round=grant_round)
    doors.flash(
        request,
        f"{result['added']} assignments made, {result['removed']} moved to balance the panel.",
    )
    return redirect(grant_round)


@require_GET
def round_moderation(request, pk: int):
    grant_round = _staff_round(request, pk)
    if request.GET.get("format") in {"scores-csv", "scores-xlsx"}:
        scores = selectors.score_list(viewer=request.user).filter(
            assignment__application__grant_round=grant_round
        )
        # the youth panel's scores (reviewers' data): to a partner organisation only under an
        # agreement the rule offers (sharing.doors)
        return sharing_doors.guarded_download(
            request,
            kind=DataKind.REVIEWER,
            build=lambda: ScoreResource().export(queryset=scores),
            records=lambda: [
                Record("grants.score", pk) for pk in scores.order_by().values_list("pk", flat=True)
            ],
            door="Youth panel scores export",
            file_stem="scores",
            file_format=request.GET["format"].removeprefix("scores-"),
            verb="scores.exported",
        )
    normalised = request.GET.get("normalised") == "1"
    result = selectors.moderation_for(
        viewer=request.user, grant_round=grant_round, normalised=normalised
    )
    if request.GET.get("format") == "csv":
        return audited_download(
            request,
            _moderation_dataset(result),
            file_stem="moderation",
            file_format="csv",
            verb="round.moderation_exported",
            target=grant_round,
            partnership=grant_round.partnership,
        )
    return render(
        request,
        "grants/moderation.html",
        {
            "m": result,
            "round": grant_round,
            **sharing_doors.page_choice(
                request,
                kind=DataKind.REVIEWER,
                formats=[("scores-csv", "CSV"), ("scores-xlsx", "XLSX")],
            ),
        },
    )


def _moderation_dataset(result) -> tablib.Dataset:
    dataset = tablib.Dataset(
        headers=[
            "rank",
            "application",
            "organisation",
            "amount",
            "weighted score",
            "normalised score",
            "spread",
            "disagree",
            "running total",
            "within budget",
            "decision",
            "decided before the panel finished: reason",
            "waiting for",
        ]
    )
    for row in result.rows:
        dataset.append(
            [
                row.rank,
                row.application.title,
                row.application.organisation,
                row.application.amount_requested,
                f"{row.mean:.2f}" if row.mean is not None else "",
                f"{row.normalised:.2f}" if row.normalised is not None else "",
                f"{row.spread:.2f}",
                "yes" if row.disagree else "no",
                row.running_total,
                "yes" if row.within_budget else "no",
                row.decision,
                row.override_reason,
                " ".join(row.waits_for),
            ]
        )
    return dataset


@require_GET
def application_list(request):
    doors.require(
        permissions.can_manage_rounds(request.user) or permissions.is_applicant(request.user)
    )
    filters = doors.checked_filters(request, ApplicationFilter)
    applications = selectors.application_list(viewer=request.user, filters=request.GET)
    export_format = request.GET.get("format")
    if export_format in {"csv", "xlsx"} and filters.is_valid():
        return doors.download(
            request,
            resource=ApplicationResource(),
            queryset=applications,
            name="applications",
            export_format=export_format,
            verb="applications.exported",
        )
    return render(
        request,
        "grants/application_list.html",
        {
            "filter_form": filters,
            "page_obj": Paginator(applications, doors.PAGE_SIZE).get_page(request.GET.get("page")),
            "current_sort": request.GET.get("sort", ""),
            "statuses": Application.Status.choices,
            "is_staff": permissions.can_manage_rounds(request.user),
            "open_rounds": selectors.open_round_list(viewer=request.user),
        },
    )


@require_GET
def application_detail(request, pk: int):
    application = selectors.application_get(viewer=request.user, pk=pk)
    if application is None:
        raise Http404
    user = request.user
    context = {
        "application": application,
        "round": application.grant_round,
        "is_staff": permissions.is_grants_staff(user),
        "can_edit": permissions.can_edit_application(user, application),
        "decision": getattr(application, "decision", None)
        if application.status == "decided"
        else None,
    }
    if permissions.can_check_eligibility(user, application):
        context["eligibility_form"] = EligibilityForm()
    if permissions.can_decide(user, application):
        context.update(decision_context(request, application))
    return render(request, "grants/application_detail.html", context)


def decision_context(request, application, form=None) -> dict:
    """The decision form with what the decision still waits for (then the override
    reason is asked for) and the reviewers' comments to choose from."""
    waits = selectors.decision_waits(application=application)
    view = selectors.panel_view(application=application)
    if form is None:
        form = DecisionForm(
            initial={"amount": application.amount_requested, "tranche_count": 2},
            comments=view.comments,
            waits=waits,
        )
    return {
        "decision_form": form,
        "round_closed": timezone.now() >= application.grant_round.closes_at,
        "waits_for": waits,
        "panel_view": view,
        "assignment_form": AssignmentAddForm(
            reviewers=selectors.panel_member_list(viewer=request.user)
        ),
    }


def staff_application(request, pk):
    doors.require(permissions.is_grants_staff(request.user))
    application = selectors.application_get(viewer=request.user, pk=pk)
    if application is None:
        raise Http404
    return application


@require_POST
def application_eligibility(request, pk: int):
    application = staff_application(request, pk)
    form = EligibilityForm(request.POST)
    if form.is_valid():
        try:
            services.application_check_eligibility(
                actor=request.user,
                application=application,
                eligible=form.cleaned_data["eligible"] == "yes",
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "Eligibility recorded.")
            return redirect(application)
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "round": application.grant_round,
            "is_staff": True,
            "eligibility_form": form,
        },
    )


@require_GET
def attachment_download(request, pk: int, file_pk: int):
    """An application's file, only to those who may see the application (never a public
    URL; youth reviewers never get them, as files may hold contact details)."""
    application = selectors.application_get(viewer=request.user, pk=pk)
    if application is None:
        raise Http404
    attachment = get_object_or_404(application.attachments.all(), pk=file_pk)
    return uploads.download(attachment.file, name=attachment.title)


@require_POST
def assignment_add(request, pk: int):
    application = staff_application(request, pk)
    form = AssignmentAddForm(
        request.POST, reviewers=selectors.panel_member_list(viewer=request.user)
    )
    if form.is_valid():
        try:
            services.assignment_add(
                actor=request.user, application=application, reviewer=form.cleaned_data["reviewer"]
            )
        except ValidationError as error:
            doors.flash_error(request, " ".join(error.messages))
        else:
            doors.flash(request, "Reviewer added.")
    else:
        doors.flash_error(
            request,
            "The reviewer was not added: "
            + " ".join(e for errors in form.errors.values() for e in errors),
        )
    return redirect(application)


@require_http_methods(["GET", "POST"])
def assignment_remove(request, pk: int):
    doors.require(permissions.is_grants_staff(request.user))
    assignment = get_object_or_404(
        Assignment.objects.select_related("application__grant_round", "reviewer__user").filter(
            application__grant_round__partnership_id=request.user.partnership_id
        ),
        pk=pk,
    )
    if request.method == "POST":
        try:
            services.assignment_remove(actor=request.user, assignment=assignment)
        except ValidationError as error:
            doors.flash_error(request, " ".join(error.messages))
        else:
            doors.flash(request, "Reviewer removed.")
        return redirect(assignment.application)
    return render(request, "grants/assignment_remove.html", {"assignment": assignment})
