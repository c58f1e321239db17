import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q

from vru.forms import GovukErrorsMixin, GovukForm
from vru.models import LSOA, AreaProfile, Hotspot, Recommendation, RiskRun, RiskScore

# The largest id a database integer column holds: a bigger number (or a fraction such as
# 1e32) is a 400 with a message, not an overflow deep in the database driver (a 500).
MAX_ID = 2**63 - 1


# What a true/false filter takes, on pages and in the API (vru.api.query_bool).
BOOLEAN_VALUES = {"true": True, "false": False, "1": True, "0": False}


class StrictBooleansForm(GovukForm):
    """A true/false filter given anything but true, false, 1 or 0 is an error naming it, as
    in the API; django-filter's own field reads such a value (and 1 or 0) as no filter."""

    boolean_names: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.boolean_names:
            raw = self.data.get(name)
            if raw is None or raw == "":
                continue
            value = BOOLEAN_VALUES.get(str(raw).lower())
            if value is None:
                message = f"Select {self.error_name(name)} from the list"  # noqa: S608 (not SQL)
                self.add_error(name, message)
            elif name in cleaned:
                cleaned[name] = value
        return cleaned


class GovukFilterSet(django_filters.FilterSet):
    """The base of every FilterSet of the product: its form is built on the product's forms'
    base class (GovukForm), so a value a filter cannot take is told the GOV.UK way, naming
    the filter ("Select source from the list", "Held from must be a real date"), in an error
    summary and beside the filter, and in the API's 400 answer."""

    def get_form_class(self):
        form = super().get_form_class()
        if issubclass(form, GovukErrorsMixin):
            return form
        # a list's order is "the order to sort by", whatever its filter is called
        names = {
            name: "the order to sort by"
            for name, filter_ in self.filters.items()
            if isinstance(filter_, django_filters.OrderingFilter)
        }
        booleans = tuple(
            name
            for name, filter_ in self.filters.items()
            if isinstance(filter_, django_filters.BooleanFilter)
        )
        attrs = {"error_names": names, "boolean_names": booleans}
        return type(form.__name__, (StrictBooleansForm, form), attrs)

    @property
    def form(self):
        form = super().form
        form.auto_id = "%s"  # the list pages' inputs are named and identified alike
        return form

    @property
    def qs(self):
        """A filter given a value it cannot take filters out everything: the list is empty
        (its page says why, naming the filter), never the unfiltered list as if filtered.
        The API answers 400 before it gets here (vru.api.FilterBackend)."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs


def names_a_filter(params, filterset_class) -> bool:
    """Whether a query string names any of the filterset's filters (by its name, or a name
    its widget adds a suffix to, as a range's "_min"). When it names none, every filter is
    empty: the filterset would return its queryset as it is, and its form (about a
    millisecond to build) has nothing to check."""
    names = tuple(filterset_class.base_filters)
    return any(key in names or key.startswith(tuple(f"{n}_" for n in names)) for key in params)


class IdFilter(django_filters.NumberFilter):
    """A record id in a query string: a whole number the database can hold."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class LSOAFilter(GovukFilterSet):
    q = django_filters.CharFilter(method="search", label="Code or name")
    local_authority = django_filters.CharFilter(
        field_name="local_authority__code", label="Local authority code"
    )
    csp = IdFilter(
        field_name="community_safety_partnership_id", label="Community safety partnership"
    )
    imd_decile = django_filters.MultipleChoiceFilter(
        choices=[(d, str(d)) for d in range(1, 11)],
        label="IMD decile",
        distinct=False,  # a column of the neighbourhood itself: no duplicates to remove
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


class RecommendationFilter(GovukFilterSet):
    needs_assessment = IdFilter(field_name="needs_assessment_id")
    prevention_stage = django_filters.CharFilter(field_name="prevention_stage")
    theme = django_filters.CharFilter(field_name="themes__name", lookup_expr="iexact")

    class Meta:
        model = Recommendation
        fields = ["needs_assessment", "prevention_stage", "theme"]


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number in a query string (a year): "2025.5" or "abc" is an error naming it."""

    field_class = forms.IntegerField


def ordered(qs, *tiebreak: str):
    """A list sorted by a filterset's order, then by ``tiebreak`` so pages never overlap;
    unsorted, the model's own order."""
    return qs.order_by(*qs.query.order_by, *tiebreak) if qs.query.order_by else qs


class RiskRunFilter(GovukFilterSet):
    status = django_filters.ChoiceFilter(choices=RiskRun.Status.choices)
    sort = django_filters.OrderingFilter(fields=("created_at", "label", "priority_count"))

    class Meta:
        model = RiskRun
        fields = ["status"]


class RiskScoreFilter(GovukFilterSet):
    priority = django_filters.BooleanFilter(field_name="is_priority", label="Priority only")
    local_authority = django_filters.CharFilter(
        field_name="lsoa__local_authority__code", label="Local authority code"
    )
    q = django_filters.CharFilter(method="search", label="Code or name")
    sort = django_filters.OrderingFilter(
        fields=(("rank", "rank"), ("score", "score"), ("lsoa__name", "name"))
    )

    class Meta:
        model = RiskScore
        fields = ["priority", "local_authority", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(lsoa__code__iexact=value) | Q(lsoa__name__icontains=value))


class HotspotFilter(GovukFilterSet):
    factor = django_filters.CharFilter(field_name="factor__key", label="Factor")
    year = WholeNumberFilter(field_name="year", label="Year")
    new = django_filters.BooleanFilter(field_name="is_new", label="New hotspots only")
    sort = django_filters.OrderingFilter(fields=("p_value", "persistence", "observed", "year"))

    class Meta:
        model = Hotspot
        fields = ["factor", "year", "new"]


class AreaProfileFilter(GovukFilterSet):
    kind = django_filters.ChoiceFilter(choices=AreaProfile.Kind.choices)
    month = django_filters.CharFilter(
        method="in_month",
        label="Month",
        validators=[
            RegexValidator(
                r"^\d{4}-(0[1-9]|1[0-2])", "Enter month as a year and month, like 2026-03"
            )
        ],
    )
    sort = django_filters.OrderingFilter(
        fields=("rate_per_1000", "rank", "harm", "offences", "area_name", "month")
    )

    class Meta:
        model = AreaProfile
        fields = ["kind", "month"]

    def in_month(self, queryset, name, value):
        return queryset.filter(month__startswith=value[:7])
