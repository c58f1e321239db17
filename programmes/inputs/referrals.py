"""A referral of a young person to a programme: its fields and rules at every door."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from programmes import permissions
from programmes.inputs.common import (
    NOT_STAFF,
    Errors,
    Judged,
    _add,
    _choices,
    _given,
    _max,
    _moments,
    _texts,
    age_on,
    unknown_choice,
)
from programmes.inputs.consent import check_consent
from programmes.inputs.eligibility import Eligibility
from programmes.models import (
    EducationStatus,
    Ethnicity,
    Gender,
    Programme,
    ProgrammeStaff,
    Referral,
    YoungPersonIdentity,
)
from programmes.models.programmes import NOT_YOUR_AREA, NOT_YOUR_PROGRAMME
from vru.models import LSOA, User

REFERRAL_TEXTS = {
    # name: (what it is, its longest, the refusal when missing: None if it may be)
    "first_name": (
        "the first name",
        _max(YoungPersonIdentity, "first_name"),
        "Enter the young person's first name",
    ),
    "last_name": (
        "the last name",
        _max(YoungPersonIdentity, "last_name"),
        "Enter the young person's last name",
    ),
    "address": ("the address", None, None),
    "postcode": ("the postcode", _max(YoungPersonIdentity, "postcode"), None),
    "phone": ("the phone number", _max(YoungPersonIdentity, "phone"), None),
    "email": ("the email address", _max(YoungPersonIdentity, "email"), None),
}
REFERRAL_CHOICES = {
    # name: (the keys, the refusal when missing, what an unknown value is, the default)
    "source": (
        frozenset(Referral.Source.values),
        "Select where the referral came from",
        "source",
        None,
    ),
    "reason": (
        frozenset(Referral.Reason.values),
        "Select the reason for the referral",
        "reason",
        None,
    ),
    "gender": (frozenset(Gender.values), "", "gender", Gender.NOT_SAID),
    "ethnicity": (frozenset(Ethnicity.values), "", "ethnicity", Ethnicity.NOT_SAID),
    "education_status": (
        frozenset(EducationStatus.values),
        "",
        "education status",
        EducationStatus.UNKNOWN,
    ),
    "consent_given_by": (frozenset(Referral.ConsentBy.values), "", "consent given by", ""),
}
REFERRAL_MOMENTS = {
    "date_of_birth": ("The date of birth", "Enter date of birth"),
    "event_at": ("The event time", "Enter when the event happened"),
    "referred_at": ("The referral time", "Enter when the referral was made"),
    "consent_given_at": ("The consent time", None),
}
# what a referral is, field by field: no door carries a field outside it (test_doors)
REFERRAL_FIELDS = (
    "programme",
    *REFERRAL_TEXTS,
    *REFERRAL_CHOICES,
    *REFERRAL_MOMENTS,
    "home_lsoa",
    "assigned_to",
    "risk_factors",
    "protective_factors",
    "eligibility_override_reason",
    "consent_reconfirm_by",
    "parental_consent_not_needed",
)
# the refusal of a value that is not among the choices (a door's own choice field says the same)
REFERRAL_UNKNOWN = {
    **{name: unknown_choice(spec[2]) for name, spec in REFERRAL_CHOICES.items()},
    "programme": NOT_YOUR_PROGRAMME,
    "assigned_to": NOT_STAFF,
}
REFERRAL_REQUIRED = {
    "programme": "Select programme",
    **{name: spec[2] for name, spec in REFERRAL_TEXTS.items() if spec[2]},
    **{name: spec[1] for name, spec in REFERRAL_CHOICES.items() if spec[3] is None},
    **{name: spec[1] for name, spec in REFERRAL_MOMENTS.items() if spec[1]},
}


class _ProgrammeRules:
    """What judging a referral to one programme needs, looked up once: its eligibility, its
    staff (by id and by username) and, for a file, every neighbourhood of the partnership."""

    def __init__(self, programme: Programme):
        self.programme = programme
        self.eligibility = Eligibility.of(programme)
        self._staff: dict | None = None
        self._lsoas: dict[str, tuple[int, int] | None] = {}
        self._all_lsoas = False

    def preload(self) -> None:
        """For a file: every lookup now, none a row."""
        self.staff_id(None)
        self._lsoas = {
            code: (pk, authority)
            for code, pk, authority in LSOA.objects.filter(
                partnership_id=self.programme.partnership_id
            ).values_list("code", "pk", "local_authority_id")
        }
        self._all_lsoas = True

    def staff_id(self, who) -> int | None:
        if self._staff is None:
            self._staff = {}
            for user_id, username in ProgrammeStaff.objects.filter(
                programme=self.programme
            ).values_list("user_id", "user__username"):
                self._staff[user_id] = self._staff[username] = user_id
        if isinstance(who, User):
            who = who.pk
        return self._staff.get(who)

    def lsoa(self, given) -> tuple[int, int] | None:
        """(id, local authority id) of a neighbourhood of the programme's partnership."""
        if isinstance(given, LSOA):
            if given.partnership_id != self.programme.partnership_id:
                return None
            return given.pk, given.local_authority_id
        code = str(given).strip().upper()
        if code not in self._lsoas and not self._all_lsoas:
            found = (
                LSOA.objects.filter(partnership_id=self.programme.partnership_id, code=code)
                .values_list("pk", "local_authority_id")
                .first()
            )
            self._lsoas[code] = found
        return self._lsoas.get(code)


