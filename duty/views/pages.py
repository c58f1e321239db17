"""The Duty's pages: thin doors over duty.selectors and duty.services."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from duty import forms, permissions, selectors, services
from vru import doors


@require_GET
def overview(request):
    overview = doors.found(selectors.duty_overview(viewer=request.user))
    return render(
        request,
        "duty/overview.html",
        {
            "overview": overview,
            "can_edit": permissions.can_edit_duty(request.user),
            "today": timezone.localdate(),
        },
    )


@require_GET
def readiness(request):
    doors.require(permissions.can_view_duty(request.user))
    assessments = list(selectors.readiness_assessment_list(viewer=request.user))
    chosen = request.GET.get("assessment")
    assessment = None
    if chosen:
        assessment = doors.found(next((a for a in assessments if str(a.pk) == chosen), None))
    return render(
        request,
        "duty/readiness.html",
        {
            "comparison": selectors.readiness_comparison(
                viewer=request.user, assessment=assessment
            ),
            "assessments": assessments,
            "can_edit": permissions.can_edit_duty(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def holder_form(request, pk: int | None = None):
    doors.require(permissions.can_edit_duty(request.user))
    holder = doors.found(selectors.duty_holder_get(viewer=request.user, pk=pk)) if pk else None
    initial = (
        {name: getattr(holder, name) for name in services.duty.HOLDER_FIELDS} if holder else None
    )
    form = forms.DutyHolderForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.duty_holder_save(
                actor=request.user,
                partnership=request.user.partnership,
                holder=holder,
                **form.cleaned_data,
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, f"{saved.name} saved in the register.")
            return redirect("duty:overview")
    title = f"Change {holder.name}" if holder else "Add an organisation to the register"
    return render(request, "duty/form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
def strategy_review(request, pk: int):
    doors.require(permissions.can_edit_duty(request.user))
    strategy = doors.found(selectors.strategy_get(viewer=request.user, pk=pk))
    form = forms.StrategyReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_review_record(
                actor=request.user, strategy=strategy, **form.cleaned_data
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            strategy.refresh_from_db()
            doors.flash(
                request,
                f"Review recorded. The next review is due on {strategy.next_review_on:%-d %B %Y}.",
            )
            return redirect("duty:overview")
    return render(
        request,
        "duty/form.html",
        {"form": form, "title": "Record a review of the strategy", "caption": str(strategy)},
    )


@require_http_methods(["GET", "POST"])
def readiness_form(request):
    doors.require(permissions.can_edit_duty(request.user))
    form = forms.ReadinessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.readiness_assessment_record(
                actor=request.user,
                partnership=request.user.partnership,
                assessed_on=form.cleaned_data["assessed_on"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                scores=form.scores(),
                evidence=form.evidence(),
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "Readiness assessment recorded.")
            return redirect("duty:readiness")
    return render(
        request, "duty/form.html", {"form": form, "title": "Record a readiness assessment"}
    )
