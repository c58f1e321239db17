"""Programmes, young people, referrals, contacts, sessions and outcomes.

Personal data: a young person's identity (name, date of birth, address, contact details) lives
in YoungPersonIdentity, apart from the pseudonymous YoungPerson everyone works with. Every
record belongs to exactly one partnership (directly or through its programme).
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.urls import reverse

from vru.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField, blind_index
from vru.models import LSOA, LocalAuthority, Partnership, PreventionStage, Recommendation

# The documented default retention: a closed case is anonymised six years after closure
# (the period most youth-justice partners keep case records; each programme may change it).
DEFAULT_RETENTION_MONTHS = 72


class Programme(models.Model):
    class Kind(models.TextChoices):
        REFERRAL_CASELOAD = "referral", "Referral caseload"
        DETACHED = "detached", "Detached / outreach"
        GROUP = "group", "Group or school programme"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    delivering_organisation = models.CharField(max_length=200, blank=True)
    prevention_stage = models.CharField(max_length=10, choices=PreventionStage.choices, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REFERRAL_CASELOAD)
    referral_target_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Hours from the event (e.g. arrest) to first contact."
    )
    min_age = models.PositiveSmallIntegerField(default=10)
    max_age = models.PositiveSmallIntegerField(default=25)
    eligible_reasons = models.JSONField(default=list, blank=True)
    eligible_local_authorities = models.ManyToManyField(
        LocalAuthority, blank=True, related_name="+"
    )
    target_lsoas = models.ManyToManyField(
        LSOA,
        blank=True,
        related_name="+",
        help_text="Priority neighbourhoods; by default those in IMD decile 1.",
    )
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="+")
    risk_factors = models.JSONField(default=list, blank=True)
    protective_factors = models.JSONField(default=list, blank=True)
    yef_approach = models.CharField(
        "YEF toolkit approach", max_length=100, blank=True, help_text="From the YEF toolkit."
    )
    budget = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    retention_months = models.PositiveSmallIntegerField(default=DEFAULT_RETENTION_MONTHS)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ProgrammeStaff", related_name="programmes"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="programme_name_unique"),
            models.CheckConstraint(
                condition=Q(min_age__lte=models.F("max_age")), name="programme_age_range"
            ),
            models.CheckConstraint(
                condition=Q(referral_target_hours__gt=0), name="programme_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme_detail", kwargs={"pk": self.pk})

    @property
    def yef(self):
        from programmes import yef

        return yef.approach(self.yef_approach)


class ProgrammeStaff(models.Model):
    class StaffRole(models.TextChoices):
        MANAGER = "manager", "Manager"
        PRACTITIONER = "practitioner", "Practitioner"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_memberships"
    )
    role = models.CharField(max_length=12, choices=StaffRole.choices)

    class Meta:
        ordering = ["programme", "user"]
        verbose_name_plural = "programme staff"
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="programme_staff_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.programme} ({self.get_role_display()})"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Other"
    NOT_SAID = "not_said", "Prefer not to say"


class Ethnicity(models.TextChoices):
    # ONS 2021 census high-level groups
    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or Multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_SAID = "not_said", "Prefer not to say"


class EducationStatus(models.TextChoices):
    SCHOOL = "school", "In school"
    COLLEGE = "college", "In college or training"
    EMPLOYED = "employed", "In employment"
    EXCLUDED = "excluded", "Excluded or in alternative provision"
    NEET = "neet", "Not in education, employment or training"
    UNKNOWN = "unknown", "Not known"


class YoungPerson(models.Model):
    """The pseudonymous record everyone works with: no name, no date of birth."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=20, unique=True)
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_SAID)
    ethnicity = models.CharField(
        max_length=12, choices=Ethnicity.choices, default=Ethnicity.NOT_SAID
    )
    home_lsoa = models.ForeignKey(
        LSOA, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    education_status = models.CharField(
        max_length=10, choices=EducationStatus.choices, default=EducationStatus.UNKNOWN
    )
    possible_duplicates = models.ManyToManyField("self", blank=True, symmetrical=True)
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name_plural = "young people"

    def __str__(self) -> str:
        return self.reference


class YoungPersonIdentity(models.Model):
    """Who the young person is. Shown only to those allowed; every read is audited."""

    young_person = models.OneToOneField(
        YoungPerson, on_delete=models.CASCADE, related_name="identity"
    )
    # encrypted at rest (vru.fields): never filter on these; use match_index
    first_name = EncryptedCharField(max_length=100)
    last_name = EncryptedCharField(max_length=100)
    date_of_birth = EncryptedDateField()
    address = EncryptedTextField(blank=True)
    postcode = EncryptedCharField(max_length=10, blank=True)
    phone = EncryptedCharField(max_length=30, blank=True)
    email = EncryptedCharField(max_length=254, blank=True, validators=[validate_email])
    # blind index of (first name, last name, date of birth): the possible-duplicate key,
    # matched within a partnership without decrypting
    match_index = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name_plural = "young person identities"

    def __str__(self) -> str:
        return f"Identity of {self.young_person_id}"

    @staticmethod
    def index_for(first_name: str, last_name: str, date_of_birth) -> str:
        return blind_index(first_name, last_name, date_of_birth)


class Referral(models.Model):
    class Source(models.TextChoices):
        CUSTODY = "custody", "Police custody"
        SCHOOL = "school", "School"
        HOSPITAL = "hospital", "A&E / hospital"
        SOCIAL_CARE = "social_care", "Children's social care"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        SELF = "self", "Self / family"
        COMMUNITY = "community", "Community"

    class Reason(models.TextChoices):
        KNIFE = "knife", "Knife possession"
        DRUG_POSSESSION = "drug_possession", "Drug possession"
        DRUG_SUPPLY = "drug_supply", "Drug supply"
        VIOLENCE = "violence", "Violence"
        EXPLOITATION = "exploitation", "Criminal exploitation / county lines concern"
        MISSING = "missing", "Missing episodes"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        CONTACTED = "contacted", "Contacted"
        ENGAGED = "engaged", "Engaged"
        CLOSED = "closed", "Closed"

    class ClosureReason(models.TextChoices):
        COMPLETED = "completed", "Completed"
        DECLINED = "declined", "Declined"
        DISENGAGED = "disengaged", "Disengaged"
        MOVED = "moved", "Moved away"
        ESCALATED = "escalated", "Escalated to statutory services"

    class ConsentBy(models.TextChoices):
        YOUNG_PERSON = "young_person", "Young person"
        PARENT = "parent", "Parent or carer"
        NOT_GIVEN = "", "Not yet given"

    # FKs whose lookups a composite index below already serves carry no index of their own
    # (fewer indexes to maintain on bulk loads)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="referrals", db_index=False
    )
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="referrals"
    )
    source = models.CharField(max_length=14, choices=Source.choices)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    event_at = models.DateTimeField(help_text="When the event (e.g. arrest) happened.")
    referred_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="Event time plus the programme's target hours.")
    first_contact_at = models.DateTimeField(null=True, blank=True)
    # True while the clock runs: no first contact yet and not closed ("due first" ordering).
    # Kept by the services; a constraint keeps it equal to what it summarises.
    awaiting_contact = models.BooleanField(default=True, editable=False)
    consent_given_by = models.CharField(max_length=12, choices=ConsentBy.choices, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
        db_index=False,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    closure_reason = models.CharField(max_length=10, choices=ClosureReason.choices, blank=True)
    status_changed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    age_at_referral = models.PositiveSmallIntegerField(null=True, blank=True)
    lsoa = models.ForeignKey(
        LSOA,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        help_text="Home neighbourhood at referral (kept for aggregates after anonymisation).",
    )
    risk_factors = models.JSONField(default=list, blank=True)
    protective_factors = models.JSONField(default=list, blank=True)
    eligibility_override = models.TextField(
        blank=True,
        help_text="Why a manager accepted this referral outside the programme's eligibility "
        "(reasons or areas).",
    )
    from_detached_contact = models.OneToOneField(
        "DetachedContact", on_delete=models.PROTECT, null=True, blank=True, related_name="referral"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="closed") & ~Q(closure_reason="") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(closure_reason="")),
                name="referral_closure_reason_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["received", "contacted", "engaged", "closed"]),
                name="referral_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(awaiting_contact=True, first_contact_at__isnull=True) & ~Q(status="closed")
                )
                | (
                    Q(awaiting_contact=False)
                    & (Q(first_contact_at__isnull=False) | Q(status="closed"))
                ),
                name="referral_awaiting_contact_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_to", "-awaiting_contact", "due_at", "id"]),
            models.Index(fields=["programme", "-awaiting_contact", "due_at", "id"]),
            # the caseload order per viewer: a practitioner (assigned_to), a manager
            # (programme), an administrator (partnership); lists seek along these
            models.Index(
                fields=["partnership", "-awaiting_contact", "due_at", "id"],
                name="referral_due_first",
            ),
            models.Index(fields=["programme", "event_at"]),
            models.Index(fields=["status", "closed_at"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.young_person_id})"

    def get_absolute_url(self) -> str:
        return reverse("programmes:referral_detail", kwargs={"pk": self.pk})

    @staticmethod
    def due_for(event_at, target_hours: int):
        return event_at + timedelta(hours=target_hours)

    # The 24-hour clock, defined once (the sweep, the lists, compliance and the dashboard
    # all use these two): met when the first contact came by the due time; breached when it
    # came later, or when none came by the due time and the case was still open then (a
    # referral closed before its due time without contact has no clock result at all).
    @staticmethod
    def met_q() -> Q:
        return Q(first_contact_at__lte=models.F("due_at"))

    @staticmethod
    def breached_q(now) -> Q:
        return Q(first_contact_at__gt=models.F("due_at")) | (
            Q(first_contact_at__isnull=True, due_at__lt=now)
            & (Q(closed_at__isnull=True) | Q(closed_at__gt=models.F("due_at")))
        )


