import django_filters
from django.db.models import Q

from programmes.models import Programme, Referral, Session
from vru.filters import GovukFilterSet, IdFilter


class ReferralFilter(GovukFilterSet):
    q = django_filters.CharFilter(method="search", label="Reference")
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
        value = value.strip()
        if not value:
            return queryset
        # references are made upper case (services.referrals.reference_for): matching the
        # typed text upper-cased uses the unique index; iexact (UPPER() on the column)
        # scanned every young person, 2.9 s at a million
        return queryset.filter(Q(young_person__reference=value.upper()))


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
