"""API serializers: output and input apart, unique names (OpenAPI components)."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from rest_framework import serializers
from rest_framework.fields import SkipField, empty
from rest_framework.settings import api_settings

from programmes import inputs, yef
from programmes.clock import first_contact_text
from programmes.models import (
    Contact,
    EducationStatus,
    Ethnicity,
    Gender,
    Outcome,
    Programme,
    Referral,
    Session,
    YoungPersonIdentity,
)
from vru.rows import ListDateTimeField, RowOutputSerializer


class ProgrammeOutputSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="referral, detached or group")
    yef_impact = serializers.SerializerMethodField()
    yef_harmful = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "description",
            "delivering_organisation",
            "prevention_stage",
            "kind",
            "referral_target_hours",
            "min_age",
            "max_age",
            "eligible_reasons",
            "risk_factors",
            "protective_factors",
            "yef_approach",
            "yef_impact",
            "yef_harmful",
            "budget",
            "starts_on",
            "ends_on",
            "retention_months",
        ]

    def get_yef_impact(self, programme) -> str:
        return programme.yef.impact_band if programme.yef else ""

    def get_yef_harmful(self, programme) -> bool:
        return yef.is_harmful(programme.yef_approach)


class ReferralOutputSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="young_person.reference")
    programme_name = serializers.CharField(source="programme.name")
    assigned_to = serializers.CharField(
        source="assigned_to.username", default=None, allow_null=True
    )
    home_lsoa = serializers.CharField(source="lsoa.code", default=None, allow_null=True)
    breached = serializers.BooleanField(read_only=True)
    awaiting_contact = serializers.BooleanField(read_only=True)
    first_contact_clock = serializers.CharField(
        read_only=True,
        help_text='The first contact against the target, in words: "First contact 3 h 10 min '
        'after the arrest: within 24 hours"; empty before the first contact.',
    )
    status = serializers.CharField(help_text="received, contacted, engaged or closed")

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "programme",
            "programme_name",
            "source",
            "reason",
            "event_at",
            "referred_at",
            "due_at",
            "first_contact_at",
            "first_contact_clock",
            "awaiting_contact",
            "breached",
            "status",
            "closure_reason",
            "age_at_referral",
            "home_lsoa",
            "assigned_to",
            "consent_given_by",
            "consent_given_at",
            "consent_withdrawn_at",
            "consent_reconfirm_by",
            "parental_consent_not_needed",
            "risk_factors",
            "protective_factors",
            "eligibility_override",
        ]


def _clock(row) -> str | None:
    return first_contact_text(
        event_at=row["event_at"],
        due_at=row["due_at"],
        first_contact_at=row["first_contact_at"],
        source=row["source"],
    )


class _ListClockField(serializers.Field):
    """Referral.first_contact_clock, from a list row's times and source (programmes.clock)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    @staticmethod
    def writer(zone):
        return _clock

    def to_representation(self, row):
        return _clock(row)


class ReferralRowOutputSerializer(RowOutputSerializer):
    """ReferralOutputSerializer's output, read from a list row: a dict from `.values()`
    whose keys are the fields' sources (`row_fields`), so a page is one query with no model
    instance per row (vru.rows). Every value but the times is written as the database gives
    it; the times as DateTimeField writes them. The list's test holds this equal to the full
    serializer for the same records."""

    id = serializers.ReadOnlyField()
    reference = serializers.ReadOnlyField(source="young_person__reference")
    programme = serializers.ReadOnlyField(source="programme_id")
    programme_name = serializers.ReadOnlyField(source="programme__name")
    source = serializers.ReadOnlyField()
    reason = serializers.ReadOnlyField()
    event_at = ListDateTimeField()
    referred_at = ListDateTimeField()
    due_at = ListDateTimeField()
    first_contact_at = ListDateTimeField()
    first_contact_clock = _ListClockField()
    awaiting_contact = serializers.ReadOnlyField()
    breached = serializers.ReadOnlyField()
    status = serializers.ReadOnlyField()
    closure_reason = serializers.ReadOnlyField()
    age_at_referral = serializers.ReadOnlyField()
    home_lsoa = serializers.ReadOnlyField(source="lsoa__code")
    assigned_to = serializers.ReadOnlyField(source="assigned_to__username")
    consent_given_by = serializers.ReadOnlyField()
    consent_given_at = ListDateTimeField()
    consent_withdrawn_at = ListDateTimeField()
    consent_reconfirm_by = serializers.ReadOnlyField()
    parental_consent_not_needed = serializers.ReadOnlyField()
    risk_factors = serializers.ReadOnlyField()
    protective_factors = serializers.ReadOnlyField()
    eligibility_override = serializers.ReadOnlyField()