# The status flow, in one place: services.referral_status_change enforces it.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Referral.Status.RECEIVED: frozenset({Referral.Status.CONTACTED, Referral.Status.CLOSED}),
    Referral.Status.CONTACTED: frozenset({Referral.Status.ENGAGED, Referral.Status.CLOSED}),
    Referral.Status.ENGAGED: frozenset({Referral.Status.CLOSED}),
    Referral.Status.CLOSED: frozenset(),
}


class StatusChange(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Referral.Status.choices)
    closure_reason = models.CharField(
        max_length=10, choices=Referral.ClosureReason.choices, blank=True
    )
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} -> {self.to_status}"


class Contact(models.Model):
    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video call"
        MESSAGE = "message", "Text or message"
        HOME_VISIT = "home_visit", "Home visit"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=0)
    method = models.CharField(max_length=10, choices=Method.choices)
    # Case notes can hold safeguarding detail about a child: encrypted at rest like identity.
    notes = EncryptedTextField(blank=True)
    next_step = EncryptedTextField(blank=True, max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["referral", "occurred_at"])]

    def __str__(self) -> str:
        return f"Contact {self.occurred_at:%Y-%m-%d %H:%M}"


class AgeBand(models.TextChoices):
    UNDER_10 = "u10", "Under 10"
    AGE_10_13 = "10-13", "10 to 13"
    AGE_14_17 = "14-17", "14 to 17"
    AGE_18_24 = "18-24", "18 to 24"
    OVER_24 = "25+", "25 and over"


