"""API serializers: output and input apart, unique names (OpenAPI components)."""

from rest_framework import serializers

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
        return bool(programme.yef and programme.yef.is_harmful)


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
        ]


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
