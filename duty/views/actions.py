"""The action plan's pages: thin doors over duty.selectors and duty.services."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from duty import forms, permissions, selectors, services
from duty.models import Rag
from vru import doors


@require_GET
def action_plan(request):
    doors.require(permissions.can_view_action_plan(request.user))
    holders = selectors.duty_holder_list(viewer=request.user)
    owner = request.GET.get("owner", "")
    rag = request.GET.get("rag", "")
    owner_id = int(owner) if owner.isdigit() and holders.filter(pk=owner).exists() else None
    rag = rag if rag in Rag.values else None
    return render(
        request,
        "duty/action_plan.html",
        {
            "rows": selectors.action_plan(viewer=request.user, owner=owner_id, rag=rag),
            "by_holder": selectors.rag_by_holder(viewer=request.user),
            "holders": holders,
            "chosen_owner": owner_id,
            "chosen_rag": rag,
            "rags": Rag.choices,
            "today": timezone.localdate(),
            "can_edit": permissions.can_edit_duty(request.user),
            "can_view_duty": permissions.can_view_duty(request.user),
            "carry_forward": selectors.carry_forward_choices(viewer=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def action_create(request):
    doors.require(permissions.can_edit_duty(request.user))
    recommendations = selectors.recommendation_choices(viewer=request.user)
    initial = {}
    if request.GET.get("recommendation", "").isdigit():
        initial["recommendation"] = int(request.GET["recommendation"])
    form = forms.ActionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        recommendations=recommendations,
        holders=selectors.duty_holder_list(viewer=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "Action added to the plan.")
            return redirect("duty:action_detail", action.pk)
    return render(request, "duty/form.html", {"form": form, "title": "Add an action"})


@require_http_methods(["GET", "POST"])
def action_detail(request, pk: int):
    action = doors.found(selectors.action_get(viewer=request.user, pk=pk))
    form = None
    if permissions.can_update_action(request.user, action):
        form = forms.ActionUpdateForm(
            request.POST if request.method == "POST" else None,
            initial={"status": action.status, "rag": action.rag},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.action_update_record(
                    actor=request.user, action=action, **form.cleaned_data
                )
            except ValidationError as error:
                doors.add_errors(form, error)
            else:
                doors.flash(request, "Progress recorded.")
                return redirect("duty:action_detail", action.pk)
    elif request.method == "POST":
        doors.require(False)
    return render(
        request,
        "duty/action_detail.html",
        {
            "action": action,
            "form": form,
            "today": timezone.localdate(),
            "can_view_duty": permissions.can_view_duty(request.user),
        },
    )


@require_GET
def recommendation_delivery(request, pk: int):
    picture = doors.found(selectors.delivery_picture(viewer=request.user, pk=pk))
    return render(
        request,
        "duty/recommendation.html",
        {
            "picture": picture,
            "today": timezone.localdate(),
            "can_edit": permissions.can_edit_duty(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def carry_forward(request, pk: int):
    """Carry the previous needs assessment's recommendations forward to this refreshed one."""
    doors.require(permissions.can_edit_duty(request.user))
    refreshed = doors.found(selectors.needs_assessment_get(viewer=request.user, pk=pk))
    previous = doors.found(selectors.previous_needs_assessment(refreshed=refreshed))
    form = forms.CarryForwardForm(
        request.POST if request.method == "POST" else None, previous=previous, refreshed=refreshed
    )
    if request.method == "POST" and form.is_valid():
        successors, reasons = form.mapping()
        try:
            moved = services.recommendations_carry_forward(
                actor=request.user,
                previous=previous,
                refreshed=refreshed,
                successors=successors,
                retired_because=reasons,
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(
                request,
                f"Carried forward: {moved['actions']} open actions, {moved['programmes']} "
                f"programme links and {moved['grant_rounds']} grant-round links; "
                f"{moved['retired']} recommendations retired.",
            )
            return redirect("duty:action_plan")
    return render(
        request,
        "duty/form.html",
        {
            "form": form,
            "title": f"Carry {previous} forward",
            "caption": f"To {refreshed}",
        },
    )