class Session(models.Model):
    """A group or detached (street-based) session: anonymous counts, optional names."""

    class Kind(models.TextChoices):
        GROUP = "group", "Group session"
        DETACHED = "detached", "Detached session"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField()
    place = models.CharField(max_length=200)
    lsoa = models.ForeignKey(
        LSOA, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    attendees = models.ManyToManyField(YoungPerson, blank=True, related_name="sessions")
    issues_raised = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:session_detail", kwargs={"pk": self.pk})


class SessionCount(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="counts")
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    gender = models.CharField(max_length=12, choices=Gender.choices)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["session", "age_band", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "age_band", "gender"], name="session_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.gender} {self.age_band}"


class DetachedContact(models.Model):
    """An anonymous conversation on a detached session; may later become a referral."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="detached_contacts")
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    gender = models.CharField(max_length=12, choices=Gender.choices)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return f"Detached contact {self.pk}"


class Outcome(models.Model):
    class Kind(models.TextChoices):
        EET = "eet", "Re-engaged in education, training or employment"
        DIVERTED = "diverted", "Diverted from arrest"
        NO_ARREST_6M = "no_arrest_6m", "No further arrest recorded at 6 months"
        NO_ARREST_12M = "no_arrest_12m", "No further arrest recorded at 12 months"
        ONWARD = "onward", "Onward referral"
        SAFETY_PLAN = "safety_plan", "Safety plan in place"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    achieved_on = models.DateField()
    notes = EncryptedTextField(blank=True)  # safeguarding detail: encrypted at rest
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["achieved_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "kind"], name="outcome_kind_once")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class BreachNotification(models.Model):
    """One per breached referral: the sweep creates it once, a task emails the managers."""

    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="breach_notification"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Breach of referral {self.referral_id}"


class RetentionRun(models.Model):
    """What a retention sweep did: the auditable record of anonymisation."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ran_at = models.DateTimeField()
    referrals_anonymised = models.PositiveIntegerField(default=0)
    young_people_anonymised = models.PositiveIntegerField(default=0)
    referral_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"Retention run {self.ran_at:%Y-%m-%d}"
