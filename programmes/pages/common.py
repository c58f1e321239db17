"""What the programme pages share: 404 for what a viewer may not open, exports, form errors."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse

from programmes import selectors
from programmes.models import Referral
from vru import exports
from vru.models import User

PAGE_SIZE = 50


def require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def export(request, resource, queryset, name: str, verb: str) -> HttpResponse:
    export_format = request.GET["format"]
    dataset = resource.export(queryset=queryset)
    return exports.audited_download(
        request, dataset, file_stem=name, file_format=export_format, verb=verb
    )


def form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def visible_referral(request, pk: int) -> Referral:
    referral = selectors.referral_get(viewer=request.user, pk=pk)
    if referral is None:
        raise Http404
    return referral


def staff_of(programmes):
    return (
        User.objects.filter(programme_memberships__programme__in=programmes)
        .distinct()
        .order_by("first_name", "last_name")
    )