class ReferralInput:
    """A referral of a young person to a programme.

    Values: programme (a Programme or its id), first_name, last_name, date_of_birth (a date),
    source, reason, gender, ethnicity, education_status, consent_given_by (choice keys),
    event_at, referred_at, consent_given_at (aware datetimes), home_lsoa (an LSOA or its code),
    address, postcode, phone, email, assigned_to (a User, a user id or a username),
    risk_factors, protective_factors (lists of text), eligibility_override_reason,
    consent_reconfirm_by (a date), parental_consent_not_needed (programmes.inputs.consent).

    `programmes`: those the door offers (the viewer's); or `programme`: the one a file or a
    direct call is for. `actor`: who refers (whether they may accept a referral outside the
    eligibility); `overridable=False` for a file, which has no override. `carried`: the
    fields this door can carry at all (a custody file's columns), when not all of them: the
    others are not given (their defaults), and are not looked for on every row.
    """

    def __init__(
        self,
        *,
        programmes=None,
        programme: Programme | None = None,
        actor: User | None = None,
        overridable: bool = True,
        now: datetime | None = None,
        carried: Iterable[str] | None = None,
    ):
        self.programmes = programmes
        self.actor = actor
        self.overridable = overridable
        carried = set(REFERRAL_FIELDS if carried is None else carried)
        self._texts = {k: v for k, v in REFERRAL_TEXTS.items() if k in carried}
        self._choices = {k: v for k, v in REFERRAL_CHOICES.items() if k in carried}
        self._moments = {k: v for k, v in REFERRAL_MOMENTS.items() if k in carried}
        self._lists = [k for k in ("risk_factors", "protective_factors") if k in carried]
        # what a field not carried is: required ones are still refused when missing
        missing: Errors = {}
        self._not_carried = Judged({"risk_factors": (), "protective_factors": ()})
        _texts(
            {},
            missing,
            {k: v for k, v in REFERRAL_TEXTS.items() if k not in carried},
            self._not_carried,
            (),
        )
        _choices(
            {},
            missing,
            {k: v for k, v in REFERRAL_CHOICES.items() if k not in carried},
            self._not_carried,
            (),
        )
        _moments(
            {},
            missing,
            {k: v for k, v in REFERRAL_MOMENTS.items() if k not in carried},
            self._not_carried,
            (),
            None,
        )
        self._missing = missing
        self.now = now or timezone.now()
        self.zone = timezone.get_current_timezone()  # once: each look-up costs a row's time
        self.today = timezone.localdate(self.now, self.zone)
        # the same moment in the zone times are typed in: comparing times of one zone skips
        # the offset look-ups (the import compares two a row)
        self._now_here = self.now.astimezone(self.zone)
        self._rules: dict[int, _ProgrammeRules] = {}
        self._fixed = programme
        self._fixed_rules = None
        if programme is not None:
            self._rules[programme.pk] = self._fixed_rules = _ProgrammeRules(programme)

    def rules_for(self, programme: Programme) -> _ProgrammeRules:
        if programme.pk not in self._rules:
            self._rules[programme.pk] = _ProgrammeRules(programme)
        return self._rules[programme.pk]

    def preload(self) -> "ReferralInput":
        for rules in self._rules.values():
            rules.preload()
        return self

    def _programme(self, given, errors: Errors) -> Programme | None:
        if self._fixed is not None:
            return self._fixed
        if not _given(given):
            _add(errors, "programme", REFERRAL_REQUIRED["programme"])
            return None
        pk = given.pk if isinstance(given, Programme) else given
        found = None
        if self.programmes is not None and isinstance(pk, int):
            found = self.programmes.filter(pk=pk).first()
        if found is None:
            _add(errors, "programme", NOT_YOUR_PROGRAMME)
        return found

    def check(self, values: dict, *, skip: Iterable[str] = ()) -> tuple[dict, Errors]:
        """(the values to save, every problem keyed by field). `skip`: fields the door has
        already refused (a date that is not a real date): not judged again."""
        skip = frozenset(skip) if skip else ()
        errors: Errors = {}
        out = Judged()
        programme = (
            None if "programme" in skip else self._programme(values.get("programme"), errors)
        )
        out["programme"] = programme
        out.update(self._not_carried)
        if self._missing:
            errors.update({k: list(v) for k, v in self._missing.items()})
        _texts(values, errors, self._texts, out, skip)
        if out.get("email") and "email" not in errors:
            try:
                validate_email(out["email"])
            except ValidationError:
                _add(errors, "email", "Enter an email address like name@example.org.")
        _choices(values, errors, self._choices, out, skip)
        _moments(values, errors, self._moments, out, skip, self._now_here, self.today)
        event_at, referred_at = out.get("event_at"), out.get("referred_at")
        if event_at and referred_at and event_at > referred_at:
            _add(errors, "event_at", "The event must be before the referral.")
        if "consent_given_by" not in skip and "consent_given_by" not in errors:
            check_consent(
                values,
                out,
                errors,
                date_of_birth=out.get("date_of_birth"),
                today=self.today,
                zone=self.zone,
            )
        else:
            out["consent_reconfirm_by"], out["parental_consent_not_needed"] = None, ""
        for name in self._lists:
            given = values.get(name)
            out[name] = [str(v).strip() for v in given if str(v).strip()] if given else []
        out["lsoa_id"] = out["assigned_to_id"] = out["age"] = None
        out["eligibility_override"] = ""
        if programme is None:
            return dict(out), errors
        rules = self._fixed_rules or self.rules_for(programme)
        authority = None
        lsoa = values.get("home_lsoa")
        if lsoa is not None and lsoa != "" and "home_lsoa" not in skip:
            found = rules.lsoa(lsoa)
            if found is None:
                _add(errors, "home_lsoa", NOT_YOUR_AREA)
            else:
                out["lsoa_id"], authority = found
        assignee = values.get("assigned_to")
        if assignee is not None and assignee != "" and "assigned_to" not in skip:
            out["assigned_to_id"] = rules.staff_id(assignee)
            if out["assigned_to_id"] is None:
                _add(errors, "assigned_to", NOT_STAFF)
        self._eligibility(values, rules, out, errors, authority, skip)
        return (dict(out) if errors else out), errors

    def _eligibility(self, values, rules, out, errors, authority, skip) -> None:
        """programmes.eligibility: the age always; reasons and areas unless whoever manages
        the programme accepts the referral anyway with a written reason."""
        eligibility = rules.eligibility
        born, event_at = out.get("date_of_birth"), out.get("event_at")
        if born and event_at and "date_of_birth" not in errors:
            out["age"] = age_on(born, event_at.astimezone(self.zone).date())
            if message := eligibility.age_error(out["age"]):
                _add(errors, "date_of_birth", message)
        outside = {}
        reason = out.get("reason")
        if reason and (message := eligibility.reason_error(reason)):
            outside["reason"] = message
        if (
            "home_lsoa" not in errors
            and "home_lsoa" not in skip
            and (message := eligibility.area_error(authority))
        ):
            outside["home_lsoa"] = message
        if not outside:
            return
        if not self.overridable:
            for field, message in outside.items():
                _add(errors, field, message)
            return
        reason = str(values.get("eligibility_override_reason") or "").strip()
        may = self.actor is None or permissions.can_manage_programme(self.actor, rules.programme)
        if reason and may:
            out["eligibility_override"] = reason
            return
        if reason:
            _add(
                errors,
                "eligibility_override_reason",
                "Only the programme's manager may accept a referral outside its eligibility.",
            )
        hint = (
            " To accept it anyway, give the reason for accepting it outside the eligibility."
            if may
            else " Ask the programme's manager, who may accept it with a recorded reason."
        )
        for field, message in outside.items():
            if field not in errors:
                _add(errors, field, message + hint)
