"""The correction pages' forms: each record's own form (programmes.forms), filled with what
is saved, without what is not corrected here, with why and the version it was loaded at. They
parse; the record's input judges (programmes.inputs.corrections)."""

from django import forms

from programmes import inputs
from programmes.forms import ContactForm, OutcomeForm, ReferralForm, SessionForm
from programmes.models import Programme
from vru.models import User

REASON_HINT = (
    "For example, the address was typed wrongly. Whoever can see this record will see what "
    "you write in its version history."
)


def _correction_fields(form, *, version: int) -> None:
    form.fields["why"] = forms.CharField(
        label="Why are you making this change?",
        help_text=REASON_HINT,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the service refuses it empty, in its words
    )
    # the version the page was loaded at: the service refuses a save over a newer one
    form.fields["version"] = forms.IntegerField(
        widget=forms.HiddenInput, initial=version, required=False
    )
    form.error_names = {**form.error_names, "why": "why you are making this change"}


def _correction_judged(form, correct) -> dict:
    """The record's correction judged by its input (programmes.inputs.corrections): the
    same refusals, in the same words, as the service gives."""
    cleaned = form.cleaned_data
    changes = {k: v for k, v in cleaned.items() if k in form.correctable}
    _, errors = correct(changes)
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)
    if cleaned.get("version") is None:
        form.add_error(None, "Reload the page, then make your change again.")
    if not (cleaned.get("why") or "").strip() and "why" not in form.errors:
        form.add_error("why", "Enter why you are making this change")
    return cleaned


class ReferralCorrectionForm(ReferralForm):
    """The referral form without its programme (a case stays with its programme), without
    the assignee unless the user may assign the case (`staff`: whom to), and without the
    identity unless the user may change it now (a recent password). A corrected event or
    referral time sets the 24-hour clock again."""

    def __init__(self, *args, referral, identity, version, actor, with_identity, **kwargs):
        # the referral's own programme; an assignee only from the staff the door gives
        kwargs["programmes"] = Programme.objects.filter(pk=referral.programme_id)
        staff = kwargs.pop("staff", None)
        kwargs["staff"] = staff if staff is not None else User.objects.none()
        kwargs["may_override"] = kwargs.get("may_override") or bool(referral.eligibility_override)
        super().__init__(*args, actor=actor, **kwargs)
        kept = set(inputs.REFERRAL_CORRECTABLE) - (
            set() if with_identity else set(inputs.IDENTITY_FIELDS)
        )
        if staff is None:
            kept.discard("assigned_to")
        for name in list(self.fields):
            if name not in kept:
                del self.fields[name]
        self.correctable = set(self.fields)
        self.referral, self.identity, self.actor = referral, identity, actor
        _correction_fields(self, version=version)

    @staticmethod
    def initial_for(referral, identity) -> dict:
        values = inputs.referral_saved(referral, identity)
        values["home_lsoa"] = referral.lsoa.code if referral.lsoa_id else ""
        for name in ("risk_factors", "protective_factors"):
            values[name] = "\n".join(values[name])
        return values

    def clean(self):
        return _correction_judged(
            self,
            lambda changes: inputs.correct_referral(
                self.referral, self.identity, changes, actor=self.actor
            ),
        )


class ContactCorrectionForm(ContactForm):
    def __init__(self, *args, contact, version, **kwargs):
        kwargs["referral"] = contact.referral
        super().__init__(*args, **kwargs)
        self.contact = contact
        self.correctable = set(inputs.CONTACT_CORRECTABLE)
        _correction_fields(self, version=version)

    def clean(self):
        return _correction_judged(
            self, lambda changes: inputs.correct_contact(self.contact, changes)
        )


class OutcomeCorrectionForm(OutcomeForm):
    def __init__(self, *args, outcome, version, **kwargs):
        kwargs["referral"] = outcome.referral
        super().__init__(*args, **kwargs)
        self.outcome = outcome
        self.correctable = set(inputs.OUTCOME_CORRECTABLE)
        _correction_fields(self, version=version)

    def clean(self):
        return _correction_judged(
            self, lambda changes: inputs.correct_outcome(self.outcome, changes)
        )


class SessionCorrectionForm(SessionForm):
    """The session form without its programme (a session stays with its programme)."""

    def __init__(self, *args, session, version, **kwargs):
        kwargs["programmes"] = Programme.objects.filter(pk=session.programme_id)
        super().__init__(*args, **kwargs)
        del self.fields["programme"]
        self.session = session
        self.correctable = set(inputs.SESSION_CORRECTABLE)
        _correction_fields(self, version=version)

    @staticmethod
    def initial_for(session) -> dict:
        values = inputs.session_saved(session)
        values["lsoa"] = session.lsoa.code if session.lsoa_id else ""
        for (band, gender), count in values.pop("counts").items():
            values[f"count_{band}_{gender}"] = count
        return values

    def clean(self):
        cleaned = self.cleaned_data
        cleaned["counts"] = self.counts()
        return _correction_judged(
            self, lambda changes: inputs.correct_session(self.session, changes)
        )
