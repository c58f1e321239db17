"""The programmes API: the same visibility as the pages (selectors), writes through services."""

from functools import partial

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, pagination, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from programmes import inputs, paging, permissions, selectors, serializers, services
from programmes.api_corrections import (
    ContactCorrections,
    OutcomeCorrections,
    ReferralCorrections,
    SessionCorrections,
)
from programmes.filters import ProgrammeFilter, ReferralChildFilter, ReferralFilter, SessionFilter
from programmes.models import Contact, Outcome, Programme, Referral, Session
from programmes.search import parse_search
from sharing import api as sharing_api
from sharing import doors as sharing_doors
from sharing.rules import Record
from vru import accounts
from vru.api import query_int
from vru.data_kinds import DataKind


def _referral_or_404(request, pk) -> Referral:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise exceptions.NotFound from None
    referral = selectors.referral_get(viewer=request.user, pk=pk)
    if referral is None:
        raise exceptions.NotFound
    return referral


def _referral_in(request) -> Referral:
    """The referral a contact or an outcome is for, named in the body: one the caller may
    see, or 404 (as the rest of the API); none named is a 400."""
    given = request.data.get("referral") if hasattr(request.data, "get") else None
    if given is None or given == "":
        raise exceptions.ValidationError({"referral": ["Choose the referral."]})
    return _referral_or_404(request, given)


def _require_caseload(request) -> None:
    """Refuse writes to roles without a caseload before reading the body, so they learn
    nothing (not even which fields are required). A 404, as every door a role may not open."""
    if not permissions.can_use_caseload(request.user):
        raise exceptions.NotFound


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Programmes of the caller's partnership (no personal data)."""

    serializer_class = serializers.ProgrammeOutputSerializer
    filterset_class = ProgrammeFilter
    lookup_value_regex = r"\d+"
    ordering_fields = ["name", "starts_on"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Programme.objects.none()
        return selectors.programme_list(viewer=self.request.user)


# the ?ordering= names the API took before ?sort= (same as the caseload page)
_ORDERING_ALIASES = {"due_at": "due", "event_at": "event", "referred_at": "referred"}


def _sort_param(params) -> str:
    if params.get("sort"):
        return params["sort"]
    ordering = params.get("ordering", "")
    descending = ordering.startswith("-")
    key = ordering.lstrip("-")
    key = _ORDERING_ALIASES.get(key, key)
    return ("-" if descending else "") + key if key else ""


class ReferralSeekPagination(pagination.BasePagination):
    """Seek pages (programmes.paging) of the filtered referrals: next/previous cursors and a
    count capped at 1,000, since a COUNT(*) and OFFSET over a million referrals cost more
    than the page itself. A page is plain rows (`.values()` of the fields the view's
    serializer reads, `row_fields()`), in the ?sort= (or ?ordering=) order; one query with
    its capped count."""

    page_size = 50
    max_page_size = 200

    def page_size_for(self, request) -> int:
        size = query_int(request, "page_size", minimum=1)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        ordering = selectors.referral_ordering(_sort_param(request.query_params))
        cursor = request.query_params.get("cursor")
        if cursor and paging.decode_cursor(cursor, ordering) is None:
            # a cursor from another sort order, or altered: not silently the first page
            raise exceptions.ValidationError(
                {"cursor": ["Follow the next or previous link as given, with the same sort."]}
            )
        fields = tuple(view.get_serializer_class().row_fields())
        self.url = request.build_absolute_uri()
        size = self.page_size_for(request)
        if not selectors.referrals_filtered(request.query_params):
            # nothing filtered (the filter backend returned the visible referrals as they
            # are): the same page from the list's query compiled once per shape, as the
            # caseload's (selectors.referral_page; docs/performance.md)
            self.page = selectors.referral_page(
                viewer=request.user,
                filters=None,
                sort=_sort_param(request.query_params),
                cursor=cursor,
                size=size,
                fields=fields,
            )
            return self.page.object_list
        rows = queryset.values(*fields, *[f for f, _ in ordering if f not in fields])
        self.page = paging.seek_page(
            rows,
            ordering=ordering,
            cursor=cursor,
            size=size,
            # the same referrals without the rows' joins: a cheaper count
            count_queryset=queryset,
        )
        return self.page.object_list

    def _link(self, cursor):
        return replace_query_param(self.url, "cursor", cursor) if cursor else None

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.count,
                "count_capped": self.page.count_capped,
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "count_capped", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": f"Exact up to {paging.COUNT_CAP:,}; at most that.",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": f"True when there are more than {paging.COUNT_CAP:,}.",
                },
                "next": link,
                "previous": link,
                "results": schema,
            },
        }


