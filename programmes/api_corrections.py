"""Corrections through the API: `POST /api/<records>/{id}/corrections/` corrects a referral,
a contact, an outcome or a session, and `GET /api/<records>/{id}/versions/` reads its version
history. The same services as the correction pages (programmes.services.corrections): the
same rules in the same words, the same versions, the same audit.

- Who: whoever may write the record (as the page): `can_work_on_referral` for a case and its
  contacts and outcomes, `can_record_session` for a session; the assignee only by whoever
  may assign the case. A record the caller may not see is a 404; one they may see but not
  write, a 403.
- The body: `why` (required, as on the page), `version` (the version the caller read, from
  versions/: a correction over a newer one is refused with a 409) and any of the record's
  correctable fields; a field that is not correctable is a 400 naming it.
- Identity (name, date of birth, address, contact details): only for a browser session
  whose user gave their password or second factor in the last 15 minutes (VRU_REAUTH_SECONDS),
  as the page; never through an API token (403), which has no recent password to show.
- The history never shows the identity's old and new values (it says which changed): they
  are read, audited, from the identity endpoint.
"""

import copy

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework import serializers as drf
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings

from programmes import inputs, permissions, selectors, serializers, services
from programmes.models import Gender, Outcome, RecordVersion, Session
from vru import accounts
from vru.age_bands import AgeBand

Kind = RecordVersion.Kind
# the schema's enums of the same name (vru.settings: ENUM_NAME_OVERRIDES)
OUTCOME_KINDS = Outcome.Kind.choices
SESSION_KINDS = Session.Kind.choices

