"""Referrals and their casework: status changes, contacts, outcomes and breach notices."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programmes.clock import first_contact_text
from programmes.models.programmes import NOT_YOUR_AREA, NOT_YOUR_PROGRAMME, Programme
from programmes.models.young_people import YoungPerson
from vru.fields import EncryptedTextField
from vru.models import LSOA, Partnership


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
        BOTH = "both", "Young person and parent or carer"
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
    # consent is reconfirmed by this day (VRU_CONSENT_RECONFIRM_MONTHS after it was given,
    # unless the practitioner recorded another day); after it, consent has expired
    consent_reconfirm_by = models.DateField(null=True, blank=True)
    parental_consent_not_needed = models.TextField(
        blank=True,
        db_default="",  # rows written in raw SQL (benchmarks, COPY) need not name it
        help_text="Why a parent's or carer's consent is not needed for this young person "
        "under 13, in the practitioner's words.",
    )
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
    historical = models.BooleanField(
        default=False,
        # in the table too, so bulk loads that do not name the column (COPY, benches) work
        db_default=False,
        help_text="Imported as a record of past work (its contact target had passed long "
        "before the import): nobody is told about it, neither as new nor as a missed target. "
        "The 24-hour clock still counts it.",
    )

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
            # whatever the door, a bulk load included: the event comes first
            models.CheckConstraint(
                condition=Q(event_at__lte=models.F("referred_at")),
                name="referral_event_before_referral",
                violation_error_message="The event must be before the referral.",
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
            # the caseload order per viewer: a practitioner (assigned_to), a manager
            # (programme), an administrator (partnership); lists seek along these. The
            # columns every viewer's scope filters on, and the status (the caseload shows
            # open cases), are included, so the capped count of a list is an index-only
            # scan (no heap visits) on PostgreSQL: without the status, the caseload's count
            # read 1,500 heap pages for a practitioner at a million referrals (3.7 ms).
            models.Index(
                fields=["assigned_to", "-awaiting_contact", "due_at", "id"],
                include=["partnership", "programme", "status"],
                name="referral_assigned_due_first",
            ),
            models.Index(
                fields=["programme", "-awaiting_contact", "due_at", "id"],
                include=["partnership", "assigned_to", "status"],
                name="referral_programme_due_first",
            ),
            models.Index(
                fields=["partnership", "-awaiting_contact", "due_at", "id"],
                include=["status"],
                name="referral_due_first",
            ),
            models.Index(fields=["programme", "event_at"]),
            # the lists sorted by event or referral time (an administrator's whole
            # partnership: without these, a sorted first page read every referral), and
            # reports over a period of referral times
            models.Index(fields=["partnership", "event_at", "id"], name="referral_by_event"),
            models.Index(fields=["partnership", "referred_at", "id"], name="referral_by_referred"),
            models.Index(fields=["status", "closed_at"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.young_person_id})"

    def get_absolute_url(self) -> str:
        return reverse("programmes:referral_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        # every door that saves a referral object runs this (the bulk import writes only
        # rows its input judged with the same rules)
        errors = {}
        if self.programme_id and self.programme.partnership_id != self.partnership_id:
            errors["programme"] = NOT_YOUR_PROGRAMME
        if self.lsoa_id and self.lsoa.partnership_id != self.partnership_id:
            errors["lsoa"] = NOT_YOUR_AREA
        if errors:
            raise ValidationError(errors)

    @property
    def first_contact_clock(self) -> str:
        """ "First contact 3 h 10 min after the arrest: within 24 hours" (programmes.clock)."""
        return first_contact_text(
            event_at=self.event_at,
            due_at=self.due_at,
            first_contact_at=self.first_contact_at,
            source=self.source,
        )

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

    MAX_MINUTES = 24 * 60

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_MINUTES)]
    )
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
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=24 * 60),
                name="contact_at_most_a_day",
                violation_error_message="A contact cannot last more than 1440 minutes (24 hours).",
            )
        ]

    def __str__(self) -> str:
        return f"Contact {self.occurred_at:%Y-%m-%d %H:%M}"


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
    """One per breached referral: the sweep creates it once, and puts it (once) into the
    digest of each of the programme's managers (programmes.models.NoticeDigest)."""

    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="breach_notification"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    digested_at = models.DateTimeField(
        null=True, blank=True, help_text="When a sweep put it into its recipients' digests."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # the sweep claims the breaches not yet digested, oldest first
            models.Index(
                fields=["id"],
                condition=models.Q(digested_at__isnull=True),
                name="breach_notice_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"Breach of referral {self.referral_id}"


CONSENT_REMIND_DAYS = 28  # "Reconfirm consent by ..." shows this many days before the day


def consent_tag(
    *, given_by: str, withdrawn_at, reconfirm_by: date | None, today: date
) -> tuple[str, str] | None:
    """(words, GOV.UK tag colour) of a consent that has expired or is soon to, for the
    caseload's rows and the referral page alike; None when there is nothing to say."""
    if not given_by or withdrawn_at is not None or reconfirm_by is None:
        return None
    if reconfirm_by < today:
        return "Consent expired", "red"
    if (reconfirm_by - today).days <= CONSENT_REMIND_DAYS:
        return f"Reconfirm consent by {reconfirm_by.day} {reconfirm_by:%b %Y}", "yellow"
    return None
