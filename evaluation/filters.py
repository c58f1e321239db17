"""The filters of evaluation's lists (pages, and the evaluations API): a value a filter
cannot take is named in the page's error summary and lists nothing (vru.filters)."""

import django_filters
from django.db.models import Q

from evaluation.models import Evaluation, FeedbackResponse, ImpactReport, OutcomeScore
from vru.age_bands import ListeningAgeBand
from vru.filters import GovukFilterSet, IdFilter, WholeNumberFilter

YES = [("yes", "Yes")]  # a checkbox's value
EVALUATION_SORTS = {"title", "status", "starts_on", "evidence_rating", "method"}
REPORT_SORTS = {"requested_at", "period_start", "period_end", "status"}


class EvaluationFilter(GovukFilterSet):
    q = django_filters.CharFilter(method="search", label="Title or evaluator")
    status = django_filters.ChoiceFilter(choices=Evaluation.Status.choices)
    method = django_filters.ChoiceFilter(choices=Evaluation.Method.choices)
    kind = django_filters.ChoiceFilter(choices=Evaluation.Kind.choices)
    programme = IdFilter(field_name="programme_id")
    rating = WholeNumberFilter(field_name="evidence_rating", label="Evidence rating")
    sort = django_filters.OrderingFilter(fields=sorted(EVALUATION_SORTS))

    class Meta:
        model = Evaluation
        fields = ["q", "status", "method", "kind", "programme", "rating"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(evaluator__icontains=value))


class OutcomeScoreFilter(GovukFilterSet):
    programme = IdFilter(field_name="referral__programme_id")
    instrument = IdFilter(field_name="instrument_id")
    reference = django_filters.CharFilter(method="by_reference", label="Reference")
    sort = django_filters.OrderingFilter(fields=("scored_on", "total", "time_point"))

    class Meta:
        model = OutcomeScore
        fields = ["programme", "instrument", "reference"]

    def by_reference(self, queryset, name, value):
        return queryset.filter(referral__young_person__reference__iexact=value.strip())


class ResponseFilter(GovukFilterSet):
    theme = IdFilter(field_name="themes__pk")
    age_band = django_filters.ChoiceFilter(choices=ListeningAgeBand.choices, label="Age")
    local_authority = django_filters.CharFilter(
        field_name="local_authority__code", label="Local authority code"
    )
    uncoded = django_filters.ChoiceFilter(choices=YES, method="no_theme", label="No theme yet")
    flagged = django_filters.ChoiceFilter(
        choices=YES, method="concern", label="Safeguarding concern"
    )
    q = django_filters.CharFilter(field_name="question", lookup_expr="icontains", label="Question")
    sort = django_filters.OrderingFilter(fields=("responded_on", "age_band", "venue"))

    class Meta:
        model = FeedbackResponse
        fields = ["theme", "age_band", "local_authority", "uncoded", "flagged", "q"]

    def no_theme(self, queryset, name, value):
        return queryset.filter(themes__isnull=True)

    def concern(self, queryset, name, value):
        return queryset.filter(safeguarding_concern=True)


class ImpactReportFilter(GovukFilterSet):
    status = django_filters.ChoiceFilter(choices=ImpactReport.Status.choices)
    scope = django_filters.ChoiceFilter(choices=ImpactReport.Scope.choices)
    sort = django_filters.OrderingFilter(fields=sorted(REPORT_SORTS))

    class Meta:
        model = ImpactReport
        fields = ["status", "scope"]
