"""The rights forms only parse; the services judge (rights.services)."""

from django import forms

from rights.models import SubjectAccessRequest
from vru.forms import GovukDateField, GovukForm

Request = SubjectAccessRequest


class RequestForm(GovukForm):
    kind = forms.ChoiceField(
        choices=Request.Kind.choices, label="What is asked", widget=forms.RadioSelect
    )
    reference = forms.CharField(
        max_length=20,
        label="Young person's reference",
        help_text="The pseudonymous reference on their case, for example YP-1A2B34.",
    )
    requester_name = forms.CharField(max_length=200, label="Name of the person asking")
    relationship = forms.ChoiceField(
        choices=[("", "Choose"), *Request.Relationship.choices],
        label="Their relationship to the young person",
    )
    identity_check = forms.ChoiceField(
        choices=[("", "Choose"), *Request.IdentityCheck.choices],
        label="How identity was checked",
    )
    identity_check_notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Identity check: details (optional unless 'Other')",
    )
    details = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What was asked for (optional)",
        help_text="For a correction, what is wrong and what it should say.",
    )
    received_on = GovukDateField(label="Date received", help_text="For example, 3 12 2026")


class ExtendForm(GovukForm):
    months = forms.TypedChoiceField(
        choices=[("1", "1 month"), ("2", "2 months")],
        coerce=int,
        label="Extend by",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why it needs longer",
        help_text="The ICO allows up to two more months for a complex request or many requests.",
    )


class FinishForm(GovukForm):
    status = forms.ChoiceField(
        choices=[(Request.Status.REFUSED, "Refuse it"), (Request.Status.CLOSED, "Close it")],
        label="What to do",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
        help_text="Recorded on the request; the requester is told it.",
    )


class RedactForm(GovukForm):
    span = forms.CharField(
        required=False,
        max_length=500,
        label="Words to redact (leave empty to redact the whole item)",
        help_text="Every occurrence in this item is replaced with [redacted].",
    )
    reason = forms.CharField(
        max_length=500,
        label="Reason for the redaction",
        error_messages={"required": "Enter why this is redacted"},
    )
