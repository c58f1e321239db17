"""The filters of the rights requests' list: a value a filter cannot take is named in the
page's error summary and lists nothing (vru.filters)."""

import django_filters

from rights.models import SubjectAccessRequest
from vru.filters import GovukFilterSet

SORTS = {
    "due": ("due_on", "pk"),
    "-due": ("-due_on", "-pk"),
    "received": ("received_on", "pk"),
    "-received": ("-received_on", "-pk"),
    "status": ("status", "due_on"),
}


class RequestFilter(GovukFilterSet):
    status = django_filters.ChoiceFilter(choices=SubjectAccessRequest.Status.choices)
    kind = django_filters.ChoiceFilter(
        choices=SubjectAccessRequest.Kind.choices, label="Kind of request"
    )
    sort = django_filters.ChoiceFilter(
        choices=[(key, key) for key in SORTS], method="order", label="Order"
    )

    class Meta:
        model = SubjectAccessRequest
        fields = ["status", "kind"]

    def order(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])
