"""Listening-project pages. Thin: read through selectors, write through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation import permissions, selectors, services
from evaluation.filters import ResponseFilter
from evaluation.forms import ActionForm, CodingForm, ExerciseForm, ResponseForm
from evaluation.models import ListeningAction
from evaluation.resources import FeedbackResponseResource
from sharing import doors as sharing_doors
from sharing.rules import Record
from vru import doors
from vru.age_bands import ListeningAgeBand
from vru.data_kinds import DataKind

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _exercise(request, pk: int):
    return get_object_or_404(selectors.exercise_list(viewer=request.user), pk=pk)


@require_GET
def exercise_list(request):
    _require(permissions.can_view_listening_summary(request.user))
    return render(
        request,
        "evaluation/exercise_list.html",
        {
            "exercises": selectors.exercise_list(viewer=request.user),
            "can_manage": permissions.can_manage_listening(request.user),
            "suppress": permissions.sees_suppressed_counts(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def exercise_create(request):
    _require(permissions.can_manage_listening(request.user))
    form = ExerciseForm(doors.posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            exercise = services.exercise_create(
                actor=request.user, partnership=request.user.partnership, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Created “{exercise}” with the default themes.")
            return redirect(exercise)
    return render(
        request, "evaluation/form.html", {"form": form, "title": "New listening exercise"}
    )


@require_GET
def exercise_detail(request, pk: int):
    exercise = _exercise(request, pk)
    suppress = permissions.sees_suppressed_counts(request.user)
    return render(
        request,
        "evaluation/exercise_detail.html",
        {
            "exercise": exercise,
            "summary": selectors.exercise_summary(exercise=exercise, suppress=suppress),
            "can_read": permissions.can_read_feedback(request.user),
            "can_manage": permissions.can_manage_listening(request.user),
        },
    )


@require_POST
def exercise_publish(request, pk: int):
    exercise = _exercise(request, pk)
    _require(permissions.can_manage_listening(request.user))
    make_public = request.POST.get("public") == "yes"
    services.exercise_set_public(actor=request.user, exercise=exercise, is_public=make_public)
    messages.success(
        request,
        "The “you said, we did” page is now public." if make_public else "The page is hidden.",
    )
    return redirect(exercise)


@require_GET
def response_list(request, pk: int):
    exercise = _exercise(request, pk)
    _require(permissions.can_read_feedback(request.user))
    filters = doors.checked_filters(request, ResponseFilter)
    responses = selectors.response_list(
        viewer=request.user, exercise=exercise, filters=request.GET.dict()
    )
    if request.GET.get("format") == "csv" and filters.is_valid():
        return _export(request, exercise, responses)
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/response_list.html",
        {
            "filter_form": filters,
            "exercise": exercise,
            "page_obj": page,
            "themes": exercise.themes.all(),
            "age_bands": ListeningAgeBand.choices,
            "local_authorities": exercise.partnership.local_authorities.all(),
            "current_sort": request.GET.get("sort", ""),
            "can_manage": permissions.can_manage_listening(request.user),
            **sharing_doors.page_choice(request, kind=DataKind.LISTENING),
        },
    )


def _export(request, exercise, responses) -> HttpResponse:
    # The import format, so an export can be corrected and imported again. To a partner
    # organisation only under an agreement the rule offers (sharing.doors).
    return sharing_doors.guarded_download(
        request,
        kind=DataKind.LISTENING,
        build=lambda: FeedbackResponseResource(exercise=exercise).export(queryset=responses),
        records=lambda: [
            Record("evaluation.feedbackresponse", pk)
            for pk in responses.order_by().values_list("pk", flat=True)
        ],
        door="Listening responses export",
        file_stem=f"responses-{exercise.pk}",
        file_format="csv",
        verb="feedback_responses.exported",
        target=exercise,
        partnership=exercise.partnership,
    )


@require_http_methods(["GET", "POST"])
def response_create(request, pk: int):
    exercise = _exercise(request, pk)
    _require(permissions.can_record_feedback(request.user))
    form = ResponseForm(doors.posted(request), exercise=exercise, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_record(
                actor=request.user, exercise=exercise, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            note = (
                " The safeguarding lead has been alerted." if response.safeguarding_concern else ""
            )
            messages.success(request, "Response recorded." + note)
            return redirect("evaluation:response_list", pk=exercise.pk)
    return render(
        request,
        "evaluation/form.html",
        {"form": form, "title": "Record a response", "exercise": exercise},
    )


@require_http_methods(["GET", "POST"])
def response_code(request, pk: int, response_pk: int):
    exercise = _exercise(request, pk)
    _require(permissions.can_manage_listening(request.user))
    response = get_object_or_404(
        selectors.response_list(viewer=request.user, exercise=exercise), pk=response_pk
    )
    form = CodingForm(
        doors.posted(request), exercise=exercise, initial={"themes": list(response.themes.all())}
    )
    if request.method == "POST" and form.is_valid():
        services.response_code(
            actor=request.user, response=response, themes=form.cleaned_data["themes"]
        )
        messages.success(request, "Themes saved.")
        return redirect("evaluation:response_list", pk=exercise.pk)
    return render(
        request,
        "evaluation/code_response.html",
        {"form": form, "exercise": exercise, "response": response},
    )


@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int, action_pk: int | None = None):
    exercise = _exercise(request, pk)
    _require(permissions.can_manage_listening(request.user))
    action = None
    if action_pk is not None:
        action = get_object_or_404(ListeningAction, pk=action_pk, theme__exercise=exercise)
    initial = {}
    if action is not None:
        initial = {
            f: getattr(action, f)
            for f in [
                "what",
                "who",
                "status",
                "due_on",
                "delivered_on",
                "spend",
                "delivered_through",
            ]
        } | {"theme": action.theme}
    form = ActionForm(doors.posted(request), exercise=exercise, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_save(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Action saved.")
            return redirect(exercise)
    title = "Change action" if action else "Add a “we did” action"
    return render(
        request, "evaluation/form.html", {"form": form, "title": title, "exercise": exercise}
    )


@login_not_required
@require_GET
def you_said_we_did(request, slug: str):
    """The public page young people read: themes and actions, no personal data, and
    counts of fewer than 5 young people shown as "<5"."""
    exercise = selectors.public_exercise(slug=slug)
    if exercise is None:
        raise Http404
    return render(
        request,
        "evaluation/you_said_we_did.html",
        {
            "exercise": exercise,
            "summary": selectors.exercise_summary(exercise=exercise, suppress=True),
        },
    )


@require_GET
def safeguarding_alerts(request):
    _require(permissions.can_handle_safeguarding_alerts(request.user))
    alerts = selectors.safeguarding_alert_list(viewer=request.user)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluation/safeguarding_alerts.html", {"page_obj": page})


@require_POST
def safeguarding_alert_acknowledge(request, alert_pk: int):
    alert = get_object_or_404(selectors.safeguarding_alert_list(viewer=request.user), pk=alert_pk)
    services.safeguarding_alert_acknowledge(actor=request.user, alert=alert)
    messages.success(request, "Alert marked as handled.")
    return redirect("evaluation:safeguarding_alerts")
