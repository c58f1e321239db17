"""A correction of a referral, a contact, an outcome or a session: judged by the same input
as the record's creation (so no door can save what creation would refuse).

The record's values as saved are merged with what the door changes, and the whole is judged
by the record's input (programmes.inputs), exactly as a new record would be. A refusal the
saved record already had (a contact older than the case's last status change, a case that
has closed since, a referral imported before a rule existed) is not the correction's doing
and does not stop it; every new refusal does. Only fields whose judged value differs from
the saved one are changed.
"""

from collections.abc import Callable

from programmes.inputs.casework import (
    CONTACT_FIELDS,
    OUTCOME_FIELDS,
    check_contact,
    check_outcome,
    check_session,
)
from programmes.inputs.common import Errors
from programmes.inputs.referrals import ReferralInput
from programmes.models import Contact, Outcome, Referral, Session, YoungPersonIdentity
from vru.models import User

# who the young person is: held apart and encrypted; changing it asks for a recent password
IDENTITY_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "address",
    "postcode",
    "phone",
    "email",
)
REFERRAL_CORRECTABLE = (
    *IDENTITY_FIELDS,
    "gender",
    "ethnicity",
    "education_status",
    "home_lsoa",
    "source",
    "reason",
    "consent_given_by",
    "consent_given_at",
    "consent_reconfirm_by",
    "parental_consent_not_needed",
    "risk_factors",
    "protective_factors",
    "eligibility_override_reason",
    # the times that set the 24-hour clock: the service sets the due time again from them
    "event_at",
    "referred_at",
    # the assignee: only for whoever may assign the case (permissions.can_assign_referral)
    "assigned_to",
)
# the programme is not corrected: it sets who may see the case, its eligibility, its target
# and its retention, so a case moved is a new referral to the other programme
CONTACT_CORRECTABLE = CONTACT_FIELDS
OUTCOME_CORRECTABLE = OUTCOME_FIELDS
SESSION_CORRECTABLE = ("kind", "held_on", "place", "lsoa", "counts", "issues_raised")
NOTHING_CHANGED = "You have not changed anything. Change a value, or cancel."

Changed = dict[str, tuple]  # field -> (saved value, judged new value)


def _new_errors(errors: Errors, before: Errors) -> Errors:
    fresh = {}
    for field, messages in errors.items():
        new = [m for m in messages if m not in before.get(field, [])]
        if new:
            fresh[field] = new
    return fresh


def judge(
    check: Callable[[dict], tuple[dict, Errors]],
    *,
    saved: dict,
    changes: dict,
    out: dict[str, str] | None = None,
    stored: dict | None = None,
) -> tuple[Changed, Errors]:
    """(what changes: field -> (before, after), the refusals the correction brings).

    `saved`: the record's values as its input takes them; `changes`: what the door gives
    (any of them); `out`: the judged key a field is saved under when it is not its own
    name (a neighbourhood code becomes its id); `stored`: the saved values by those keys."""
    out = out or {}
    stored = {**saved, **(stored or {})}
    values, errors = check({**saved, **changes})
    _, before = check(dict(saved))
    errors = _new_errors(errors, before)
    changed: Changed = {}
    for field in changes:
        key = out.get(field, field)
        if field in errors or key in errors or key not in values:
            continue
        new, old = values[key], stored.get(key)
        if isinstance(new, str) and isinstance(old, str):
            # a browser sends a text area's lines ending in CR LF
            new = new.replace("\r\n", "\n")
            if new == old.replace("\r\n", "\n"):
                continue
        if new != old:
            changed[field] = (old, new)
    return changed, errors


# --- Referrals ---------------------------------------------------------------------------


def referral_saved(referral: Referral, identity: YoungPersonIdentity | None) -> dict:
    """A referral as its input takes it (programmes.inputs.ReferralInput)."""
    person = referral.young_person
    values = {
        "programme": referral.programme,
        "source": referral.source,
        "reason": referral.reason,
        "event_at": referral.event_at,
        "referred_at": referral.referred_at,
        "assigned_to": referral.assigned_to_id,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "education_status": person.education_status,
        "home_lsoa": referral.lsoa,
        "consent_given_by": referral.consent_given_by,
        "consent_given_at": referral.consent_given_at,
        "consent_reconfirm_by": referral.consent_reconfirm_by,
        "parental_consent_not_needed": referral.parental_consent_not_needed,
        "risk_factors": list(referral.risk_factors),
        "protective_factors": list(referral.protective_factors),
        "eligibility_override_reason": referral.eligibility_override,
    }
    for name in IDENTITY_FIELDS:
        values[name] = getattr(identity, name) if identity is not None else ""
    return values


def correct_referral(
    referral: Referral,
    identity: YoungPersonIdentity | None,
    changes: dict,
    *,
    actor: User | None,
) -> tuple[Changed, Errors]:
    """A referral's correction, judged by ReferralInput. A manager's acceptance outside the
    eligibility stands while its reason is unchanged (whoever corrects the case); a new or
    changed reason is the manager's alone, as on a new referral."""
    saved = referral_saved(referral, identity)
    override = str(changes.get("eligibility_override_reason", saved["eligibility_override_reason"]))
    kept = override.strip() == referral.eligibility_override and bool(referral.eligibility_override)
    judge_input = ReferralInput(programme=referral.programme, actor=None if kept else actor)
    return judge(
        judge_input.check,
        saved=saved,
        changes=changes,
        out={
            "home_lsoa": "lsoa_id",
            "eligibility_override_reason": "eligibility_override",
            "assigned_to": "assigned_to_id",
        },
        stored={
            "lsoa_id": referral.lsoa_id,
            "eligibility_override": referral.eligibility_override,
            "assigned_to_id": referral.assigned_to_id,
        },
    )


# --- Casework and sessions ---------------------------------------------------------------


def contact_saved(contact: Contact) -> dict:
    return {name: getattr(contact, name) for name in CONTACT_CORRECTABLE}


def correct_contact(contact: Contact, changes: dict) -> tuple[Changed, Errors]:
    return judge(
        lambda values: check_contact(values, referral=contact.referral),
        saved=contact_saved(contact),
        changes=changes,
    )


def outcome_saved(outcome: Outcome) -> dict:
    return {name: getattr(outcome, name) for name in OUTCOME_CORRECTABLE}


def correct_outcome(outcome: Outcome, changes: dict) -> tuple[Changed, Errors]:
    return judge(
        lambda values: check_outcome(values, referral=outcome.referral, instead_of=outcome),
        saved=outcome_saved(outcome),
        changes=changes,
    )


def session_saved(session: Session) -> dict:
    values = {name: getattr(session, name) for name in SESSION_CORRECTABLE if name != "counts"}
    values["counts"] = {(c.age_band, c.gender): c.count for c in session.counts.all()}
    return values


def correct_session(session: Session, changes: dict) -> tuple[Changed, Errors]:
    return judge(
        lambda values: check_session(values, programme=session.programme),
        saved=session_saved(session),
        changes=changes,
    )
