import django_filters
from django.db.models import Q

from vru.models import LSOA, Recommendation


class LSOAFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Code or name")
    local_authority = django_filters.CharFilter(
        field_name="local_authority__code", label="Local authority code"
    )
    csp = django_filters.NumberFilter(
        field_name="community_safety_partnership_id", label="Community safety partnership"
    )
    imd_decile = django_filters.MultipleChoiceFilter(
        choices=[(d, str(d)) for d in range(1, 11)], label="IMD decile"
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("code", "code"),
            ("name", "name"),
            ("local_authority__name", "local_authority"),
            ("population", "population"),
            ("imd_decile", "imd_decile"),
            ("imd_score", "imd_score"),
        )
    )

    class Meta:
        model = LSOA
        fields = ["q", "local_authority", "csp", "imd_decile"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__iexact=value) | Q(name__icontains=value) | Q(lsoa11_code__iexact=value)
        )


class RecommendationFilter(django_filters.FilterSet):
    needs_assessment = django_filters.NumberFilter(field_name="needs_assessment_id")
    prevention_stage = django_filters.CharFilter(field_name="prevention_stage")
    theme = django_filters.CharFilter(field_name="themes__name", lookup_expr="iexact")

    class Meta:
        model = Recommendation
        fields = ["needs_assessment", "prevention_stage", "theme"]
