"""The strategic needs assessments, their recommendations and the success measures."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from vru import doors, permissions, selectors, uploads
from vru.models import PreventionStage


@require_GET
def sna_list(request):
    doors.require(permissions.can_view_strategy(request.user))
    return render(
        request,
        "vru/sna_list.html",
        {"needs_assessments": selectors.needs_assessment_list(viewer=request.user)},
    )


@require_GET
def sna_detail(request, pk: int):
    sna = get_object_or_404(selectors.needs_assessment_list(viewer=request.user), pk=pk)
    return render(
        request,
        "vru/sna_detail.html",
        {
            "sna": sna,
            "groups": selectors.recommendations_by_theme_and_stage(needs_assessment=sna),
            "stages": PreventionStage,
        },
    )


@require_GET
def sna_document(request, pk: int):
    """The SNA's uploaded document, only to those who may see the SNA (never a public URL)."""
    sna = get_object_or_404(selectors.needs_assessment_list(viewer=request.user), pk=pk)
    if not sna.document:
        raise Http404
    return uploads.download(sna.document, name=sna.title)


@require_GET
def success_measures(request):
    doors.require(permissions.can_view_strategy(request.user))
    measures = [
        selectors.success_measure_figures(viewer=request.user, measure=measure)
        for measure in selectors.success_measure_list(viewer=request.user)
    ]
    return render(
        request,
        "vru/success_measures.html",
        {
            "measures": measures,
            "suppressed_view": permissions.sees_suppressed_figures(request.user),
        },
    )
