import django_filters

from programmes.models import Programme, Referral, Session
from programmes.search import parse_search, search_q
from vru.filters import GovukFilterSet, IdFilter


class ReferralFilter(GovukFilterSet):
    q = django_filters.CharFilter(method="search", label="Name, date of birth or reference")
    programme = IdFilter(field_name="programme_id")
    status = django_filters.MultipleChoiceFilter(choices=Referral.Status.choices)
    source = django_filters.ChoiceFilter(choices=Referral.Source.choices)
    reason = django_filters.ChoiceFilter(choices=Referral.Reason.choices)
    breached = django_filters.BooleanFilter(field_name="breached")
    assigned_to = IdFilter(field_name="assigned_to_id")
    unassigned = django_filters.BooleanFilter(
        field_name="assigned_to", lookup_expr="isnull", label="Unassigned"
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("due_at", "due"),
            ("event_at", "event"),
            ("referred_at", "referred"),
            ("status", "status"),
            ("young_person__reference", "reference"),
            ("programme__name", "programme"),
        )
    )

    class Meta:
        model = Referral
        fields = [
            "q",
            "programme",
            "status",
            "source",
            "reason",
            "breached",
            "assigned_to",
            "unassigned",
        ]

    def search(self, queryset, name, value):
        # a part of a reference, a date of birth or words of a name (selectors.search)
        found = search_q(parse_search(value))
        return queryset.filter(found) if found else queryset


class ProgrammeFilter(GovukFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    kind = django_filters.ChoiceFilter(choices=Programme.Kind.choices)
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("starts_on", "starts_on"))
    )

    class Meta:
        model = Programme
        fields = ["q", "kind"]


class SessionFilter(GovukFilterSet):
    programme = IdFilter(field_name="programme_id")
    kind = django_filters.ChoiceFilter(choices=Session.Kind.choices)
    held_from = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label="Held on or after"
    )
    held_to = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label="Held on or before"
    )
    sort = django_filters.OrderingFilter(
        fields=(("held_on", "held_on"), ("place", "place"), ("programme__name", "programme"))
    )

    class Meta:
        model = Session
        fields = ["programme", "kind", "held_from", "held_to"]


class ReferralChildFilter(GovukFilterSet):
    """Contacts and outcomes by referral id: a number, not a choice over every referral."""

    referral = IdFilter(field_name="referral_id")
