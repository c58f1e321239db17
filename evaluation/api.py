"""The evaluation API: read-only, the same visibility as the pages (selectors)."""

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.response import Response

from evaluation import permissions, selectors, serializers
from evaluation.filters import EvaluationFilter
from evaluation.models import Evaluation
from evaluation.report_periods import whole_period_error
from programmes import selectors as programme_selectors
from vru.api import query_choice, query_int

# the evaluation list's query parameters, checked before the selector (which the page shares
# and which ignores what it does not understand)
EVALUATION_CHOICES = {
    "status": Evaluation.Status.values,
    "method": Evaluation.Method.values,
    "kind": Evaluation.Kind.values,
    "sort": sorted(f"{sign}{key}" for key in selectors.EVALUATION_SORTS for sign in ("", "-")),
}
EVALUATION_PARAMETERS = [
    *(
        OpenApiParameter(name, OpenApiTypes.STR, enum=choices)
        for name, choices in EVALUATION_CHOICES.items()
    ),
    OpenApiParameter("programme", OpenApiTypes.INT, description="One programme's id"),
    OpenApiParameter("rating", OpenApiTypes.INT, description="Evidence rating"),
    OpenApiParameter("q", OpenApiTypes.STR, description="Title or evaluator"),
]

PERIOD = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (YYYY-MM-DD)"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD)"),
    OpenApiParameter("programme", OpenApiTypes.INT, description="One programme's id"),
]


def _date(request, name: str) -> date | None:
    value = request.query_params.get(name)
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise exceptions.ValidationError({name: ["Dates are YYYY-MM-DD."]}) from None


def _period(request):
    start, end = _date(request, "start"), _date(request, "end")
    # the figures outside casework cover whole periods only, as reports do
    whole_only = permissions.sees_suppressed_outcomes(request.user)
    if message := whole_period_error(start, end, whole_only=whole_only):
        raise exceptions.ValidationError({"start": message})
    programme = None
    programme_id = query_int(request, "programme", minimum=1)
    if programme_id is not None:
        programme = (
            programme_selectors.programme_list(viewer=request.user).filter(pk=programme_id).first()
        )
        if programme is None:
            raise exceptions.ValidationError({"programme": "Unknown programme."})
    return start, end, programme


class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Evaluations of the caller's partnership (no personal data). Filter with status, method,
    kind, programme, rating, q; order with sort (title, status, starts_on, evidence_rating)."""

    serializer_class = serializers.EvaluationOutputSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    @extend_schema(parameters=EVALUATION_PARAMETERS)
    def list(self, request, *args, **kwargs):
        for name, choices in EVALUATION_CHOICES.items():
            query_choice(request, name, choices)
        query_int(request, "programme", minimum=1)
        query_int(request, "rating", minimum=0)
        checked = EvaluationFilter(request.query_params)  # the same filters as the page
        if not checked.is_valid():
            raise exceptions.ValidationError(checked.errors)
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evaluation.objects.none()
        return selectors.evaluation_list(
            viewer=self.request.user, filters=self.request.query_params.dict()
        )


class OutcomeSummaryViewSet(viewsets.ViewSet):
    """Per instrument and programme: change from first to last score, its 95% interval and
    who improved. Commissioners get small numbers suppressed."""

    @extend_schema(
        parameters=PERIOD, responses=serializers.OutcomeSummaryOutputSerializer(many=True)
    )
    def list(self, request):
        if not permissions.can_view_outcome_summaries(request.user):
            raise exceptions.NotFound
        start, end, programme = _period(request)
        summaries = selectors.outcome_summaries_for(
            viewer=request.user,
            partnership=request.user.partnership,
            start=start,
            end=end,
            programme=programme,
        )
        return Response(serializers.OutcomeSummaryOutputSerializer(summaries, many=True).data)


class CostBenefitViewSet(viewsets.ViewSet):
    """Cost per participant and the benefit-cost ratio of each evaluation in the period."""

    @extend_schema(parameters=PERIOD, responses=serializers.CostBenefitOutputSerializer(many=True))
    def list(self, request):
        if not permissions.can_view_evaluations(request.user):
            raise exceptions.NotFound
        start, end, programme = _period(request)
        rows = selectors.cost_benefit_for(
            viewer=request.user,
            partnership=request.user.partnership,
            start=start,
            end=end,
            programme=programme,
        )
        return Response(serializers.CostBenefitOutputSerializer(rows, many=True).data)
