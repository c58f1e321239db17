"""The youth panel, for grants staff: members, training and consent."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from grants import permissions, selectors, services
from grants.forms import PanelMemberForm, PanelMemberUpdateForm
from vru import doors
from vru.models import Role, User


def _candidates(viewer):
    """Youth reviewers of the partnership not yet on the panel."""
    return User.objects.filter(
        partnership_id=viewer.partnership_id,
        role_assignments__role=Role.YOUTH_REVIEWER,
        panel_member__isnull=True,
    ).order_by("username")


@require_http_methods(["GET", "POST"])
def panel(request):
    doors.require(permissions.is_grants_staff(request.user))
    form = PanelMemberForm(doors.posted(request), users=_candidates(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_member_create(
                actor=request.user, partnership=request.user.partnership, **form.cleaned_data
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "Reviewer added to the panel.")
            return redirect("grants:panel")
    return render(
        request,
        "grants/panel.html",
        {
            "members": selectors.panel_member_list(viewer=request.user),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def panel_member(request, pk: int):
    doors.require(permissions.is_grants_staff(request.user))
    member = get_object_or_404(selectors.panel_member_list(viewer=request.user), pk=pk)
    form = PanelMemberUpdateForm(
        doors.posted(request),
        initial={
            "training_completed_on": member.training_completed_on,
            "guardian_consent_recorded_on": member.guardian_consent_recorded_on,
            "active": member.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "Saved.")
            return redirect("grants:panel")
    return render(request, "grants/panel_member.html", {"member": member, "form": form})
