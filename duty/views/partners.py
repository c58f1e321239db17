"""A partner's pages: their organisation's areas' figures. Thin doors over duty.selectors."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from duty import permissions, selectors
from vru import doors


@require_GET
def area(request):
    doors.require(permissions.can_view_area_figures(request.user))
    return render(
        request,
        "duty/area.html",
        {
            "holder": selectors.partner_holder(viewer=request.user),
            "areas": selectors.partner_area_figures(viewer=request.user),
        },
    )