class JudgedInputSerializer(serializers.Serializer):
    """An API body for a record written from more than one door: the fields parse the JSON
    (types, formats); whether a value is needed, its length and every other rule are the
    record's input's (programmes.inputs), so the API refuses what every other door refuses,
    in the same words, every problem at once. The view passes `judge` in the context: the
    input's check, bound to what the caller may use (their programmes, the referral)."""

    required_messages: dict = {}
    unknown_messages: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.unknown_messages:
                field.error_messages["invalid_choice"] = self.unknown_messages[name].replace(
                    "%(value)s", "{input}"
                )

    def to_internal_value(self, data):
        values, refused = {}, {}
        for field in self._writable_fields:
            name = field.field_name
            raw = field.get_value(data)
            if name in self.required_messages and (raw is empty or raw is None or raw == ""):
                # the door's default if it has one; if not, the input says it is needed
                values[name] = None if field.default is empty else field.get_default()
                continue
            try:
                values[name] = field.run_validation(raw)
            except serializers.ValidationError as refusal:
                refused[name] = refusal.detail
            except SkipField:
                pass
        judged, errors = self.context["judge"](values, skip=set(refused))
        errors = {**refused, **errors}
        if errors:
            raise serializers.ValidationError(
                {
                    (api_settings.NON_FIELD_ERRORS_KEY if k == NON_FIELD_ERRORS else k): v
                    for k, v in errors.items()
                }
            )
        return {**values, **{k: v for k, v in judged.items() if k == "programme"}}


class ReferralCreateInputSerializer(JudgedInputSerializer):
    required_messages = inputs.REFERRAL_REQUIRED
    unknown_messages = inputs.REFERRAL_UNKNOWN

    programme = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField()
    source = serializers.ChoiceField(choices=Referral.Source.choices)
    reason = serializers.ChoiceField(choices=Referral.Reason.choices)
    event_at = serializers.DateTimeField()
    referred_at = serializers.DateTimeField(
        required=False, default=timezone.now, help_text="Default: now."
    )
    assigned_to = serializers.IntegerField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, default="not_said")
    ethnicity = serializers.ChoiceField(
        choices=Ethnicity.choices, required=False, default="not_said"
    )
    education_status = serializers.ChoiceField(
        choices=EducationStatus.choices, required=False, default="unknown"
    )
    home_lsoa = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    postcode = serializers.CharField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.CharField(required=False, allow_blank=True, default="")
    consent_given_by = serializers.ChoiceField(
        choices=Referral.ConsentBy.choices, required=False, allow_blank=True, default=""
    )
    consent_given_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    consent_reconfirm_by = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Default: the partnership's reconfirmation period after consent was given.",
    )
    parental_consent_not_needed = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Under 13s who consented without a parent or carer: why a parent's or "
        "carer's consent is not needed.",
    )
    risk_factors = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    protective_factors = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    eligibility_override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Managers only: why a referral outside the programme's reasons or areas "
        "is accepted.",
    )


class ReferralIdentityOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = YoungPersonIdentity
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "address",
            "postcode",
            "phone",
            "email",
        ]


class ReferralStatusInputSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Referral.Status.choices)
    closure_reason = serializers.ChoiceField(
        choices=Referral.ClosureReason.choices, required=False, allow_blank=True
    )


class ContactOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = [
            "id",
            "referral",
            "occurred_at",
            "duration_minutes",
            "method",
            "notes",
            "next_step",
        ]


class ContactInputSerializer(JudgedInputSerializer):
    required_messages = inputs.CONTACT_REQUIRED
    unknown_messages = inputs.CONTACT_UNKNOWN

    referral = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=Contact.Method.choices)
    duration_minutes = serializers.IntegerField(
        default=0, help_text=f"0 to {Contact.MAX_MINUTES} (a day)."
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    next_step = serializers.CharField(required=False, allow_blank=True, default="")


class OutcomeOutputSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text=", ".join(Outcome.Kind.values))

    class Meta:
        model = Outcome
        fields = ["id", "referral", "kind", "achieved_on", "notes"]


class OutcomeInputSerializer(JudgedInputSerializer):
    required_messages = inputs.OUTCOME_REQUIRED
    unknown_messages = inputs.OUTCOME_UNKNOWN

    referral = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Outcome.Kind.choices)
    achieved_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class SessionOutputSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name")
    kind = serializers.CharField(help_text="group or detached")
    lsoa = serializers.CharField(source="lsoa.code", default=None, allow_null=True)
    young_people = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "programme",
            "programme_name",
            "kind",
            "held_on",
            "place",
            "lsoa",
            "young_people",
            "issues_raised",
        ]