class ReferralViewSet(
    ReferralCorrections,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals the caller may see: administrators all in the partnership, managers their
    programmes', practitioners their own caseload. Pseudonymous: the identity is a separate,
    audited endpoint. Corrected through corrections/, each correction a version."""

    serializer_class = serializers.ReferralOutputSerializer
    filterset_class = ReferralFilter
    pagination_class = ReferralSeekPagination
    lookup_value_regex = r"\d+"
    ordering_fields = ["due_at", "event_at", "referred_at", "status"]
    # the actions that record what they disclose: a partner's token reads these only
    disclosure_actions = ("list", "retrieve")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        if self.action == "list" and not selectors.referrals_filtered(self.request.query_params):
            # nothing filtered: the filter backends only check the query string (a bad
            # ?ordering= is still a 400) and the page comes from the list's compiled query,
            # scoped to the viewer there (ReferralSeekPagination); building the visible
            # referrals' queryset here cost a tenth of the request
            return Referral.objects.none()
        return selectors.referral_list(viewer=self.request.user)

    def get_serializer_class(self):
        # the list reads plain rows (see ReferralSeekPagination); the same output
        if self.action == "list":
            return serializers.ReferralRowOutputSerializer
        return super().get_serializer_class()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "cursor", OpenApiTypes.STR, description="From the next or previous link."
            ),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="At most 200."),
            OpenApiParameter(
                "sort",
                OpenApiTypes.STR,
                enum=[f"{sign}{key}" for key in selectors.REFERRAL_SORTS for sign in ("", "-")],
                description="Default: awaiting first contact first, soonest due first.",
            ),
            *sharing_api.DISCLOSURE_PARAMETERS,
        ],
        responses=serializers.ReferralOutputSerializer(many=True),
    )
    def list(self, request):
        """Seek-paginated: follow the next and previous links. A pull for a partner
        organisation names it and the agreement (docs/sharing.md)."""
        disclosure = sharing_api.disclosure_requested(request, kind=DataKind.REFERRAL)
        # DRF's list: the filter backend, the seek paginator, a serializer of plain rows
        response = super().list(request)
        self._disclosed(request, disclosure, [row["id"] for row in response.data["results"]])
        search = parse_search(request.query_params.get("q"))
        if search.reads_identity:  # by name or date of birth: an identity read, audited
            services.identity_search_record(
                actor=request.user,
                by=search.identity_read_by,
                referral_ids=[row["id"] for row in response.data["results"]],
            )
        return response

    @extend_schema(parameters=sharing_api.DISCLOSURE_PARAMETERS)
    def retrieve(self, request, *args, **kwargs):
        """One referral. A pull for a partner organisation names it and the agreement."""
        disclosure = sharing_api.disclosure_requested(request, kind=DataKind.REFERRAL)
        response = super().retrieve(request, *args, **kwargs)
        self._disclosed(request, disclosure, [response.data["id"]])
        return response

    def _disclosed(self, request, disclosure, ids) -> None:
        if disclosure is None:
            return
        people = dict(Referral.objects.filter(pk__in=ids).values_list("pk", "young_person_id"))
        fields = list(serializers.ReferralOutputSerializer().fields)
        sharing_doors.record(
            request.user,
            disclosure,
            records=[Record("programmes.referral", pk, people.get(pk)) for pk in ids],
            fields=fields,
            door="API: referrals",
        )

    @extend_schema(
        request=serializers.ReferralCreateInputSerializer,
        responses={201: serializers.ReferralOutputSerializer},
    )
    def create(self, request):
        _require_caseload(request)
        judge = inputs.ReferralInput(
            programmes=selectors.programmes_for_referrals(viewer=request.user), actor=request.user
        )
        payload = serializers.ReferralCreateInputSerializer(
            data=request.data, context={"judge": judge.check}
        )
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        programme = data.pop("programme")
        referral = services.referral_create(actor=request.user, programme=programme, **data)
        referral = selectors.referral_get(viewer=request.user, pk=referral.pk) or referral
        return Response(
            serializers.ReferralOutputSerializer(referral).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={
            200: serializers.ReferralIdentityOutputSerializer,
            403: OpenApiResponse(
                description="No password or second factor given in the last 15 minutes "
                "(VRU_REAUTH_SECONDS): confirm it is you on the site, then ask again."
            ),
        }
    )
    @action(detail=True, methods=["get"])
    def identity(self, request, pk=None):
        """The young person's identity. Every read is recorded in the audit trail."""
        referral = _referral_or_404(request, pk)
        if not permissions.can_view_identity(request.user, referral):
            raise exceptions.NotFound("Anonymised.")
        if not accounts.recently_authenticated(request):
            raise exceptions.PermissionDenied(
                "Confirm it is you (sign in again or re-authenticate) to see an identity."
            )
        identity = services.identity_view(actor=request.user, referral=referral)
        if identity is None:
            raise exceptions.NotFound("Anonymised.")
        return Response(serializers.ReferralIdentityOutputSerializer(identity).data)

    @extend_schema(
        request=serializers.ReferralStatusInputSerializer,
        responses={200: serializers.ReferralOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        referral = _referral_or_404(request, pk)
        payload = serializers.ReferralStatusInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.referral_status_change(
            actor=request.user,
            referral=referral,
            to_status=payload.validated_data["to_status"],
            closure_reason=payload.validated_data.get("closure_reason", ""),
        )
        return Response(serializers.ReferralOutputSerializer(_referral_or_404(request, pk)).data)


class _ReferralChildViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    model = None
    input_serializer = None
    output_serializer = None
    # a plain number filter over the scoped queryset: a choice filter over every referral
    # would answer 400 for ids that exist elsewhere and so reveal them
    filterset_class = ReferralChildFilter
    lookup_value_regex = r"\d+"
    disclosure_actions = ("list",)  # recorded: a partner's token reads it

    def get_serializer_class(self):
        return self.output_serializer

    data_kind = ""  # what the records are, in the register of personal data (vru.data_kinds)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        visible = selectors.referral_list(viewer=self.request.user).order_by().values("pk")
        return self.model.objects.filter(referral_id__in=visible)

    @extend_schema(parameters=sharing_api.DISCLOSURE_PARAMETERS)
    def list(self, request, *args, **kwargs):
        """A pull for a partner organisation names it and the agreement (docs/sharing.md)."""
        disclosure = sharing_api.disclosure_requested(request, kind=self.data_kind)
        response = super().list(request, *args, **kwargs)
        if disclosure is not None:
            ids = [row["id"] for row in response.data["results"]]
            people = dict(
                self.model.objects.filter(pk__in=ids).values_list("pk", "referral__young_person_id")
            )
            sharing_doors.record(
                request.user,
                disclosure,
                records=[Record(self.model._meta.label_lower, pk, people.get(pk)) for pk in ids],
                fields=list(self.output_serializer().fields),
                door=f"API: {self.model._meta.verbose_name_plural}",
            )
        return response


class ContactViewSet(ContactCorrections, _ReferralChildViewSet):
    """1:1 contacts with the referrals the caller may see."""

    model = Contact
    output_serializer = serializers.ContactOutputSerializer
    data_kind = DataKind.CASE_NOTES

    @extend_schema(
        request=serializers.ContactInputSerializer,
        responses={201: serializers.ContactOutputSerializer},
    )
    def create(self, request):
        _require_caseload(request)
        referral = _referral_in(request)
        payload = serializers.ContactInputSerializer(
            data=request.data,
            context={"judge": partial(inputs.check_contact, referral=referral)},
        )
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        del data["referral"]
        contact = services.contact_record(actor=request.user, referral=referral, **data)
        return Response(
            serializers.ContactOutputSerializer(contact).data, status=status.HTTP_201_CREATED
        )


class OutcomeViewSet(OutcomeCorrections, _ReferralChildViewSet):
    """Outcomes of the referrals the caller may see."""

    model = Outcome
    output_serializer = serializers.OutcomeOutputSerializer
    data_kind = DataKind.REFERRAL  # outcomes are part of the case's record

    @extend_schema(
        request=serializers.OutcomeInputSerializer,
        responses={201: serializers.OutcomeOutputSerializer},
    )
    def create(self, request):
        _require_caseload(request)
        referral = _referral_in(request)
        payload = serializers.OutcomeInputSerializer(
            data=request.data,
            context={"judge": partial(inputs.check_outcome, referral=referral)},
        )
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        del data["referral"]
        outcome = services.outcome_record(actor=request.user, referral=referral, **data)
        return Response(
            serializers.OutcomeOutputSerializer(outcome).data, status=status.HTTP_201_CREATED
        )


class SessionViewSet(
    SessionCorrections,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Group and detached sessions of the caller's programmes (anonymous counts)."""

    serializer_class = serializers.SessionOutputSerializer
    filterset_class = SessionFilter
    lookup_value_regex = r"\d+"
    ordering_fields = ["held_on"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Session.objects.none()
        return selectors.session_list(viewer=self.request.user)


__all__ = [
    "ContactViewSet",
    "OutcomeViewSet",
    "ProgrammeViewSet",
    "ReferralViewSet",
    "SessionViewSet",
]
