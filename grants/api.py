"""The grants REST API: thin read-only viewsets over the viewer-scoped selectors."""

from django.db.models import Prefetch
from rest_framework import mixins, viewsets

from grants import selectors, serializers
from grants.filters import ApplicationFilter, AwardFilter, GrantRoundFilter
from grants.models import Application, Assignment, Award, GrantRound, Score, Tranche


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pass


class GrantRoundViewSet(ReadOnly):
    """Grant rounds: all of the partnership's for grants staff; open ones (and ones applied
    to) for applicants."""

    serializer_class = serializers.GrantRoundOutputSerializer
    filterset_class = GrantRoundFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return GrantRound.objects.none()
        return selectors.grant_round_list(viewer=self.request.user)


class ApplicationViewSet(ReadOnly):
    """Applications: the partnership's for grants staff, the organisation's for applicants."""

    serializer_class = serializers.ApplicationOutputSerializer
    filterset_class = ApplicationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return selectors.application_list(viewer=self.request.user)


class AssignmentViewSet(ReadOnly):
    """A youth reviewer's own assignments, without applicants' contact details."""

    serializer_class = serializers.AssignmentOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        return selectors.assignments_for(viewer=self.request.user).select_related(
            "application__organisation"
        )


class ScoreViewSet(ReadOnly):
    """Scores: the partnership's for grants staff, a reviewer's own for that reviewer."""

    serializer_class = serializers.ScoreOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Score.objects.none()
        return selectors.score_list(viewer=self.request.user)


class AwardViewSet(ReadOnly):
    """Awards with their payment tranches: the partnership's for grants staff, the
    organisation's for applicants."""

    serializer_class = serializers.AwardOutputSerializer
    filterset_class = AwardFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Award.objects.none()
        return selectors.award_list(viewer=self.request.user).prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.order_by("number"))
        )

    def list(self, request, *args, **kwargs):
        # Lean path: plain rows from the same scoped, filtered queryset, in the serializer's
        # shape (tests/grants/test_api.py checks they match), without a model instance per
        # row. 2 queries + COUNT for any page size.
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        page = self.paginate_queryset(selectors.award_rows(queryset))
        return self.get_paginated_response(page)
