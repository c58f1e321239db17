"""The 24-hour clock in words, once: what the referral page, the API and the exports say
about a first contact ("First contact 3 h 10 min after the arrest: within 24 hours").

The target is the referral's own (its due time minus its event time: the programme's target
hours when it was recorded), and met or missed is Referral.met_q's rule: met when the first
contact came by the due time."""

from datetime import datetime, timedelta


def duration_text(span: timedelta) -> str:
    """A span in hours and whole minutes: "3 h 10 min", "29 h", "45 min"."""
    minutes = max(int(span.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    if hours:
        return f"{hours} h"
    return f"{minutes} min"


def _target_text(span: timedelta) -> str:
    """The target as the programme sets it: "24 hours" (or "1 hour"; minutes if odd)."""
    hours, rest = divmod(int(span.total_seconds()), 3600)
    if rest:
        return duration_text(span)
    return f"{hours} hour{'s' if hours != 1 else ''}"


def first_contact_text(
    *, event_at: datetime, due_at: datetime, first_contact_at: datetime | None, source: str
) -> str:
    """How the first contact went against the target; empty before there is one."""
    if first_contact_at is None:
        return ""
    event = "the arrest" if source == "custody" else "the event"
    after = duration_text(first_contact_at - event_at)
    target = _target_text(due_at - event_at)
    if first_contact_at <= due_at:
        verdict = f"within {target}"
    else:
        verdict = f"missed by {duration_text(first_contact_at - due_at)}"
    return f"First contact {after} after {event}: {verdict}"