VERSION_MISSING = (
    "Give the version you are correcting (version, from the record's versions), so that a "
    "change made since is not saved over."
)
NOT_CORRECTABLE = "This cannot be corrected here."
PROGRAMME_NOT_CORRECTABLE = (
    "A case stays with its programme: the programme sets who may see it, its eligibility, "
    "its 24-hour target and how long it is kept. Close it and refer the young person to the "
    "other programme."
)
IDENTITY_NEEDS_SESSION = (
    "The young person's name, date of birth, address and contact details are corrected only "
    "after a recent password or second factor: sign in on the site, confirm it is you, then "
    "send the correction from that browser session within 15 minutes. An API token cannot "
    "change them."
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"


# --- Input -------------------------------------------------------------------------------


def _optional(source: type[drf.Serializer], names) -> dict:
    """The record's creation fields (their types and formats), each optional with no
    default: a field left out is not changed."""
    declared = source._declared_fields
    fields = {}
    for name in names:
        field = declared[name]
        kwargs = {
            k: copy.deepcopy(v)  # a list's child field anew, unbound
            for k, v in field._kwargs.items()
            if k not in {"required", "default"}
        }
        fields[name] = type(field)(*field._args, required=False, **kwargs)
    return fields


class _CorrectionInput(drf.Serializer):
    why = drf.CharField(
        required=False,
        allow_blank=True,
        help_text="Why you are making this change (required; up to 2,000 characters). "
        "Whoever can see the record sees it in its version history.",
    )
    version = drf.IntegerField(
        min_value=1,
        error_messages={"required": VERSION_MISSING, "null": VERSION_MISSING},
        help_text="The version you read (versions/): refused with a 409 if the record has a "
        "newer one.",
    )

    def to_internal_value(self, data):
        given = set(data) if hasattr(data, "keys") else set()
        unknown = sorted(given - set(self.fields))
        if unknown:
            raise drf.ValidationError(
                {
                    name: [PROGRAMME_NOT_CORRECTABLE if name == "programme" else NOT_CORRECTABLE]
                    for name in unknown
                }
            )
        return super().to_internal_value(data)


def _input(name: str, source, names, **extra) -> type[drf.Serializer]:
    return type(name, (_CorrectionInput,), {**_optional(source, names), **extra})


class SessionCountInputSerializer(drf.Serializer):
    age_band = drf.ChoiceField(choices=AgeBand.choices)
    gender = drf.ChoiceField(choices=Gender.choices)
    count = drf.IntegerField(min_value=0)


class _SessionFields(drf.Serializer):
    kind = drf.ChoiceField(choices=SESSION_KINDS)
    held_on = drf.DateField()
    place = drf.CharField(allow_blank=True)
    lsoa = drf.CharField(allow_blank=True, allow_null=True, help_text="An LSOA code.")
    issues_raised = drf.CharField(allow_blank=True)


def _once_each(counts: list) -> list:
    seen = [(c["age_band"], c["gender"]) for c in counts]
    if len(set(seen)) != len(seen):
        raise drf.ValidationError("Give each age band and gender once.")
    return counts


ReferralCorrectionInputSerializer = _input(
    "ReferralCorrectionInputSerializer",
    serializers.ReferralCreateInputSerializer,
    inputs.REFERRAL_CORRECTABLE,
)
ContactCorrectionInputSerializer = _input(
    "ContactCorrectionInputSerializer",
    serializers.ContactInputSerializer,
    inputs.CONTACT_CORRECTABLE,
)
OutcomeCorrectionInputSerializer = _input(
    "OutcomeCorrectionInputSerializer",
    serializers.OutcomeInputSerializer,
    inputs.OUTCOME_CORRECTABLE,
)
SessionCorrectionInputSerializer = _input(
    "SessionCorrectionInputSerializer",
    _SessionFields,
    [name for name in inputs.SESSION_CORRECTABLE if name != "counts"],
    counts=drf.ListField(
        child=SessionCountInputSerializer(),
        required=False,
        help_text="Every count of the session: replaces the saved counts (an age band and "
        "gender left out is 0; each at most once).",
    ),
    validate_counts=lambda self, counts: _once_each(counts),
)


# --- Output ------------------------------------------------------------------------------


class VersionChangeOutputSerializer(drf.Serializer):
    field = drf.CharField()
    label = drf.CharField(help_text="The field in the words of the record's form.")
    before = drf.CharField(help_text="As the record's page shows it.")
    after = drf.CharField()
    hidden = drf.BooleanField(
        help_text="An identity value: which changed is said, not the values (read them from "
        "the identity endpoint)."
    )


class VersionOutputSerializer(drf.Serializer):
    title = drf.CharField(help_text="What was corrected, and its version.")
    version = drf.IntegerField(source="number")
    changed_by = drf.SerializerMethodField()
    changed_at = drf.DateTimeField(source="at")
    why = drf.CharField()
    changes = VersionChangeOutputSerializer(many=True)

    def get_changed_by(self, version) -> str | None:
        return None if version.by is None else str(version.by)


class VersionHistoryOutputSerializer(drf.Serializer):
    version = drf.IntegerField(help_text="The record's version now: send it with a correction.")
    versions = VersionOutputSerializer(many=True, help_text="Newest first.")


def _corrected(name: str, record) -> type[drf.Serializer]:
    return type(name, (drf.Serializer,), {"version": drf.IntegerField(), "record": record()})


ReferralCorrectedOutputSerializer = _corrected(
    "ReferralCorrectedOutputSerializer", serializers.ReferralOutputSerializer
)
ContactCorrectedOutputSerializer = _corrected(
    "ContactCorrectedOutputSerializer", serializers.ContactOutputSerializer
)
OutcomeCorrectedOutputSerializer = _corrected(
    "OutcomeCorrectedOutputSerializer", serializers.OutcomeOutputSerializer
)
SessionCorrectedOutputSerializer = _corrected(
    "SessionCorrectedOutputSerializer", serializers.SessionOutputSerializer
)


class CorrectionConflictOutputSerializer(drf.Serializer):
    detail = drf.CharField()


_CORRECTION_RESPONSES = {
    409: OpenApiResponse(
        response=CorrectionConflictOutputSerializer,
        description="The record has a newer version than the one given: read it again.",
    ),
}


# --- The doors' steps --------------------------------------------------------------------


def _found(record):
    if record is None:
        raise exceptions.NotFound
    return record


def _pk(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise exceptions.NotFound from None


def _correct(request, input_class, correct, **known) -> int:
    """Parse the body, call the correction service; its refusals as the API gives them.
    Returns the record's new version."""
    payload = input_class(data=request.data)
    payload.is_valid(raise_exception=True)
    data = dict(payload.validated_data)
    why, version = data.pop("why", ""), data.pop("version")
    if "counts" in data:
        data["counts"] = {(c["age_band"], c["gender"]): c["count"] for c in data["counts"]}
    if set(data) & set(inputs.IDENTITY_FIELDS):
        # a browser session that proved who its user is lately; a token never has
        in_session = isinstance(request.successful_authenticator, SessionAuthentication)
        if not (in_session and accounts.recently_authenticated(request)):
            raise exceptions.PermissionDenied(IDENTITY_NEEDS_SESSION)
        known["reauthenticated"] = True
    try:
        correct(actor=request.user, why=why, version=version, **known, **data)
    except PermissionDenied as refusal:
        raise exceptions.PermissionDenied(str(refusal) or None) from None
    except DjangoValidationError as refusal:
        detail = get_error_detail(refusal)
        if services.STALE in detail.get(NON_FIELD_ERRORS, []):
            raise Conflict(services.STALE) from None
        raise drf.ValidationError(
            {
                (api_settings.NON_FIELD_ERRORS_KEY if k == NON_FIELD_ERRORS else k): v
                for k, v in detail.items()
            }
        ) from None
    return version + 1


def _history(version: int, versions) -> Response:
    return Response(VersionHistoryOutputSerializer({"version": version, "versions": versions}).data)


# --- The actions, one set per record -----------------------------------------------------


class ReferralCorrections:
    @extend_schema(
        request=ReferralCorrectionInputSerializer,
        responses={200: ReferralCorrectedOutputSerializer, **_CORRECTION_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        """Correct the referral and its young person (a new version); the event and referral
        times set the 24-hour clock again."""
        referral = _found(selectors.referral_get(viewer=request.user, pk=_pk(pk)))
        if not permissions.can_work_on_referral(request.user, referral):
            raise exceptions.PermissionDenied
        version = _correct(
            request, ReferralCorrectionInputSerializer, services.referral_correct, referral=referral
        )
        referral = selectors.referral_get(viewer=request.user, pk=referral.pk) or referral
        return Response(
            {"version": version, "record": serializers.ReferralOutputSerializer(referral).data}
        )

    @extend_schema(responses=VersionHistoryOutputSerializer)
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        """The case's corrections, newest first: of the referral, its contacts and outcomes
        (as on the referral's page); `version` is the referral's."""
        referral = _found(selectors.referral_get(viewer=request.user, pk=_pk(pk)))
        history = selectors.case_history(
            viewer=request.user, referral=referral, show_identity=False
        )
        return _history(services.current_version(Kind.REFERRAL, referral.pk), history)


class ContactCorrections:
    @extend_schema(
        request=ContactCorrectionInputSerializer,
        responses={200: ContactCorrectedOutputSerializer, **_CORRECTION_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        """Correct a 1:1 contact (a new version)."""
        contact = _found(selectors.contact_get(viewer=request.user, pk=_pk(pk)))
        if not permissions.can_work_on_referral(request.user, contact.referral):
            raise exceptions.PermissionDenied
        version = _correct(
            request, ContactCorrectionInputSerializer, services.contact_correct, contact=contact
        )
        contact = selectors.contact_get(viewer=request.user, pk=contact.pk)
        return Response(
            {"version": version, "record": serializers.ContactOutputSerializer(contact).data}
        )

    @extend_schema(responses=VersionHistoryOutputSerializer)
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        contact = _found(selectors.contact_get(viewer=request.user, pk=_pk(pk)))
        history = selectors.record_history(
            viewer=request.user, kind=Kind.CONTACT, object_id=contact.pk
        )
        return _history(services.current_version(Kind.CONTACT, contact.pk), history)


class OutcomeCorrections:
    @extend_schema(
        request=OutcomeCorrectionInputSerializer,
        responses={200: OutcomeCorrectedOutputSerializer, **_CORRECTION_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        """Correct an outcome (a new version)."""
        outcome = _found(selectors.outcome_get(viewer=request.user, pk=_pk(pk)))
        if not permissions.can_work_on_referral(request.user, outcome.referral):
            raise exceptions.PermissionDenied
        version = _correct(
            request, OutcomeCorrectionInputSerializer, services.outcome_correct, outcome=outcome
        )
        outcome = selectors.outcome_get(viewer=request.user, pk=outcome.pk)
        return Response(
            {"version": version, "record": serializers.OutcomeOutputSerializer(outcome).data}
        )

    @extend_schema(responses=VersionHistoryOutputSerializer)
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        outcome = _found(selectors.outcome_get(viewer=request.user, pk=_pk(pk)))
        history = selectors.record_history(
            viewer=request.user, kind=Kind.OUTCOME, object_id=outcome.pk
        )
        return _history(services.current_version(Kind.OUTCOME, outcome.pk), history)


class SessionCorrections:
    @extend_schema(
        request=SessionCorrectionInputSerializer,
        responses={200: SessionCorrectedOutputSerializer, **_CORRECTION_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        """Correct a session (a new version); its programme stays."""
        session = _found(selectors.session_get(viewer=request.user, pk=_pk(pk)))
        if not permissions.can_record_session(request.user, session.programme):
            raise exceptions.PermissionDenied
        version = _correct(
            request, SessionCorrectionInputSerializer, services.session_correct, session=session
        )
        session = selectors.session_get(viewer=request.user, pk=session.pk)
        return Response(
            {"version": version, "record": serializers.SessionOutputSerializer(session).data}
        )

    @extend_schema(responses=VersionHistoryOutputSerializer)
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        session = _found(selectors.session_get(viewer=request.user, pk=_pk(pk)))
        history = selectors.record_history(
            viewer=request.user, kind=Kind.SESSION, object_id=session.pk
        )
        return _history(services.current_version(Kind.SESSION, session.pk), history)
