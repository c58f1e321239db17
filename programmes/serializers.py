"""API serializers: output and input apart, unique names (OpenAPI components)."""

from django.utils import timezone
from rest_framework import serializers

from programmes import yef
from programmes.models import Contact, Outcome, Programme, Referral, Session, YoungPersonIdentity


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
            "risk_factors",
            "protective_factors",
            "eligibility_override",
        ]


def _when(value, zone):
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def referral_row_output(row: dict, zone=None) -> dict:
    """ReferralOutputSerializer's fields from a list row (selectors.REFERRAL_ROW_FIELDS),
    without a serializer per row: the list's lean path (the detail uses the serializer).
    A list passes the current time zone (looked up once, not six times a row)."""
    zone = zone or timezone.get_current_timezone()
    return {
        "id": row["id"],
        "reference": row["young_person__reference"],
        "programme": row["programme_id"],
        "programme_name": row["programme__name"],
        "source": row["source"],
        "reason": row["reason"],
        "event_at": _when(row["event_at"], zone),
        "referred_at": _when(row["referred_at"], zone),
        "due_at": _when(row["due_at"], zone),
        "first_contact_at": _when(row["first_contact_at"], zone),
        "awaiting_contact": row["awaiting_contact"],
        "breached": row["breached"],
        "status": row["status"],
        "closure_reason": row["closure_reason"],
        "age_at_referral": row["age_at_referral"],
        "home_lsoa": row["lsoa__code"],
        "assigned_to": row["assigned_to__username"],
        "consent_given_by": row["consent_given_by"],
        "consent_given_at": _when(row["consent_given_at"], zone),
        "consent_withdrawn_at": _when(row["consent_withdrawn_at"], zone),
        "risk_factors": row["risk_factors"],
        "protective_factors": row["protective_factors"],
        "eligibility_override": row["eligibility_override"],
    }


class ReferralCreateInputSerializer(serializers.Serializer):
    programme = serializers.IntegerField()
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    source = serializers.ChoiceField(choices=Referral.Source.choices)
    reason = serializers.ChoiceField(choices=Referral.Reason.choices)
    event_at = serializers.DateTimeField()
    referred_at = serializers.DateTimeField(required=False)
    assigned_to = serializers.IntegerField(required=False, allow_null=True)
    gender = serializers.CharField(required=False, default="not_said")
    ethnicity = serializers.CharField(required=False, default="not_said")
    education_status = serializers.CharField(required=False, default="unknown")
    home_lsoa = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    postcode = serializers.CharField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True)
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


class ContactInputSerializer(serializers.Serializer):
    referral = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=Contact.Method.choices)
    duration_minutes = serializers.IntegerField(min_value=0, max_value=1440, default=0)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    next_step = serializers.CharField(required=False, allow_blank=True, default="")


class OutcomeOutputSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text=", ".join(Outcome.Kind.values))

    class Meta:
        model = Outcome
        fields = ["id", "referral", "kind", "achieved_on", "notes"]


class OutcomeInputSerializer(serializers.Serializer):
    referral = serializers.IntegerField()
    kind = serializers.CharField(help_text=", ".join(Outcome.Kind.values))
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
