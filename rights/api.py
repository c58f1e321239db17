"""Rights requests over the API: the same people and rules as the pages (administrators and
the data protection lead; rights.selectors, rights.services). The bundle itself is not
offered here: it is downloaded once, on its page, after the password is asked again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from rights import permissions, selectors, serializers, services
from rights.models import SubjectAccessRequest


class SubjectAccessRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests from young people (or for them) to see, correct or erase their records."""

    serializer_class = serializers.SubjectAccessRequestOutputSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SubjectAccessRequest.objects.none()
        return selectors.request_list(viewer=self.request.user)

    @extend_schema(
        request=serializers.SubjectAccessRequestInputSerializer,
        responses={201: serializers.SubjectAccessRequestOutputSerializer},
    )
    def create(self, request):
        if not permissions.can_handle_requests(request.user):
            raise PermissionDenied("Only an administrator or the data protection lead may do this.")
        payload = serializers.SubjectAccessRequestInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        person = selectors.young_person_by_reference(
            viewer=request.user, reference=data.pop("young_person")
        )
        if person is None:
            raise ValidationError(
                {"young_person": "No young person in your partnership has this reference."}
            )
        data["kind"] = data.pop("request_kind")
        sar = services.request_create(actor=request.user, young_person=person, **data)
        return Response(self.get_serializer(sar).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.SubjectAccessRequestExtendSerializer,
        responses=serializers.SubjectAccessRequestOutputSerializer,
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        sar = self.get_object()  # first: another partnership's request is a 404, not a 400
        payload = serializers.SubjectAccessRequestExtendSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        sar = services.request_extend(actor=request.user, request=sar, **payload.validated_data)
        return Response(self.get_serializer(sar).data)

    @extend_schema(
        request=None,
        responses={
            200: serializers.SubjectAccessRequestOutputSerializer,
            400: OpenApiResponse(
                description="The request cannot be gathered now (already gathering and not "
                "stalled, or sent)."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def gather(self, request, pk=None):
        """Gather the records; a stalled gathering (no progress for
        VRU_SAR_GATHER_STALL_MINUTES) is gathered again from the start."""
        sar = self.get_object()
        if sar.stalled(timezone.now()):
            sar = services.request_gather_again(actor=request.user, request=sar)
        else:
            sar = services.request_gather_start(actor=request.user, request=sar)
        return Response(self.get_serializer(sar).data)
