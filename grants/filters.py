"""django-filter FilterSets for grants lists (pages and API share them)."""

import django_filters
from django.db.models import Q

from grants.models import Application, Award, GrantRound, Organisation
from vru.filters import GovukFilterSet, IdFilter


class GrantRoundFilter(GovukFilterSet):
    q = django_filters.CharFilter(method="search", label="Title or fund")
    sort = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("opens_at", "opens"),
            ("closes_at", "closes"),
            ("budget", "budget"),
            ("application_count", "applications"),
        ),
    )

    class Meta:
        model = GrantRound
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(fund__icontains=value))


class ApplicationFilter(GovukFilterSet):
    q = django_filters.CharFilter(method="search", label="Title or organisation")
    status = django_filters.ChoiceFilter(choices=Application.Status.choices)
    grant_round = IdFilter(field_name="grant_round_id")
    sort = django_filters.OrderingFilter(
        fields=(
            ("title", "title"),
            ("organisation__name", "organisation"),
            ("amount_requested", "amount"),
            ("status", "status"),
            ("submitted_at", "submitted"),
        ),
    )

    class Meta:
        model = Application
        fields = ["q", "status", "grant_round"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(organisation__name__icontains=value))


class AwardFilter(GovukFilterSet):
    q = django_filters.CharFilter(method="search", label="Project or organisation")
    grant_round = IdFilter(field_name="decision__application__grant_round_id")
    sort = django_filters.OrderingFilter(
        fields=(
            ("amount", "amount"),
            ("awarded_on", "awarded"),
            ("decision__application__organisation__name", "organisation"),
        ),
    )

    class Meta:
        model = Award
        fields = ["q", "grant_round"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(decision__application__title__icontains=value)
            | Q(decision__application__organisation__name__icontains=value)
        )


class OrganisationFilter(GovukFilterSet):
    q = django_filters.CharFilter(method="search", label="Name, charity or company number")
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices, label="Type")
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("kind", "type"),
            ("application_count", "applications"),
            ("member_count", "members"),
        ),
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(charity_number__icontains=value)
            | Q(company_number__icontains=value)
        )
