"""The sharing API: read-only, the same visibility as the pages (sharing.selectors)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, viewsets

from sharing import selectors, serializers
from sharing.models import Agreement, DisclosureLog, Organisation


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    model = None
    select = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.select(viewer=self.request.user).order_by("pk")


class SharingOrganisationViewSet(_ReadOnly):
    """Partner organisations the partnership shares personal data with."""

    serializer_class = serializers.SharingOrganisationOutputSerializer
    model = Organisation
    select = staticmethod(selectors.organisation_list)


class AgreementViewSet(_ReadOnly):
    """Information-sharing agreements, each with its status today."""

    serializer_class = serializers.AgreementOutputSerializer
    model = Agreement
    select = staticmethod(selectors.agreement_list)


class DisclosureViewSet(_ReadOnly):
    """The disclosure log (administrators and the data protection lead): what left for which
    partner, under which agreement, by record id and field name."""

    serializer_class = serializers.DisclosureLogOutputSerializer
    model = DisclosureLog

    @staticmethod
    def select(*, viewer):
        return selectors.disclosure_log_list(viewer=viewer).prefetch_related("records")


# The query parameters by which an API pull of personal data names the partner it is for and
# the agreement it is made under (sharing.doors; docs/sharing.md). Without them the pull is
# for the partnership's own work.
DISCLOSURE_PARAMETERS = [
    OpenApiParameter(
        "recipient",
        OpenApiTypes.INT,
        description="The partner organisation (sharing-organisations id) the data is for. "
        "A pull made for a partner must name it, with disclosure_agreement, unless it is made "
        "with a token issued for that partner (recorded against the token's agreement).",
    ),
    OpenApiParameter(
        "disclosure_agreement",
        OpenApiTypes.INT,
        description="The information-sharing agreement (sharing-agreements id) the data is "
        "shared under: in force, with the recipient as a party, covering the data. "
        "Otherwise 400 and nothing is returned.",
    ),
    OpenApiParameter(
        "disclosure_purpose",
        OpenApiTypes.STR,
        description="Why it is shared (default: the agreement's purpose).",
    ),
]
# A token issued for a partner (sharing.models.PartnerToken) needs neither recipient nor
# disclosure_agreement: each pull with it is recorded against its own agreement.


def disclosure_requested(request, *, kind: str):
    """The API's "who is this for?": None for our own work, else the checked choice; a
    refusal is a 400 naming the parameter. A partner's token is that choice by itself: its
    recipient and agreement, checked by the same rule (403 once the agreement is not in
    force or does not cover the data); naming another is a 400."""
    from django.core.exceptions import ValidationError
    from rest_framework import exceptions

    from sharing import doors, rules
    from sharing.api_permissions import partner_token

    bound = partner_token(request)
    if bound is not None:
        params = request.query_params
        for name, value in (
            ("recipient", bound.recipient_id),
            ("disclosure_agreement", bound.agreement_id),
        ):
            if params.get(name) not in (None, "", str(value)):
                raise exceptions.ValidationError(
                    {name: "This token is issued for one partner under one agreement."}
                )
        try:
            rules.check_disclosure(
                viewer=request.user, agreement=bound.agreement, recipient=bound.recipient, kind=kind
            )
        except ValidationError as error:
            raise exceptions.PermissionDenied(" ".join(error.messages)) from None
        purpose = (params.get("disclosure_purpose") or "").strip()
        return doors.Disclosure(bound.agreement, bound.recipient, kind, purpose)
    try:
        return doors.requested(request.user, request.query_params, kind=kind)
    except ValidationError as error:
        raise exceptions.ValidationError(error.message_dict) from None
