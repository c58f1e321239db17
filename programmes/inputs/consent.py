"""Consent that fits children, in one place: who gave it, when it must be reconfirmed, and
the under-13 rule. Used by the referral's one input (so by the form, the API, the import
and the service) and by a correction of a referral.

Decisions:
- A referral may arrive without consent (a custody referral is made before anyone has
  asked): the rules apply once consent is recorded.
- A young person under 13 (on the day consent was given) needs a parent's or carer's consent
  (given by the parent or carer, or by both). Consent from the young person alone stands
  only when the practitioner records why a parent's or carer's is not needed (for example a
  Gillick-competent child, or no one with parental responsibility who can be asked).
- Consent is reconfirmed by a day: the one the practitioner gives, or
  VRU_CONSENT_RECONFIRM_MONTHS (12 by default) after it was given. After that day it has
  expired, and the caseload and the referral page say so.
"""

import calendar
from datetime import date

from django.conf import settings

from programmes.inputs.common import Errors, _add, age_on
from programmes.models import Referral

PARENTAL_CONSENT_BELOW = 13
UNDER_13_NEEDS_PARENT = (
    "A young person under 13 needs a parent's or carer's consent. Record who gave it, or "
    "say why a parent's or carer's consent is not needed."
)
RECONFIRM_BEFORE_GIVEN = "The day to reconfirm consent must be after consent was given."
NOT_GIVEN_YET = "Say who gave consent, or leave the consent details empty."
WITH_PARENT = frozenset({Referral.ConsentBy.PARENT, Referral.ConsentBy.BOTH})


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def reconfirm_default(given_on: date) -> date:
    return add_months(given_on, settings.VRU_CONSENT_RECONFIRM_MONTHS)


def check_consent(
    values: dict,
    out: dict,
    errors: Errors,
    *,
    date_of_birth: date | None,
    today: date,
    zone,
) -> None:
    """Judge the consent of `values` into `out` (consent_given_by and consent_given_at judged
    already): sets consent_reconfirm_by and parental_consent_not_needed."""
    by = out.get("consent_given_by") or ""
    given_at = out.get("consent_given_at")
    reason = str(values.get("parental_consent_not_needed") or "").strip()
    reconfirm_by = values.get("consent_reconfirm_by")
    if not isinstance(reconfirm_by, date):  # not given ("" or None)
        reconfirm_by = None
    out["parental_consent_not_needed"] = ""
    out["consent_reconfirm_by"] = None
    if not by:
        if given_at or reconfirm_by or reason:
            _add(errors, "consent_given_by", NOT_GIVEN_YET)
        return
    given_on = given_at.astimezone(zone).date() if given_at else today
    under_13 = (
        date_of_birth is not None and age_on(date_of_birth, given_on) < PARENTAL_CONSENT_BELOW
    )
    if under_13 and by not in WITH_PARENT:
        if reason:
            out["parental_consent_not_needed"] = reason
        else:
            _add(errors, "consent_given_by", UNDER_13_NEEDS_PARENT)
    if reconfirm_by is not None and reconfirm_by <= given_on:
        _add(errors, "consent_reconfirm_by", RECONFIRM_BEFORE_GIVEN)
        return
    out["consent_reconfirm_by"] = reconfirm_by or reconfirm_default(given_on)
